package dev.sark.opa.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sark.opa.PolicyEngine;
import dev.sark.opa.PolicyException;
import java.time.Duration;

/**
 * The input a case runs with. OPA's runner parses {@code input_term} as a Rego term. Here a term that is
 * JSON is the input as it is; any other term (trailing commas, sets) is evaluated by the engine itself
 * ({@code __term := <term>}). A term holding a set cannot travel through the JSON input of
 * {@code PolicyEngine.query}: the case's query, when it is one expression, then runs as
 * {@code <query> with input as <term>}, otherwise the case is skipped with that reason.
 */
final class InputTerms {
    private InputTerms() {}

    /** How to pass a case's input. */
    sealed interface CaseInput permits AsJson, AsWith, Unusable {}

    /** {@code json} (null: no input) goes to {@code query(..., inputJson)}; the query runs verbatim. */
    record AsJson(String json) implements CaseInput {}

    /** The query runs as {@code query + " with input as " + term}, without input JSON. */
    record AsWith(String query) implements CaseInput {}

    /** The case cannot be run with this input. */
    record Unusable(String reason, String detail) implements CaseInput {}

    static CaseInput of(ConformanceCase c, Duration timeout) {
        String term = c.inputTerm();
        if (term == null) {
            return new AsJson(c.input() == null ? null : JsonValues.write(c.input()));
        }
        try {
            return new AsJson(JsonValues.write(JsonValues.parse(term)));
        } catch (JsonProcessingException notJson) {
            // a Rego term: evaluate it below
        }
        String probe = "__term := " + term + "\n__sets := count([1 | walk(__term, [_, __v]); is_set(__v)])";
        JsonNode bindings;
        try (PolicyEngine engine = PolicyEngine.builder().regoVersion(c.version()).timeout(timeout).build()) {
            JsonNode rows = JsonValues.parse(engine.query(probe, null)).path("result");
            if (rows.size() != 1) {
                return new Unusable("input_term not evaluable", "the term gave " + rows.size() + " results");
            }
            bindings = rows.get(0).path("bindings");
        } catch (PolicyException | JsonProcessingException e) {
            return new Unusable("input_term not evaluable", FailureReasons.shortMessage(e.getMessage()));
        }
        if (bindings.path("__sets").asInt(-1) == 0) {
            return new AsJson(JsonValues.write(bindings.get("__term")));
        }
        String query = c.query().trim();
        if (query.contains(";") || query.contains("\n")) {
            return new Unusable("input_term holds a set", "the query has several expressions: no `with input as`");
        }
        return new AsWith(query + " with input as " + term);
    }
}
