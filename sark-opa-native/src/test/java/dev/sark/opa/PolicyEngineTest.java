package dev.sark.opa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** SARK's engine cases, the contract's error paths, data documents and Rego versions. */
class PolicyEngineTest {
    static final String AUTHZ = String.join("\n",
            "package authz",
            "default allow := false",
            "allow if input.user.role == \"admin\"",
            "");
    static final String ADMIN = "{\"user\": {\"role\": \"admin\"}}";
    static final String GUEST = "{\"user\": {\"role\": \"guest\"}}";

    private final PolicyEngine engine = new PolicyEngine();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void validPolicyLoads() {
        engine.loadPolicy("authz", AUTHZ);
        assertTrue(engine.hasPolicy("authz"));
        assertEquals(Set.of("authz"), engine.policies());
    }

    @Test
    void invalidPolicyThrowsCompilationExceptionWithNameLineAndColumn() {
        PolicyCompilationException e = assertThrows(PolicyCompilationException.class,
                () -> engine.loadPolicy("broken", "package broken\n\nallow if {\n  input.x ==\n"));
        assertTrue(e.getMessage().contains("broken:5:1"), e.getMessage());
        assertFalse(engine.hasPolicy("broken"));
        assertTrue(engine.policies().isEmpty());
    }

    @Test
    void emptyOrNullNameSourceAndQueryAreIllegalArguments() {
        assertThrows(IllegalArgumentException.class, () -> engine.loadPolicy("", AUTHZ));
        assertThrows(IllegalArgumentException.class, () -> engine.loadPolicy(null, AUTHZ));
        assertThrows(IllegalArgumentException.class, () -> engine.loadPolicy("authz", ""));
        assertThrows(IllegalArgumentException.class, () -> engine.loadPolicy("authz", null));
        assertThrows(IllegalArgumentException.class, () -> engine.evaluate("", ADMIN));
        assertThrows(IllegalArgumentException.class, () -> engine.evaluate(null, ADMIN));
        assertThrows(IllegalArgumentException.class, () -> engine.isAllowed("", ADMIN));
        assertThrows(IllegalArgumentException.class, () -> engine.hasPolicy(""));
        assertThrows(IllegalArgumentException.class, () -> engine.hasPolicy(null));
        assertThrows(IllegalArgumentException.class, () -> engine.removePolicy(""));
        assertThrows(IllegalArgumentException.class, () -> engine.addData(null));
        assertThrows(IllegalArgumentException.class, () -> new PolicyEngine(null));
    }

    @Test
    void adminAllowedGuestAndMissingInputDenied() {
        engine.loadPolicy("authz", AUTHZ);
        assertTrue(engine.isAllowed("data.authz.allow", ADMIN));
        assertEquals("true", engine.evaluate("data.authz.allow", ADMIN));
        assertFalse(engine.isAllowed("data.authz.allow", GUEST));
        assertFalse(engine.isAllowed("data.authz.allow", null));
        assertFalse(engine.isAllowed("data.authz.allow", "{}"));
        assertEquals("false", engine.evaluate("data.authz.allow", null));
    }

    @Test
    void undefinedIsFalseAndIsAllowedNeedsTheBooleanTrue() {
        engine.loadPolicy("p", "package p\nnum := 1\nstr := \"true\"\nobj := {\"allow\": true}\n");
        assertEquals("false", engine.evaluate("data.p.missing", null));
        assertEquals("false", engine.evaluate("data.nothing.here", null));
        assertEquals("false", engine.evaluate("input.user", null), "without input, input is undefined");
        assertFalse(engine.isAllowed("data.p.num", null));
        assertFalse(engine.isAllowed("data.p.str", null));
        assertFalse(engine.isAllowed("data.p.obj", null));
        assertTrue(engine.isAllowed("data.p.obj.allow", null));
    }

    @Test
    void queriesMayBeExpressions() {
        assertEquals("2", engine.evaluate("input.a + 1", "{\"a\": 1}"));
        assertEquals("[2,4]", engine.evaluate("[x | some y in input.a; x := y * 2]", "{\"a\": [1, 2]}"));
        assertEquals("\"HELLO\"", engine.evaluate("upper(input.s)", "{\"s\": \"hello\"}"));
        assertTrue(engine.isAllowed("count(input.a) == 2", "{\"a\": [1, 2]}"));
    }

