package dev.sark.opa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link PolicyEngine#builder()} options and {@link PolicyEngine#query} result sets. */
class PolicyEngineBuilderTest {

    @Test
    void queryReturnsTheWholeResultSetAndTellsUndefinedFromFalse() {
        try (PolicyEngine engine = new PolicyEngine()) {
            engine.loadPolicy("p", "package p\nroles := {\"a\": 1, \"b\": 2}\ndeny := false\n");
            assertEquals("{\"result\":[]}", engine.query("data.p.missing", null));
            assertEquals("{\"result\":[{\"expressions\":[{\"value\":false,\"text\":\"data.p.deny\","
                    + "\"location\":{\"row\":1,\"col\":1}}]}]}", engine.query("data.p.deny", null));
            assertEquals("{\"result\":[{\"expressions\":[{\"value\":true,\"text\":\"data.p.roles[k] == input.v\","
                    + "\"location\":{\"row\":1,\"col\":1}}],\"bindings\":{\"k\":\"b\"}}]}",
                    engine.query("data.p.roles[k] == input.v", "{\"v\": 2}"));
            // evaluate() keeps reporting undefined as "false".
            assertEquals("false", engine.evaluate("data.p.missing", null));
        }
    }

    @Test
    void queryChecksItsArgumentsAndTheEngineState() {
        PolicyEngine engine = new PolicyEngine();
        assertThrows(IllegalArgumentException.class, () -> engine.query(null, null));
        assertThrows(IllegalArgumentException.class, () -> engine.query("", null));
        assertThrows(PolicyException.class, () -> engine.query("input", "{not json"));
        assertThrows(PolicyEvaluationException.class, () -> engine.query("1 +", null));
        engine.close();
        assertThrows(IllegalStateException.class, () -> engine.query("true", null));
    }

    @Test
    void builtinErrorsAreUndefinedByDefaultAndRaisedWhenStrict() {
        try (PolicyEngine lenient = PolicyEngine.builder().build();
                PolicyEngine strict = PolicyEngine.builder().strictBuiltinErrors(true).build()) {
            assertEquals("{\"result\":[]}", lenient.query("x := to_number(\"abc\")", null));
            PolicyEvaluationException e = assertThrows(PolicyEvaluationException.class,
                    () -> strict.query("x := to_number(\"abc\")", null));
            assertTrue(e.getMessage().contains("to_number"), e.getMessage());
        }
    }

    @Test
    void regoVersionSelectsTheDialect() {
        String v0 = "package p\ndefault allow = false\nallow { input.ok }\n";
        try (PolicyEngine engine = PolicyEngine.builder().regoVersion(RegoVersion.V0).build()) {
            engine.loadPolicy("p", v0);
            assertTrue(engine.isAllowed("data.p.allow", "{\"ok\": true}"));
        }
        try (PolicyEngine engine = PolicyEngine.builder().build()) {
            assertThrows(PolicyCompilationException.class, () -> engine.loadPolicy("p", v0));
        }
    }

    @Test
    void anEvaluationOverTheTimeoutStopsAndTheEngineKeepsAnswering() {
        try (PolicyEngine engine = PolicyEngine.builder().timeout(Duration.ofMillis(100)).build()) {
            engine.loadPolicy("slow", "package slow\n"
                    + "n := count([1 | some x in numbers.range(1, input.n); some y in numbers.range(1, input.n); x * y == 7])\n");
            assertEquals("2", engine.evaluate("data.slow.n", "{\"n\": 10}"));
            // 25 million iterations: most of a minute without the limit.
            PolicyTimeoutException e = assertThrows(PolicyTimeoutException.class,
                    () -> engine.query("data.slow.n", "{\"n\": 5000}"));
            assertTrue(e.getMessage().contains("timeout"), e.getMessage());
            assertThrows(PolicyTimeoutException.class, () -> engine.isAllowed("data.slow.n", "{\"n\": 5000}"));
            assertEquals("2", engine.evaluate("data.slow.n", "{\"n\": 7}"));
        }
    }

    @Test
    void aLoadOverTheTimeoutThrowsAndChangesNothing() {
        StringBuilder big = new StringBuilder("package many\n");
        for (int i = 0; i < 10_000; i++) { // half a MiB of rules: far more than 1 ms of compilation anywhere
            big.append("r").append(i).append(" if { input.x == ").append(i).append(" }\n");
        }
        try (PolicyEngine engine = PolicyEngine.builder().timeout(Duration.ofMillis(1)).build()) {
            PolicyTimeoutException e = assertThrows(PolicyTimeoutException.class, () -> engine.loadPolicy("big", big.toString()));
            assertTrue(e.getMessage().contains("timeout"), e.getMessage());
            assertFalse(engine.hasPolicy("big"), "a load past its deadline publishes nothing");
        }
    }

    @Test
    void anEngineBuiltWithoutOptionsStillStopsARunawayPolicy() {
        try (PolicyEngine engine = new PolicyEngine()) {
            engine.loadPolicy("runaway", "package runaway\n"
                    + "n := count([1 | some x in numbers.range(1, 100000); some y in numbers.range(1, 100000); x == y + 1])\n");
            // 10^10 iterations: hours without a limit; the default timeout ends it.
            PolicyTimeoutException e = assertThrows(PolicyTimeoutException.class, () -> engine.evaluate("data.runaway.n", null));
            assertTrue(e.getMessage().contains("timeout"), e.getMessage());
            assertEquals("2", engine.evaluate("1 + 1", null), "the engine keeps answering");
        }
    }

    @Test
    void builderRefusesBadOptions() {
        PolicyEngine.Builder builder = PolicyEngine.builder();
        assertThrows(IllegalArgumentException.class, () -> builder.regoVersion(null));
        assertThrows(IllegalArgumentException.class, () -> builder.timeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> builder.timeout(Duration.ofSeconds(-1)));
        // No limit, and a limit too large for nanoseconds, are both accepted.
        try (PolicyEngine engine = builder.timeout(null).build();
                PolicyEngine huge = PolicyEngine.builder().timeout(Duration.ofSeconds(Long.MAX_VALUE)).build()) {
            assertFalse(engine.isAllowed("false", null));
            assertTrue(huge.isAllowed("true", null));
        }
    }
}
