package dev.sark.opa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Whatever a caller passes must end in a result or an exception, never in a crashed JVM. */
class PolicyEngineSafetyTest {
    private final PolicyEngine engine = new PolicyEngine();

    @AfterEach
    void close() {
        engine.close();
    }

    private static String nested(String open, String close, int depth, String inner) {
        return open.repeat(depth) + inner + close.repeat(depth);
    }

    @Test
    void megabyteInputEvaluates() {
        StringBuilder json = new StringBuilder("{\"items\": [");
        for (int i = 0; i < 40_000; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\": ").append(i).append(", \"name\": \"item-").append(i).append("\"}");
        }
        json.append("]}");
        assertTrue(json.length() > 1_000_000, "input is " + json.length() + " bytes");
        engine.loadPolicy("big", "package big\ncount_items := count(input.items)\nlast := input.items[39999].name\n");
        assertEquals("40000", engine.evaluate("data.big.count_items", json.toString()));
        assertEquals("\"item-39999\"", engine.evaluate("data.big.last", json.toString()));
        String megabyteString = "x".repeat(4 << 20);
        assertEquals(String.valueOf(megabyteString.length()), engine.evaluate("count(input.s)", "{\"s\": \"" + megabyteString + "\"}"));
    }

    @Test
    void deeplyNestedJsonInputAndDataArePolicyExceptions() {
        String deepArray = nested("[", "]", 20_000, "");
        String deepObject = nested("{\"a\":", "}", 20_000, "1");
        for (String deep : new String[] {deepArray, deepObject}) {
            PolicyException e = assertThrows(PolicyException.class, () -> engine.evaluate("input", deep));
            assertTrue(e.getMessage().contains("recursion limit"), e.getMessage());
            assertThrows(PolicyException.class, () -> engine.isAllowed("input", deep));
            assertThrows(PolicyException.class, () -> engine.addData("{\"deep\": " + deep + "}"));
        }
        // json.unmarshal parses with the same limit: a builtin error, so undefined unless strict.
        String escaped = "{\"s\": \"" + deepArray + "\"}";
        assertEquals("{\"result\":[]}", engine.query("json.unmarshal(input.s)", escaped));
        try (PolicyEngine strict = PolicyEngine.builder().strictBuiltinErrors(true).build()) {
            assertThrows(PolicyEvaluationException.class, () -> strict.evaluate("json.unmarshal(input.s)", escaped));
        }
        // 100 levels are within the limit.
        String fine = nested("[", "]", 100, "");
        assertEquals(fine, engine.evaluate("input", fine));
        engine.addData("{\"fine\": " + fine + "}");
        assertEquals(fine, engine.evaluate("data.fine", null));
    }

    @Test
    void deeplyNestedRegoIsRejectedQuickly() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            // regorus 0.5.0 needs minutes for 30 nested brackets and overflows the stack on thousands.
            for (String query : new String[] {
                    nested("[", "]", 20_000, "1"),
                    nested("[", "]", 30, "1"),
                    nested("{", "}", 30, "1"),
                    nested("input[", "]", 500, "0"),
                    "- ".repeat(500) + "1",
                    String.join(" + ", java.util.Collections.nCopies(2000, "1"))}) {
                PolicyEvaluationException e = assertThrows(PolicyEvaluationException.class, () -> engine.evaluate(query, null));
                assertTrue(e.getMessage().contains("<query>:1:"), e.getMessage());
            }
            PolicyCompilationException e = assertThrows(PolicyCompilationException.class,
                    () -> engine.loadPolicy("deep", "package deep\nx := " + nested("[", "]", 20_000, "1") + "\n"));
            assertTrue(e.getMessage().startsWith("deep:2:"), e.getMessage());
            String chain = "package chain\nx := (1\n" + "+ 1\n".repeat(100_000) + ")\n";
            assertThrows(PolicyCompilationException.class, () -> engine.loadPolicy("chain", chain));
            assertThrows(PolicyCompilationException.class, () -> engine.loadPolicy("huge", "package huge\n" + "x := 1\n".repeat(400_000)));
            assertEquals("2", engine.evaluate("1 + 1", null));
        });
    }

    @Test
    void parsingCannotBeMadeExponentialByNestedLiterals() {
        // regorus parses the first element of each array, set or object twice: 15 such levels took 7-11 s,
        // `[{"k": ...}]` 10 times 45 s, many 8-level literals minutes.
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (String query : new String[] {
                    "x := " + nested("[", "]", 15, "1"),
                    "x := " + nested("{\"a\": ", "}", 15, "1"),
                    "x := " + nested("{", "}", 13, "1"),
                    "x := " + nested("[{\"k\": ", "}]", 7, "1")}) {
                PolicyEvaluationException e = assertThrows(PolicyEvaluationException.class, () -> engine.query(query, null));
                assertTrue(e.getMessage().contains("nested deeper than 12 levels, each in the first element"), e.getMessage());
            }
            String eightDeep = nested("[", "]", 8, "1");
            assertEquals(eightDeep, engine.evaluate(eightDeep, null), "within the limit: the right answer");
            // Deep values in later elements are parsed once per level: no limit but the bracket depth.
            String deepLater = nested("[0,", "]", 30, "1");
            assertEquals(deepLater, engine.evaluate(deepLater, null), "nested in later elements: the right answer");

            StringBuilder many = new StringBuilder("package many\n");
            for (int i = 0; i < 600; i++) {
                many.append("x").append(i).append(" := ").append(nested("{\"a\": ", "}", 8, "1")).append('\n');
            }
            PolicyCompilationException e = assertThrows(PolicyCompilationException.class,
                    () -> engine.loadPolicy("many", many.toString()));
            assertTrue(e.getMessage().contains("parsing would take too long"), e.getMessage());

            StringBuilder ordinary = new StringBuilder("package ordinary\n");
            for (int i = 0; i < 600; i++) {
                ordinary.append("r").append(i).append(" := {\"roles\": [\"a\", \"b\"], \"limits\": {\"n\": ").append(i).append("}}\n");
            }
            engine.loadPolicy("ordinary", ordinary.toString());
            assertEquals("{\"limits\":{\"n\":599},\"roles\":[\"a\",\"b\"]}", engine.evaluate("data.ordinary.r599", null));
        });
    }

    @Test
    void recursiveFunctionsAndRulesAreRejectedAtLoad() {
        // regorus would recurse until the stack overflows; OPA rejects these as rego_recursion_error.
        PolicyCompilationException e = assertThrows(PolicyCompilationException.class,
                () -> engine.loadPolicy("rec", "package rec\nf(x) := y if { y := f(x) }\nr := f(1)\n"));
        assertTrue(e.getMessage().contains("recursion detected: data.rec.f -> data.rec.f"), e.getMessage());
        e = assertThrows(PolicyCompilationException.class,
                () -> engine.loadPolicy("mutual", "package mutual\nf(x) := g(x)\ng(x) := f(x)\n"));
        assertTrue(e.getMessage().contains("data.mutual.f -> data.mutual.g -> data.mutual.f"), e.getMessage());
        e = assertThrows(PolicyCompilationException.class, () -> engine.loadPolicy("rules", "package rules\na := b\nb := a\n"));
        assertTrue(e.getMessage().contains("recursion detected"), e.getMessage());
        assertTrue(engine.policies().isEmpty());
    }

    @Test
    void deepRuleChainsEvaluateEvenFromThreadsWithSmallStacks() throws Exception {
        StringBuilder policy = new StringBuilder("package chain\n");
        for (int i = 0; i < 1_000; i++) {
            policy.append("r").append(i).append(" := r").append(i + 1).append(" + 1\n");
        }
        policy.append("r1000 := 0\n");
        engine.loadPolicy("chain", policy.toString());
        AtomicReference<Object> result = new AtomicReference<>();
        Thread small = new Thread(null, () -> {
            try {
                result.set(engine.evaluate("data.chain.r0", null));
            } catch (RuntimeException e) {
                result.set(e);
            }
        }, "small-stack", 256 * 1024);
        small.start();
        small.join();
        assertEquals("1000", result.get());
        // Far deeper chains are refused at load time.
        StringBuilder tooDeep = new StringBuilder("package chain2\n");
        for (int i = 0; i < 5_000; i++) {
            tooDeep.append("r").append(i).append(" := r").append(i + 1).append(" + 1\n");
        }
        tooDeep.append("r5000 := 0\n");
        PolicyCompilationException e = assertThrows(PolicyCompilationException.class, () -> engine.loadPolicy("chain2", tooDeep.toString()));
        assertTrue(e.getMessage().contains("too deeply"), e.getMessage());
    }

    @Test
    void unpairedSurrogatesAreRefusedNotSilentlyReplaced() {
        // String.getBytes(UTF_8) would have made it "a?b": a different input than the caller passed.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> engine.evaluate("input.s", "{\"s\": \"a\uD800b\"}"));
        assertTrue(e.getMessage().contains("input JSON contains an unpaired surrogate (U+D800) at index 8"), e.getMessage());
    }

    /**
     * regorus' integers have no size bound and its decimal conversions take quadratic time, inside one builtin
     * call where the deadline is not looked at: before the bound, printing the 15-million-bit integer below took
     * 2.8 s and parsing 3 million digits 8.6 s against a 2 s timeout, and larger ones hours. Each way of making or
     * printing a huge integer now ends in an exception at once; the preemptive bound only stops a hang.
     */
    @Test
    void hugeIntegersAreRefusedBeforeTheyHoldTheThread() {
        // 99999999999999999 squared 18 times: about 15 million bits, from the interpreter's own `*`.
        StringBuilder squares = new StringBuilder("package big\nhuge := s if {\n  a0 := 99999999999999999\n");
        for (int i = 1; i <= 18; i++) {
            squares.append("  a").append(i).append(" := a").append(i - 1).append(" * a").append(i - 1).append('\n');
        }
        squares.append("  s := a18\n}\n");
        String digits = "concat(\"\", [\"7777777777\" | some i in numbers.range(1, 300000)])";
        try (PolicyEngine strict = PolicyEngine.builder().timeout(Duration.ofSeconds(2)).strictBuiltinErrors(true).build()) {
            strict.loadPolicy("big", squares.toString());
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (String query : new String[] {
                        "x := bits.lsh(1, 4294967295)",
                        "x := product(numbers.range(1, 1000000))",
                        "x := format_int(data.big.huge, 10)",
                        "x := sprintf(\"%d\", [data.big.huge])",
                        "x := json.marshal({\"n\": [data.big.huge]})",
                        "x := units.parse_bytes(sprintf(\"%sKB\", [" + digits + "]))",
                }) {
                    PolicyEvaluationException e = assertThrows(PolicyEvaluationException.class, () -> strict.query(query, null), query);
                    assertTrue(e.getMessage().matches("(?s).*(an integer of \\d+ bits|\\d+ digits), more than .*"), query + ": " + e.getMessage());
                }
                // Not a builtin: the result itself, which would be printed after the deadline.
                PolicyEvaluationException output = assertThrows(PolicyEvaluationException.class, () -> strict.evaluate("data.big.huge", null));
                assertTrue(output.getMessage().contains("the result holds an integer of"), output.getMessage());
            });
            assertEquals("true", strict.evaluate("data.big.huge > 1", null), "the integer itself is fine; only its printing is refused");
            assertEquals("\"1024\"", strict.evaluate("format_int(bits.lsh(1, 10), 10)", null));
        }
    }

    /**
     * Each squaring of a huge integer takes about 2.8x the one before, so 24 of them in one body (fewer steps than
     * the timer's usual check interval of 64) ran for minutes past a 2 s timeout without one look at the clock.
     * Policies and queries that multiply are now checked at every step: the last squaring before the deadline
     * is the overrun. The preemptive bound only stops a hang.
     */
    @Test
    void squaringChainsEndAtTheTimeout() {
        StringBuilder chain = new StringBuilder("a0 := 99999999999999999");
        for (int i = 1; i <= 24; i++) {
            chain.append("; a").append(i).append(" := a").append(i - 1).append(" * a").append(i - 1);
        }
        chain.append("; a24 > 1");
        try (PolicyEngine engine = PolicyEngine.builder().timeout(Duration.ofSeconds(2)).build()) {
            engine.loadPolicy("chain", "package chain\nbig if {\n  " + chain.toString().replace("; ", "\n  ") + "\n}\n");
            assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
                assertThrows(PolicyTimeoutException.class, () -> engine.isAllowed("data.chain.big", null));
                assertThrows(PolicyTimeoutException.class, () -> engine.query(chain.toString(), null));
            });
            assertEquals("6", engine.evaluate("2 * 3", null), "the engine keeps answering");
        }
    }

    /**
     * One call of {@code sort}, {@code max}, {@code min} or {@code object.union_n} compares or merges every element
     * in full, and elements can be references to one big value: sorting or taking the greatest of 100,000
     * references to one object of 50,000 keys, or to two equal ones, and merging 20,000 of them, each ran for
     * minutes past the timeout in one step. They now
     * look at the deadline as they go and end the evaluation as a timeout, never as an undefined call. The
     * preemptive bound only stops a hang.
     */
    @Test
    void sortsAndMergesOfSharedValuesEndAtTheTimeout() {
        // Cheap to build (a few hundred milliseconds), so that the deadline falls inside the sort or the merge.
        String objects = "o1 := {j: j | some j in numbers.range(1, 50000)}\n  o2 := {j: j | some j in numbers.range(1, 50000)}\n";
        String policy = "package shared\n"
                + "one := count(sort([o1 | some i in numbers.range(1, 100000)])) if {\n  " + objects + "}\n"
                + "two := count(sort([o | some i in numbers.range(1, 100000); o := [o1, o2][i % 2]])) if {\n  " + objects + "}\n"
                + "merged := count(object.union_n([o1 | some i in numbers.range(1, 20000)])) if {\n  " + objects + "}\n"
                + "greatest := count(max([o | some i in numbers.range(1, 100000); o := [o1, o2][i % 2]])) if {\n  " + objects + "}\n";
        try (PolicyEngine lenient = PolicyEngine.builder().timeout(Duration.ofSeconds(3)).build()) {
            lenient.loadPolicy("shared", policy);
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                assertEquals("100000", lenient.evaluate("data.shared.one", null), "references to one value compare equal at once");
                // A timeout within the preemptive bound: regorus cannot stop a call, so the call stopped itself.
                assertThrows(PolicyTimeoutException.class, () -> lenient.evaluate("data.shared.two", null));
                assertThrows(PolicyTimeoutException.class, () -> lenient.evaluate("data.shared.merged", null));
                assertThrows(PolicyTimeoutException.class, () -> lenient.evaluate("data.shared.greatest", null));
            });
            assertEquals("[1,2,3]", lenient.evaluate("sort([3, 1, 2])", null), "the engine keeps answering");
        }
    }

    /** regorus compared the search string at every position: about 2 * 10^12 byte comparisons here, in one call. */
    @Test
    void indexofNTakesOnePass() {
        String input = "{\"text\": \"" + "a".repeat(3_000_000) + "\", \"search\": \"" + "a".repeat(1_500_000) + "\"}";
        String count = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> engine.evaluate("count(indexof_n(input.text, input.search))", input));
        assertEquals("1500001", count);
    }
}