    @Test
    void twoPackagesAnswerIndependentlyAndMayReferToEachOther() {
        engine.loadPolicy("users", "package users\nadmins := {\"alice\"}\n");
        engine.loadPolicy("authz", "package authz\nimport data.users\nallow if input.name in users.admins\n");
        assertTrue(engine.isAllowed("data.authz.allow", "{\"name\": \"alice\"}"));
        assertFalse(engine.isAllowed("data.authz.allow", "{\"name\": \"bob\"}"));
        assertEquals("[\"alice\"]", engine.evaluate("data.users.admins", null));
        assertEquals(List.of("authz", "users"), List.copyOf(engine.policies()));
    }

    @Test
    void loadingUnderTheSameNameReplaces() {
        engine.loadPolicy("authz", AUTHZ);
        engine.loadPolicy("authz", "package authz\nallow if input.user.role == \"guest\"\n");
        assertFalse(engine.isAllowed("data.authz.allow", ADMIN));
        assertTrue(engine.isAllowed("data.authz.allow", GUEST));
        assertEquals(Set.of("authz"), engine.policies());
    }

    @Test
    void failedReplacementKeepsTheOldPolicyAnswering() {
        engine.loadPolicy("authz", AUTHZ);
        assertThrows(PolicyCompilationException.class, () -> engine.loadPolicy("authz", "package authz\nallow if {"));
        assertTrue(engine.isAllowed("data.authz.allow", ADMIN));
        // A policy that parses but breaks the set (recursion across modules) is refused as a whole too.
        engine.loadPolicy("a", "package a\nx := data.b.y\n");
        PolicyCompilationException e = assertThrows(PolicyCompilationException.class,
                () -> engine.loadPolicy("b", "package b\ny := data.a.x\n"));
        assertTrue(e.getMessage().contains("recursion"), e.getMessage());
        assertEquals(Set.of("a", "authz"), engine.policies());
        assertTrue(engine.isAllowed("data.authz.allow", ADMIN));
    }

    @Test
    void clearRemovesEveryPolicyButKeepsData() {
        engine.loadPolicy("authz", AUTHZ);
        engine.loadPolicy("other", "package other\nx := 1\n");
        engine.addData("{\"limits\": {\"max\": 3}}");
        engine.clearPolicies();
        assertTrue(engine.policies().isEmpty());
        assertFalse(engine.hasPolicy("authz"));
        assertFalse(engine.isAllowed("data.authz.allow", ADMIN));
        assertEquals("3", engine.evaluate("data.limits.max", null));
        engine.loadPolicy("authz", AUTHZ);
        assertTrue(engine.isAllowed("data.authz.allow", ADMIN));
    }

    @Test
    void removePolicyRemovesOnlyThatOneAndIgnoresUnknownNames() {
        engine.loadPolicy("authz", AUTHZ);
        engine.loadPolicy("other", "package other\nx := 1\n");
        engine.removePolicy("authz");
        engine.removePolicy("never-loaded");
        assertEquals(Set.of("other"), engine.policies());
        assertFalse(engine.isAllowed("data.authz.allow", ADMIN));
        assertEquals("1", engine.evaluate("data.other.x", null));
    }

    @Test
    void dataDocumentsMergeAndConflictsChangeNothing() {
        engine.addData("{\"config\": {\"region\": \"eu\"}}");
        engine.addData("{\"config\": {\"tier\": \"gold\"}, \"flags\": [1, 2]}");
        assertEquals("{\"region\":\"eu\",\"tier\":\"gold\"}", engine.evaluate("data.config", null));
        PolicyException conflict = assertThrows(PolicyException.class, () -> engine.addData("{\"config\": {\"region\": \"us\"}}"));
        assertFalse(conflict instanceof PolicyCompilationException || conflict instanceof PolicyEvaluationException);
        assertEquals("\"eu\"", engine.evaluate("data.config.region", null));
        assertThrows(PolicyException.class, () -> engine.addData("[1, 2]"));
        assertThrows(PolicyException.class, () -> engine.addData("{\"unterminated\": "));
        assertThrows(PolicyException.class, () -> engine.addData(""));
        assertEquals("[1,2]", engine.evaluate("data.flags", null));
    }

