package dev.sark.opa.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sark.opa.RegoVersion;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads OPA's YAML case files into {@link ConformanceCase}s. OPA reads them as YAML 1.2 (core schema,
 * no timestamps, duplicate keys: last wins) converted to JSON, numbers through Go's int64/uint64/float64;
 * this does the same with SnakeYAML Engine and Jackson trees.
 */
final class CaseLoader {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private CaseLoader() {}

    /** Every case under {@code testdata}'s {@code v0/} and {@code v1/} trees, in file order. */
    static List<ConformanceCase> load(Path testdata) throws IOException {
        List<ConformanceCase> cases = new ArrayList<>();
        for (String tree : List.of("v0", "v1")) {
            RegoVersion version = tree.equals("v0") ? RegoVersion.V0 : RegoVersion.V1;
            List<Path> files;
            try (Stream<Path> walk = Files.walk(testdata.resolve(tree))) {
                files = walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            }
            for (Path file : files) {
                String rel = testdata.relativize(file).toString().replace('\\', '/');
                try {
                    cases.addAll(parse(rel, version, Files.readString(file, StandardCharsets.UTF_8)));
                } catch (RuntimeException e) {
                    throw new IOException("cannot read the cases of " + rel + ": " + e.getMessage(), e);
                }
            }
        }
        return cases;
    }

    static List<ConformanceCase> parse(String file, RegoVersion version, String yaml) {
        LoadSettings settings = LoadSettings.builder()
                .setSchema(new CoreSchema())
                .setAllowDuplicateKeys(true)
                .setCodePointLimit(64 * 1024 * 1024)
                .setLabel(file)
                .build();
        JsonNode doc = toJson(new Load(settings).loadFromString(yaml));
        List<ConformanceCase> cases = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (JsonNode c : doc.path("cases")) {
            String note = c.path("note").asText();
            int occurrence = seen.merge(note, 1, Integer::sum);
            if (occurrence > 1) {
                note = note + " #" + occurrence;
            }
            List<String> modules = new ArrayList<>();
            c.path("modules").forEach(m -> modules.add(m.asText()));
            List<JsonNode> want = null;
            if (c.hasNonNull("want_result")) {
                want = new ArrayList<>();
                c.get("want_result").forEach(want::add);
            }
            cases.add(new ConformanceCase(file, note, version, c.path("query").asText(), List.copyOf(modules),
                    nonNull(c.get("data")), nonNull(c.get("input")), text(c.get("input_term")),
                    want == null ? null : List.copyOf(want), text(c.get("want_error")), text(c.get("want_error_code")),
                    c.path("sort_bindings").asBoolean(false), c.path("strict_error").asBoolean(false),
                    c.path("ignore_generated_vars").asBoolean(false)));
        }
        return cases;
    }

    private static JsonNode nonNull(JsonNode n) {
        return n == null || n.isNull() ? null : n;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    /** A YAML value as JSON, the way OPA's YAMLToJSON + encoding/json (UseNumber) sees it. */
    static JsonNode toJson(Object yaml) {
        if (yaml == null) {
            return JSON.nullNode();
        } else if (yaml instanceof Map<?, ?> map) {
            ObjectNode object = JSON.objectNode();
            map.forEach((k, v) -> object.set(keyString(k), toJson(v)));
            return object;
        } else if (yaml instanceof List<?> list) {
            ArrayNode array = JSON.arrayNode();
            list.forEach(v -> array.add(toJson(v)));
            return array;
        } else if (yaml instanceof String s) {
            return JSON.textNode(s);
        } else if (yaml instanceof Boolean b) {
            return JSON.booleanNode(b);
        } else if (yaml instanceof Integer || yaml instanceof Long) {
            return JSON.numberNode(((Number) yaml).longValue());
        } else if (yaml instanceof BigInteger big) {
            // go-yaml: int64, else uint64, else float64
            return big.signum() >= 0 && big.compareTo(UINT64_MAX) <= 0
                    ? JSON.numberNode(big)
                    : DecimalNode.valueOf(new BigDecimal(Double.toString(big.doubleValue())));
        } else if (yaml instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                throw new IllegalArgumentException("a YAML number JSON cannot hold: " + d);
            }
            // float64 printed shortest, as encoding/json does
            return DecimalNode.valueOf(new BigDecimal(Double.toString(d)));
        }
        throw new IllegalArgumentException("unsupported YAML value " + yaml.getClass().getName() + ": " + yaml);
    }

    /** A non-string mapping key as OPA's YAML reader turns it into a JSON key. */
    private static String keyString(Object key) {
        if (key instanceof String s) {
            return s;
        } else if (key instanceof Integer || key instanceof Long || key instanceof BigInteger || key instanceof Boolean) {
            return key.toString();
        } else if (key instanceof Double d) {
            return d.isNaN() ? ".nan" : d.isInfinite() ? (d > 0 ? ".inf" : "-.inf") : new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
        }
        throw new IllegalArgumentException("unsupported mapping key " + key);
    }
}
