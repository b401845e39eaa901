package dev.sark.opa.conformance;

import java.util.List;
import java.util.Locale;

/**
 * When an error counts as the one a case expects ({@code want_error} text and/or {@code want_error_code}).
 *
 * <p>OPA's runner passes such a case when its (compiled) query fails with a topdown error whose text
 * contains {@code want_error} and whose code is {@code want_error_code}. regorus words its errors
 * differently and has no codes, so the rule here is, in order:
 * <ol>
 *   <li>the engine must throw a {@code PolicyException} (a result, a timeout or any other exception fails);
 *   <li>a message containing the {@code want_error} text (when not empty) passes, as in OPA;
 *   <li>otherwise the error must be of the kind OPA raises at evaluation: not a missing builtin
 *       ("could not find function"), not the policy rejected at load, and not a static problem that OPA
 *       would have reported while compiling (a parse error, an unsafe variable, an unknown function, a size
 *       limit) - OPA's runner compiles every case successfully before it evaluates;
 *   <li>an expected conflict ({@code eval_conflict_error}, or "conflicting" in {@code want_error}) must be
 *       reported as one: the message says "conflict" or "multiple" (regorus: "rules must not produce
 *       multiple outputs", "rule conflicts with rule at ...").
 * </ol>
 * The reference runner on plain regorus applies the same rule.
 */
final class ErrorRule {
    /** Static problems in regorus' wording: OPA's runner never gets as far as evaluating these. */
    private static final List<String> STATIC_PROBLEMS = List.of(
            "unknown function", "is unsafe", "while parsing", "expecting ", "unexpected keyword", "unexpected token",
            "unexpected character", "invalid character", "exceeds maximum", "not supported", "unsupported",
            "recursion detected", "nested deeper than", "operators or reference links");

    private ErrorRule() {}

    /**
     * @param atLoad whether the error came from loading a policy (PolicyCompilationException there)
     * @return a pass, or a failure with the reason the error is not the expected one
     */
    static Outcome judge(ConformanceCase c, String message, boolean atLoad) {
        String want = c.wantError();
        if (want != null && !want.isEmpty() && message.contains(want)) {
            return Outcome.passed();
        }
        String detail = "got: " + FailureReasons.shortMessage(message) + " | want: "
                + (want == null ? "" : '"' + want + "\" ") + (c.wantErrorCode() == null ? "" : c.wantErrorCode());
        String missing = FailureReasons.missingBuiltin(message);
        if (missing != null) {
            return Outcome.failed(missing, detail);
        }
        if (atLoad) {
            return Outcome.failed("error mismatch (policy rejected at load)", detail);
        }
        String lower = message.toLowerCase(Locale.ROOT);
        if (STATIC_PROBLEMS.stream().anyMatch(lower::contains)) {
            return Outcome.failed("error mismatch (static error)", detail);
        }
        boolean conflict = "eval_conflict_error".equals(c.wantErrorCode()) || (want != null && want.contains("conflicting"));
        if (conflict && !lower.contains("conflict") && !lower.contains("multiple")) {
            return Outcome.failed("error mismatch (not a conflict)", detail);
        }
        return Outcome.passed();
    }
}