    @Test
    void rbacWithRolesInData() {
        engine.addData("{\"roles\": {\"alice\": [\"admin\"], \"bob\": [\"viewer\"]},"
                + " \"grants\": {\"admin\": [\"read\", \"write\", \"delete\"], \"viewer\": [\"read\"]}}");
        engine.loadPolicy("rbac", String.join("\n",
                "package rbac",
                "default allow := false",
                "allow if {",
                "  some role in data.roles[input.user]",
                "  input.action in data.grants[role]",
                "}",
                "permissions contains p if {",
                "  some role in data.roles[input.user]",
                "  some p in data.grants[role]",
                "}",
                ""));
        assertTrue(engine.isAllowed("data.rbac.allow", "{\"user\": \"alice\", \"action\": \"delete\"}"));
        assertTrue(engine.isAllowed("data.rbac.allow", "{\"user\": \"bob\", \"action\": \"read\"}"));
        assertFalse(engine.isAllowed("data.rbac.allow", "{\"user\": \"bob\", \"action\": \"write\"}"));
        assertFalse(engine.isAllowed("data.rbac.allow", "{\"user\": \"mallory\", \"action\": \"read\"}"));
        assertEquals("[\"delete\",\"read\",\"write\"]", engine.evaluate("data.rbac.permissions", "{\"user\": \"alice\"}"));
    }

    @Test
    void malformedInputJsonIsAPolicyException() {
        engine.loadPolicy("authz", AUTHZ);
        for (String bad : new String[] {"{", "", "{\"a\": }", "nope", "{\"a\": 1} trailing"}) {
            PolicyException e = assertThrows(PolicyException.class, () -> engine.evaluate("data.authz.allow", bad), bad);
            assertEquals(PolicyException.class, e.getClass(), bad);
            assertThrows(PolicyException.class, () -> engine.isAllowed("data.authz.allow", bad), bad);
        }
    }

    @Test
    void runtimeErrorsAreEvaluationExceptionsAndTheEngineKeepsWorking() {
        engine.loadPolicy("conflict", "package conflict\nx := input.a\nx := input.b\n");
        PolicyEvaluationException e = assertThrows(PolicyEvaluationException.class,
                () -> engine.evaluate("data.conflict.x", "{\"a\": 1, \"b\": 2}"));
        assertTrue(e.getMessage().contains("conflict:"), e.getMessage());
        assertEquals("1", engine.evaluate("data.conflict.x", "{\"a\": 1, \"b\": 1}"));
        assertThrows(PolicyEvaluationException.class, () -> engine.evaluate("1 +", null));
        // A builtin error is undefined unless the engine has strict builtin errors (as in OPA).
        assertEquals("false", engine.evaluate("input.a / 0", "{\"a\": 1}"));
        try (PolicyEngine strict = PolicyEngine.builder().strictBuiltinErrors(true).build()) {
            assertThrows(PolicyEvaluationException.class, () -> strict.evaluate("input.a / 0", "{\"a\": 1}"));
        }
        assertEquals("true", engine.evaluate("true", null));
    }

    @Test
    void v1EngineRejectsV0SyntaxWithAClearMessageAndAcceptsImportRegoV1() {
        String v0 = "package old\ndefault allow = false\nallow { input.user == \"root\" }\n";
        PolicyCompilationException e = assertThrows(PolicyCompilationException.class, () -> engine.loadPolicy("old", v0));
        assertTrue(e.getMessage().contains("old:3:7"), e.getMessage());
        assertTrue(e.getMessage().contains("`if` keyword is required before rule body"), e.getMessage());
        assertTrue(e.getMessage().contains("RegoVersion.V0"), e.getMessage());
        PolicyCompilationException set = assertThrows(PolicyCompilationException.class,
                () -> engine.loadPolicy("old", "package old\ndeny[msg] { msg := \"no\" }\n"));
        assertTrue(set.getMessage().contains("RegoVersion.V0"), set.getMessage());

        engine.loadPolicy("new", "package new\nimport rego.v1\nallow if input.user == \"root\"\n");
        assertTrue(engine.isAllowed("data.new.allow", "{\"user\": \"root\"}"));
    }

