package dev.sark.opa.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sark.opa.RegoVersion;
import dev.sark.opa.conformance.ConformanceCase.CaseKey;
import dev.sark.opa.conformance.Outcome.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The harness of OpaConformanceTest on its own: case reading, result comparison, error rule, baseline. */
class ConformanceHarnessTest {

    private static ConformanceCase one(String yaml) {
        List<ConformanceCase> cases = CaseLoader.parse("v1/x/test.yaml", RegoVersion.V1, yaml);
        assertEquals(1, cases.size());
        return cases.get(0);
    }

    @Test
    void readsCasesAsYaml12AndNumbersAsOpaDoes() {
        ConformanceCase c = one("""
                cases:
                  - note: n
                    query: data.test.p = x
                    modules: ["package test"]
                    data: {a: yes, b: 2023-01-01, c: 1.5893857701234e+09, d: 0x10}
                    want_result: [{x: 1}]
                    sort_bindings: true
                    strict_error: true
                """);
        assertEquals("{\"a\":\"yes\",\"b\":\"2023-01-01\",\"c\":1589385770.1234,\"d\":16}", JsonValues.write(c.data()));
        assertEquals(true, c.sortBindings());
        assertEquals(true, c.strictError());
        assertEquals("v1/x", c.dir());
    }

    @Test
    void repeatedNotesInAFileGetNumbered() {
        List<ConformanceCase> cases = CaseLoader.parse("v0/f.yaml", RegoVersion.V0,
                "cases: [{note: a, query: 'true'}, {note: a, query: 'true'}]");
        assertEquals(List.of("a", "a #2"), cases.stream().map(ConformanceCase::note).toList());
    }

    @Test
    void comparesResultSetsAsOpasRunnerDoes() {
        ConformanceCase c = one("cases: [{note: n, query: q, want_result: [{x: 1}, {x: [1, {a: 2.0}]}]}]");
        String sameInOtherOrder = "{\"result\":[{\"bindings\":{\"x\":[1.0,{\"a\":2}]}},{\"bindings\":{\"x\":1}},{\"bindings\":{\"x\":1}}]}";
        assertEquals(Status.PASSED, ResultSetMatcher.match(c, sameInOtherOrder).status());
        assertEquals("undefined, expected a value", ResultSetMatcher.match(c, "{\"result\":[]}").reason());
        assertEquals("wrong value (order only)",
                ResultSetMatcher.match(c, "{\"result\":[{\"bindings\":{\"x\":[{\"a\":2}, 1]}},{\"bindings\":{\"x\":1}}]}").reason());

        ConformanceCase undefined = one("cases: [{note: n, query: q, want_result: []}]");
        assertEquals("defined, expected undefined", ResultSetMatcher.match(undefined,
                "{\"result\":[{\"expressions\":[{\"value\":false,\"text\":\"q\"}]}]}").reason(), "false is not undefined");
    }

    @Test
    void sortBindingsSortsInOpasOrder() {
        ConformanceCase c = one("cases: [{note: n, query: q, sort_bindings: true, want_result: [{x: [null, false, 1, a, [1], {}]}]}]");
        assertEquals(Status.PASSED,
                ResultSetMatcher.match(c, "{\"result\":[{\"bindings\":{\"x\":[{},[1],\"a\",1,false,null]}}]}").status());
    }

    @Test
    void errorRule() {
        ConformanceCase text = one("cases: [{note: n, query: q, want_error: divide by zero, want_error_code: eval_builtin_error}]");
        assertEquals(Status.PASSED, ErrorRule.judge(text, "error: divide by zero @ test-0.rego:4:5", false).status());
        assertEquals(Status.PASSED, ErrorRule.judge(text, "error: `div` failed", false).status());
        assertEquals("missing builtin div", ErrorRule.judge(text, "could not find function div", false).reason());
        assertEquals("error mismatch (static error)", ErrorRule.judge(text, "error: var x is unsafe", false).reason());
        assertEquals("error mismatch (policy rejected at load)", ErrorRule.judge(text, "error: boom", true).reason());

        ConformanceCase conflict = one("cases: [{note: n, query: q, want_error_code: eval_conflict_error}]");
        assertEquals(Status.PASSED, ErrorRule.judge(conflict, "rules must not produce multiple outputs", false).status());
        assertEquals("error mismatch (not a conflict)", ErrorRule.judge(conflict, "divide by zero", false).reason());
    }

    @Test
    void aHangingOrThrowingCaseDoesNotStopTheNextOne() {
        try (CaseTimeLimit limit = new CaseTimeLimit(java.time.Duration.ofMillis(200))) {
            Outcome hung = limit.run(() -> {
                java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofSeconds(30).toNanos());
                return Outcome.passed();
            });
            assertEquals("timeout", hung.reason());
            assertEquals("exception IllegalStateException", limit.run(() -> {
                throw new IllegalStateException("boom");
            }).reason());
            assertEquals(Status.PASSED, limit.run(Outcome::passed).status());
            assertEquals(1, limit.abandonedWorkers());
        }
    }

    @Test
    void baselineComparison() {
        CaseKey a = new CaseKey("v0/a.yaml", "a");
        CaseKey b = new CaseKey("v0/a.yaml", "b");
        CaseKey c = new CaseKey("v0/a.yaml", "c");
        Map<CaseKey, String> known = Baseline.parse(Baseline.format(Map.of(a, "wrong value", b, "parse error"), 3)
                + "v0/gone.yaml\tx\tparse error\n");
        Baseline.Comparison cmp = Baseline.compare(known, Map.of(
                a, Outcome.failed("unsafe variable", ""), b, Outcome.passed(), c, Outcome.failed("wrong value", "")));
        assertEquals(List.of(c), cmp.newFailures());
        assertEquals(List.of(b), cmp.nowPassing());
        assertEquals(List.of(new CaseKey("v0/gone.yaml", "x")), cmp.unknown());
        assertEquals("unsafe variable", cmp.reasonChanged().get(a)[1]);
        assertThrows(IllegalArgumentException.class, () -> Baseline.parse("only\ttwo\n"));
    }
}
