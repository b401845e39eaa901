package dev.sark.opa.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.sark.opa.PolicyEngine;
import dev.sark.opa.conformance.ConformanceCase.CaseKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * OPA's own conformance suite ({@code v1/test/cases/testdata} of the OPA version pinned in
 * {@link OpaTestdata}) against {@link PolicyEngine#query}, held to a committed baseline of known failures
 * ({@code src/test/resources/opa-conformance-baseline.txt}).
 *
 * <p>Fails when a case not in the baseline fails, when a baseline case passes (or is skipped, or is gone):
 * remove it from the baseline, or regenerate the baseline after a deliberate change with
 * {@code -Dsark.opa.conformance.updateBaseline=true}. A baseline case failing for another reason is only
 * reported. Writes {@code target/opa-conformance-report.md} (per directory: passed, failed, skipped, why)
 * and {@code target/opa-conformance-cases.tsv} (one line per case).
 *
 * <p>{@code -Dsark.opa.conformance.skip=true} skips it (no network, no cached zip); see {@link OpaTestdata}
 * for where the cases come from.
 */
class OpaConformanceTest {
    /** The engine's own evaluation limit per case. */
    private static final Duration EVALUATION_TIMEOUT = Duration.ofSeconds(10);
    /** The wall-clock limit per case, in case the engine's own limit does not stop it. */
    private static final Duration CASE_LIMIT = Duration.ofSeconds(30);
    private static final int LISTED = 60;

    @Test
    void opaConformanceSuiteDoesNotFallBelowTheBaseline() throws Exception {
        assumeFalse(Boolean.getBoolean("sark.opa.conformance.skip"), "-Dsark.opa.conformance.skip=true");
        Path testdata = OpaTestdata.testdata();
        List<ConformanceCase> cases = CaseLoader.load(testdata);

        // the library loads and answers at all (otherwise every case would fail the same way)
        try (PolicyEngine engine = PolicyEngine.builder().timeout(EVALUATION_TIMEOUT).build()) {
            assertEquals(1, JsonValues.parse(engine.query("x := 1", null)).path("result").path(0).path("bindings").path("x").asInt(),
                    "query(\"x := 1\") binds x to 1");
        }

        CaseRunner runner = new CaseRunner(EVALUATION_TIMEOUT);
        Map<CaseKey, Outcome> outcomes = new LinkedHashMap<>();
        long started = System.nanoTime();
        try (CaseTimeLimit limit = new CaseTimeLimit(CASE_LIMIT)) {
            for (ConformanceCase c : cases) {
                if (outcomes.put(c.key(), limit.run(() -> runner.run(c))) != null) {
                    fail("two cases with the same key: " + c.key());
                }
            }
            if (limit.abandonedWorkers() > 0) {
                System.out.println("OPA conformance: " + limit.abandonedWorkers() + " case(s) hung past " + CASE_LIMIT);
            }
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();

        ConformanceReport report = new ConformanceReport(cases, outcomes);
        Path target = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "target");
        Path markdown = target.resolve("opa-conformance-report.md");
        report.write(markdown, target.resolve("opa-conformance-cases.tsv"));
        System.out.println(report.summaryLine() + " in " + seconds + " s");
        report.byTree().forEach((tree, t) -> System.out.println("  " + tree + ": " + t.passed() + "/"
                + (t.passed() + t.failed()) + " (" + t.rate() + "), " + t.skipped() + " skipped"));
        System.out.println("  per directory: " + markdown);

        Map<CaseKey, String> failures = new LinkedHashMap<>();
        outcomes.forEach((key, o) -> {
            if (o.status() == Outcome.Status.FAILED) {
                failures.put(key, o.reason());
            }
        });
        if (Boolean.getBoolean("sark.opa.conformance.updateBaseline")) {
            Baseline.write(new java.util.TreeMap<>(failures), cases.size());
            System.out.println("OPA conformance: wrote " + failures.size() + " known failures to " + Baseline.sourceFile());
            return;
        }

        SortedMap<CaseKey, String> known = Baseline.read();
        Baseline.Comparison cmp = Baseline.compare(known, outcomes);
        if (!cmp.reasonChanged().isEmpty()) {
            System.out.println("OPA conformance: " + cmp.reasonChanged().size()
                    + " baseline case(s) fail for another reason now (not an error; regenerate the baseline to record it):");
            cmp.reasonChanged().entrySet().stream().limit(LISTED).forEach(e -> System.out.println(
                    "  " + e.getKey() + ": " + e.getValue()[0] + " -> " + e.getValue()[1]));
        }
        if (!cmp.nowPassing().isEmpty()) {
            System.out.println("OPA conformance: " + cmp.nowPassing().size() + " baseline case(s) pass now");
        }
        if (cmp.clean()) {
            return;
        }
        StringBuilder message = new StringBuilder(report.summaryLine()).append('\n');
        section(message, cmp.newFailures(), "case(s) newly fail (not in the baseline src/test/resources"
                + Baseline.RESOURCE + "); fix them, or if the change is deliberate add them to the baseline", outcomes);
        section(message, cmp.nowPassing(), "baseline case(s) pass now: remove them from the baseline", outcomes);
        section(message, cmp.notFailingAnyMore(), "baseline case(s) are skipped now: remove them from the baseline", outcomes);
        section(message, cmp.unknown(), "baseline case(s) are not in OPA " + OpaTestdata.VERSION
                + "'s cases: remove them from the baseline", outcomes);
        message.append("All outcomes: ").append(markdown).append(". To rewrite the baseline from this run: -Dsark.opa.conformance.updateBaseline=true");
        fail(message.toString());
    }

    private static void section(StringBuilder message, List<CaseKey> keys, String what, Map<CaseKey, Outcome> outcomes) {
        if (keys.isEmpty()) {
            return;
        }
        message.append(keys.size()).append(' ').append(what).append(":\n");
        message.append(keys.stream().limit(LISTED).map(k -> {
            Outcome o = outcomes.get(k);
            return "  " + k + (o == null || o.status() == Outcome.Status.PASSED ? ""
                    : " -- " + o.reason() + (o.detail().isEmpty() ? "" : ": " + o.detail()));
        }).collect(Collectors.joining("\n"))).append('\n');
        if (keys.size() > LISTED) {
            message.append("  ... and ").append(keys.size() - LISTED).append(" more\n");
        }
    }
}