    @Test
    void v0EngineLoadsV0Syntax() {
        try (PolicyEngine v0 = new PolicyEngine(RegoVersion.V0)) {
            v0.loadPolicy("old", String.join("\n",
                    "package old",
                    "default allow = false",
                    "allow { input.user == \"root\" }",
                    "deny[msg] { input.user == \"guest\"; msg := \"guests denied\" }",
                    ""));
            assertTrue(v0.isAllowed("data.old.allow", "{\"user\": \"root\"}"));
            assertFalse(v0.isAllowed("data.old.allow", "{\"user\": \"guest\"}"));
            assertEquals("[\"guests denied\"]", v0.evaluate("data.old.deny", "{\"user\": \"guest\"}"));
            // A module may opt into v1 syntax.
            v0.loadPolicy("new", "package new\nimport rego.v1\nallow if input.user == \"root\"\n");
            assertTrue(v0.isAllowed("data.new.allow", "{\"user\": \"root\"}"));
        }
    }

    @Test
    void callsAfterCloseThrowIllegalStateAndCloseIsIdempotent() {
        engine.loadPolicy("authz", AUTHZ);
        engine.close();
        engine.close();
        assertThrows(IllegalStateException.class, () -> engine.loadPolicy("authz", AUTHZ));
        assertThrows(IllegalStateException.class, () -> engine.addData("{}"));
        assertThrows(IllegalStateException.class, () -> engine.evaluate("data.authz.allow", ADMIN));
        assertThrows(IllegalStateException.class, () -> engine.isAllowed("data.authz.allow", ADMIN));
        assertThrows(IllegalStateException.class, () -> engine.hasPolicy("authz"));
        assertThrows(IllegalStateException.class, engine::policies);
        assertThrows(IllegalStateException.class, () -> engine.removePolicy("authz"));
        assertThrows(IllegalStateException.class, engine::clearPolicies);
    }

    @Test
    void stringsWithNulAndSupplementaryCharactersRoundTripUnchanged() {
        String text = "nul\u0000inside \uD83D\uDE00 emoji, e\u0301 combining, \u4E2D\u6587, \uD834\uDD1E clef";
        String input = "{\"s\": \"" + text.replace("\u0000", "\\u0000") + "\"}";
        String json = engine.evaluate("input.s", input);
        assertEquals("\"" + text.replace("\u0000", "\\u0000") + "\"", json);
        // Through a policy: names, sources and results keep every character.
        String name = "policy \uD83D\uDE00 \u0000 name";
        engine.loadPolicy(name, "package u\ngreeting := \"\uD83D\uDE00 caf\u00E9\"\nshout := concat(\"\", [input.s, \"!\"])\n");
        assertTrue(engine.hasPolicy(name));
        assertEquals(Set.of(name), engine.policies());
        assertEquals("\"\uD83D\uDE00 caf\u00E9\"", engine.evaluate("data.u.greeting", null));
        assertEquals("\"" + text.replace("\u0000", "\\u0000") + "!\"", engine.evaluate("data.u.shout", input));
    }

    @Test
    void unpairedSurrogatesAreRefusedInEveryTextArgumentNotTurnedIntoQuestionMarks() {
        engine.loadPolicy("authz", AUTHZ);
        String lone = "\uD800";
        String loneInput = "{\"user\": {\"role\": \"admin" + lone + "\"}}";
        List<Executable> calls = List.of(
                () -> engine.loadPolicy("p" + lone, AUTHZ),
                () -> engine.loadPolicy("p", AUTHZ.replace("admin", "admin" + lone)),
                () -> engine.addData("{\"k\": \"" + lone + "\"}"),
                () -> engine.evaluate("data.authz.allow", loneInput),
                () -> engine.isAllowed("data.authz.allow", loneInput),
                () -> engine.query("data.authz.allow", loneInput),
                () -> engine.query("x := \"" + lone + "\"", null),
                () -> engine.hasPolicy("authz" + lone),
                () -> engine.removePolicy("authz" + lone));
        for (Executable call : calls) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
            assertTrue(e.getMessage().contains("unpaired surrogate"), e.getMessage());
        }
        // nothing was loaded, merged or removed on the way
        assertEquals(Set.of("authz"), engine.policies());
        assertEquals("{\"result\":[]}", engine.query("data.k", null));
        assertTrue(engine.isAllowed("data.authz.allow", ADMIN));
    }

    @Test
    void aNativePanicBecomesAnExceptionAndTheLibraryKeepsWorking() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PolicyEngine.panicForTest("boom \uD83D\uDCA5"));
        assertTrue(e.getMessage().contains("native panic: boom \uD83D\uDCA5"), e.getMessage());
        engine.loadPolicy("authz", AUTHZ);
        assertTrue(engine.isAllowed("data.authz.allow", ADMIN));
    }
}
