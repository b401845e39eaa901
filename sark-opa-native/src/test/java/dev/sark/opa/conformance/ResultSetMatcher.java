package dev.sark.opa.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * OPA's {@code testAssertResultSet} (v1/topdown/exported_test.go) on the JSON of {@code PolicyEngine.query}:
 * the result set is the set of each result's {@code bindings} (an empty object when the query binds no
 * variable), compared with {@code want_result} as a set of objects; with {@code sort_bindings} every
 * binding value (an array) is sorted in OPA's order first; with {@code ignore_generated_vars} bindings
 * named {@code __localq...} are dropped. Undefined is the empty set, which is not {@code false}.
 */
final class ResultSetMatcher {
    private ResultSetMatcher() {}

    static Outcome match(ConformanceCase c, String resultJson) {
        JsonNode result;
        try {
            result = JsonValues.parse(resultJson);
        } catch (JsonProcessingException e) {
            return Outcome.failed("malformed result JSON", e.getOriginalMessage() + ": " + abbreviate(resultJson));
        }
        if (!result.path("result").isArray()) {
            return Outcome.failed("malformed result JSON", "no \"result\" array: " + abbreviate(resultJson));
        }
        List<JsonNode> got = new ArrayList<>();
        for (JsonNode row : result.path("result")) {
            ObjectNode bindings = JsonNodeFactory.instance.objectNode();
            row.path("bindings").properties().forEach(e -> {
                if (c.ignoreGeneratedVars() && e.getKey().startsWith("__localq")) {
                    return;
                }
                JsonNode value = e.getValue();
                if (c.sortBindings() && value.isArray()) {
                    value = sortedArray(value);
                }
                bindings.set(e.getKey(), value);
            });
            got.add(bindings);
        }
        List<JsonNode> want = c.wantResult();
        if (set(want, UnaryOperator.identity()).equals(set(got, UnaryOperator.identity()))) {
            return Outcome.passed();
        }
        String reason;
        if (got.isEmpty()) {
            reason = "undefined, expected a value";
        } else if (want.isEmpty()) {
            reason = "defined, expected undefined";
        } else if (set(want, JsonValues::deepSorted).equals(set(got, JsonValues::deepSorted))) {
            reason = "wrong value (order only)";
        } else {
            reason = "wrong value";
        }
        return Outcome.failed(reason, "want " + abbreviate(show(want)) + " got " + abbreviate(show(got)));
    }

    private static Set<String> set(List<JsonNode> rows, UnaryOperator<JsonNode> normalize) {
        Set<String> out = new LinkedHashSet<>();
        rows.forEach(r -> out.add(JsonValues.canonical(normalize.apply(r))));
        return out;
    }

    private static JsonNode sortedArray(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        items.sort(JsonValues.OPA_ORDER);
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        items.forEach(out::add);
        return out;
    }

    private static String show(List<JsonNode> rows) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        rows.forEach(array::add);
        return JsonValues.write(array);
    }

    static String abbreviate(String text) {
        String oneLine = text.replace('\n', ' ').replace('\t', ' ');
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 297) + "...";
    }
}
