package dev.sark.opa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** putData and removeData (OPA's Data API PUT and DELETE), and the memory limit of builtins. */
class PolicyEngineDataApiTest {
    private final PolicyEngine engine = new PolicyEngine();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void putReplacesASubtreeAndRemoveDeletesIt() {
        engine.loadPolicy("rbac", "package rbac\nallow if input.role in data.grants[input.action]\n");
        engine.addData("{\"grants\": {\"read\": [\"viewer\", \"admin\"], \"write\": [\"admin\"]}}");
        assertTrue(engine.isAllowed("data.rbac.allow", "{\"role\": \"viewer\", \"action\": \"read\"}"));

        // replaced, not merged: viewer loses read
        engine.putData("grants/read", "[\"admin\"]");
        assertFalse(engine.isAllowed("data.rbac.allow", "{\"role\": \"viewer\", \"action\": \"read\"}"));
        assertEquals("{\"read\":[\"admin\"],\"write\":[\"admin\"]}", engine.evaluate("data.grants", null));

        engine.putData("/tenants/acme", "{\"plan\": \"gold\"}");
        assertEquals("\"gold\"", engine.evaluate("data.tenants.acme.plan", null));
        engine.removeData("tenants/acme");
        assertEquals("{}", engine.evaluate("data.tenants", null));
        engine.removeData("no/such/path"); // nothing to remove
        engine.removeData("grants");
        assertEquals("{\"result\":[]}", engine.query("data.grants", null));
    }

    @Test
    void badPathsAndDocumentsChangeNothing() {
        engine.addData("{\"limits\": {\"max\": 3}}");
        assertThrows(IllegalArgumentException.class, () -> engine.putData("a//b", "1"));
        assertThrows(IllegalArgumentException.class, () -> engine.putData(null, "1"));
        assertThrows(IllegalArgumentException.class, () -> engine.putData("a", null));
        PolicyException notJson = assertThrows(PolicyException.class, () -> engine.putData("a", "{"));
        assertTrue(notJson.getMessage().contains("malformed data JSON"), notJson.getMessage());
        PolicyException scalar = assertThrows(PolicyException.class, () -> engine.putData("limits/max/x", "1"));
        assertTrue(scalar.getMessage().contains("not an object"), scalar.getMessage());
        assertThrows(PolicyException.class, () -> engine.putData("", "[1]"));
        assertEquals("{\"limits\":{\"max\":3}}", engine.evaluate("data", null));
    }

    @Test
    void builtinsThatWouldAllocatePastTheMemoryLimitFailInsteadOfAbortingTheProcess() {
        try (PolicyEngine strict = PolicyEngine.builder().strictBuiltinErrors(true).build();
             PolicyEngine small = PolicyEngine.builder().strictBuiltinErrors(true).memoryLimit(1 << 20).build()) {
            strict.loadPolicy("p", "package p\nn := count(numbers.range(1, input.n))\n");
            PolicyEvaluationException e = assertThrows(PolicyEvaluationException.class,
                    () -> strict.evaluate("data.p.n", "{\"n\": 100000000000}"));
            assertTrue(e.getMessage().contains("more than the engine's memory limit"), e.getMessage());
            assertEquals("1000", strict.evaluate("data.p.n", "{\"n\": 1000}"));

            small.loadPolicy("p", "package p\nn := count(numbers.range(1, input.n))\n");
            assertEquals("1000", small.evaluate("data.p.n", "{\"n\": 1000}"));
            assertThrows(PolicyEvaluationException.class, () -> small.evaluate("data.p.n", "{\"n\": 1000000}"));
        }
        // lenient (OPA's default): the failing call is undefined, the decision goes on
        engine.loadPolicy("p", "package p\nn := count(numbers.range(1, input.n))\n");
        assertEquals("false", engine.evaluate("data.p.n", "{\"n\": 100000000000}"));
        assertThrows(IllegalArgumentException.class, () -> PolicyEngine.builder().memoryLimit(0));
    }

    @Test
    void anEvaluationThatHoldsMoreThanTheMemoryLimitStopsWhateverItsStepsAllocate() {
        // Lenient builtin errors: the running total is not a builtin error, it ends the evaluation anyway.
        try (PolicyEngine small = PolicyEngine.builder().memoryLimit(4 << 20).build()) {
            small.loadPolicy("p", "package p\nn := count({sprintf(\"%d-%d\", [x, y]) | "
                    + "some x in numbers.range(1, input.n); some y in numbers.range(1, 1000)})\n");
            assertEquals("1000", small.evaluate("data.p.n", "{\"n\": 1}"));
            // Each step allocates one short string; 300,000 of them in a set hold far more than 4 MiB.
            PolicyEvaluationException e = assertThrows(PolicyEvaluationException.class,
                    () -> small.isAllowed("data.p.n", "{\"n\": 300}"));
            assertFalse(e instanceof PolicyTimeoutException, e.toString());
            assertTrue(e.getMessage().contains("memory limit of 4194304 bytes"), e.getMessage());
            assertEquals("2000", small.evaluate("data.p.n", "{\"n\": 2}"), "the engine keeps answering");
        }
    }
}
