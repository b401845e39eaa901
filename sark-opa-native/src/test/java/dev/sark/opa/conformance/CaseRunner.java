package dev.sark.opa.conformance;

import dev.sark.opa.PolicyEngine;
import dev.sark.opa.PolicyException;
import dev.sark.opa.PolicyTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one case the way OPA's {@code testRun} does: a fresh engine of the case's Rego version with
 * strict builtin errors as the case says, its data, its modules (as {@code test-0.rego},
 * {@code test-1.rego}, ...), its input, then its query verbatim through {@link PolicyEngine#query}.
 */
final class CaseRunner {
    private final Duration evaluationTimeout;

    CaseRunner(Duration evaluationTimeout) {
        this.evaluationTimeout = evaluationTimeout;
    }

    Outcome run(ConformanceCase c) {
        if (!c.expectsError() && c.wantResult() == null) {
            return Outcome.skipped("no expectation", "neither want_result nor want_error(_code)");
        }
        InputTerms.CaseInput input = InputTerms.of(c, evaluationTimeout);
        if (input instanceof InputTerms.Unusable unusable) {
            return Outcome.skipped(unusable.reason(), unusable.detail());
        }
        String query = input instanceof InputTerms.AsWith with ? with.query() : c.query();
        String inputJson = input instanceof InputTerms.AsJson json ? json.json() : null;

        try (PolicyEngine engine = PolicyEngine.builder()
                .regoVersion(c.version())
                .strictBuiltinErrors(c.strictError())
                .timeout(evaluationTimeout)
                .build()) {
            if (c.data() != null && !(c.data().isObject() && c.data().isEmpty())) {
                try {
                    engine.addData(JsonValues.write(c.data()));
                } catch (PolicyException e) {
                    return Outcome.failed("data rejected", FailureReasons.shortMessage(e.getMessage()));
                }
            }
            PolicyException loadError = loadModules(engine, c.modules());
            if (loadError != null) {
                return c.expectsError()
                        ? ErrorRule.judge(c, loadError.getMessage(), true)
                        : Outcome.failed(FailureReasons.unexpectedError(loadError.getMessage(), true),
                                FailureReasons.shortMessage(loadError.getMessage()));
            }
            String result;
            try {
                result = engine.query(query, inputJson);
            } catch (PolicyTimeoutException e) {
                return Outcome.failed("timeout", "evaluation ran longer than " + evaluationTimeout);
            } catch (PolicyException e) {
                String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                return c.expectsError()
                        ? ErrorRule.judge(c, message, false)
                        : Outcome.failed(FailureReasons.unexpectedError(message, false), FailureReasons.shortMessage(message));
            }
            if (c.expectsError()) {
                // OPA also compares want_result when a case has both; an exception carries no partial result
                return Outcome.failed("error expected, got a result", ResultSetMatcher.abbreviate(result));
            }
            return ResultSetMatcher.match(c, result);
        }
    }

    /**
     * Loads every module. OPA compiles a case's modules together; engines that check a module when it is
     * loaded may reject one that uses another not loaded yet, so modules that fail are retried after the
     * others until no more load. Returns the first remaining error, or null.
     */
    private static PolicyException loadModules(PolicyEngine engine, List<String> modules) {
        Map<String, String> pending = new LinkedHashMap<>();
        for (int i = 0; i < modules.size(); i++) {
            pending.put("test-" + i + ".rego", modules.get(i));
        }
        PolicyException first = null;
        boolean progress = true;
        while (!pending.isEmpty() && progress) {
            progress = false;
            first = null;
            for (String name : new ArrayList<>(pending.keySet())) {
                try {
                    engine.loadPolicy(name, pending.get(name));
                    pending.remove(name);
                    progress = true;
                } catch (PolicyException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
        }
        return pending.isEmpty() ? null : first;
    }
}
