package dev.sark.opa.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** JSON values as OPA's runner compares them: numbers by value, objects unordered, arrays in order. */
final class JsonValues {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(256 * 1024 * 1024)
                .maxNumberLength(100_000)
                .maxNestingDepth(10_000)
                .build());
    }

    /** OPA's util.Compare on JSON: null < booleans < numbers < strings < arrays < objects. */
    static final Comparator<JsonNode> OPA_ORDER = JsonValues::compare;

    private JsonValues() {}

    static JsonNode parse(String json) throws JsonProcessingException {
        return MAPPER.readTree(json);
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A text equal for two values exactly when OPA's runner finds them equal (1 and 1.0 are equal). */
    static String canonical(JsonNode node) {
        StringBuilder out = new StringBuilder();
        canonical(node, out);
        return out.toString();
    }

    private static void canonical(JsonNode node, StringBuilder out) {
        if (node.isNumber()) {
            BigDecimal d = node.decimalValue().stripTrailingZeros();
            out.append(d.signum() == 0 ? "0" : d.toString());
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                canonical(node.get(i), out);
            }
            out.append(']');
        } else if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>(JsonValues::compareStrings);
            node.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(write(JsonNodeFactory.instance.textNode(e.getKey()))).append(':');
                canonical(e.getValue(), out);
            }
            out.append('}');
        } else {
            out.append(write(node));
        }
    }

    /** {@code value} with every array sorted in OPA's order, at every depth (to tell an order-only difference). */
    static JsonNode deepSorted(JsonNode value) {
        if (value.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            value.forEach(v -> items.add(deepSorted(v)));
            items.sort(OPA_ORDER);
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            items.forEach(out::add);
            return out;
        } else if (value.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            value.properties().forEach(e -> out.set(e.getKey(), deepSorted(e.getValue())));
            return out;
        }
        return value;
    }

    private static int rank(JsonNode n) {
        if (n.isNull()) {
            return 0;
        } else if (n.isBoolean()) {
            return 1;
        } else if (n.isNumber()) {
            return 2;
        } else if (n.isTextual()) {
            return 3;
        } else if (n.isArray()) {
            return 4;
        }
        return 5;
    }

    private static int compare(JsonNode a, JsonNode b) {
        int c = Integer.compare(rank(a), rank(b));
        if (c != 0) {
            return c;
        }
        switch (rank(a)) {
            case 1:
                return Boolean.compare(a.booleanValue(), b.booleanValue());
            case 2:
                return a.decimalValue().compareTo(b.decimalValue());
            case 3:
                return compareStrings(a.textValue(), b.textValue());
            case 4: {
                int n = Math.min(a.size(), b.size());
                for (int i = 0; i < n; i++) {
                    c = compare(a.get(i), b.get(i));
                    if (c != 0) {
                        return c;
                    }
                }
                return Integer.compare(a.size(), b.size());
            }
            case 5: {
                List<String> ak = sortedKeys(a);
                List<String> bk = sortedKeys(b);
                int n = Math.min(ak.size(), bk.size());
                for (int i = 0; i < n; i++) {
                    c = compareStrings(ak.get(i), bk.get(i));
                    if (c != 0) {
                        return c;
                    }
                    c = compare(a.get(ak.get(i)), b.get(bk.get(i)));
                    if (c != 0) {
                        return c;
                    }
                }
                return Integer.compare(ak.size(), bk.size());
            }
            default:
                return 0;
        }
    }

    private static List<String> sortedKeys(JsonNode object) {
        List<String> keys = new ArrayList<>();
        object.properties().forEach(e -> keys.add(e.getKey()));
        keys.sort(JsonValues::compareStrings);
        return keys;
    }

    /** Go compares strings by their UTF-8 bytes, which is the order of code points. */
    static int compareStrings(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
