package dev.sark.opa.conformance;

/**
 * What one case came to.
 *
 * @param reason a short category for the baseline and the report ("missing builtin x", "wrong value",
 *               "error mismatch (...)", "policy rejected", ...); empty for a pass
 * @param detail what was expected and what came, for the report
 */
record Outcome(Status status, String reason, String detail) {
    enum Status { PASSED, FAILED, SKIPPED }

    static Outcome passed() {
        return new Outcome(Status.PASSED, "", "");
    }

    static Outcome failed(String reason, String detail) {
        return new Outcome(Status.FAILED, reason, detail == null ? "" : detail);
    }

    static Outcome skipped(String reason, String detail) {
        return new Outcome(Status.SKIPPED, reason, detail == null ? "" : detail);
    }
}
