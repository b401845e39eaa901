package dev.sark.opa;

import dev.sark.loader.Platform;
import dev.sark.testing.ProcessFacts;

/**
 * Makes real policy decisions with {@link PolicyEngine} and prints {@code key=value} facts (ASCII only, so
 * the JVM's console encoding cannot change them); run in a JVM of another architecture by
 * {@link ForeignJvmPolicyTest}, where it must load the library from the classifier JAR through the loader.
 */
public final class PolicyProbe {
    /** RBAC in Rego v1 syntax ({@code if}, {@code contains}, {@code in}); the roles and grants come from data. */
    static final String RBAC = String.join("\n",
            "package rbac",
            "",
            "default allow := false",
            "",
            "allow if {",
            "  some role in data.roles[input.user]",
            "  input.action in data.grants[role]",
            "}",
            "",
            "deny contains msg if {",
            "  not allow",
            "  msg := sprintf(\"%s may not %s\", [input.user, input.action])",
            "}",
            "");
    static final String DATA = "{\"roles\": {\"alice\": [\"admin\"], \"guest\": [\"viewer\"]},"
            + " \"grants\": {\"admin\": [\"read\", \"write\", \"delete\"], \"viewer\": [\"read\"]}}";
    /** Does not parse: the rule body is never closed, so regorus reports line 5 (after the last line). */
    static final String MALFORMED = "package broken\n\nallow if {\n  input.x ==\n";
    /** OPA 0.x syntax (a rule body without {@code if}), which the v1 engine must refuse. */
    static final String V0 = "package old\n\nallow {\n  input.user == \"admin\"\n}\n";
    /** NUL, a supplementary character (an emoji, a surrogate pair in Java), combining and CJK characters. */
    static final String UNICODE = "nul\u0000inside \uD83D\uDE80 rocket, e\u0301, \u4E2D\u6587";

    private PolicyProbe() {
    }

    public static void main(String[] args) {
        System.out.println("platform=" + Platform.current().classifier());
        System.out.println("libc=" + ProcessFacts.mappedCLibrary());
        try (PolicyEngine engine = new PolicyEngine()) {
            engine.addData(DATA);
            engine.loadPolicy("rbac", RBAC);
            System.out.println("hasPolicy=" + engine.hasPolicy("rbac"));
            System.out.println("hasOther=" + engine.hasPolicy("other"));
            System.out.println("policies=" + engine.policies());
            System.out.println("adminAllowed=" + engine.isAllowed("data.rbac.allow", input("alice", "delete")));
            System.out.println("guestAllowed=" + engine.isAllowed("data.rbac.allow", input("guest", "delete")));
            System.out.println("guestRead=" + engine.isAllowed("data.rbac.allow", input("guest", "read")));
            System.out.println("guestDeny=" + engine.evaluate("data.rbac.deny", input("guest", "delete")));
            System.out.println("adminDeny=" + engine.evaluate("data.rbac.deny", input("alice", "delete")));
            System.out.println("expression=" + engine.evaluate("input.a + 1", "{\"a\": 41}"));
            String json = engine.evaluate("input.s", "{\"s\": \"" + UNICODE.replace("\u0000", "\\u0000") + "\"}");
            System.out.println("unicode=" + ascii(json));
            System.out.println("unicodeRoundTrip=" + json.equals("\"" + UNICODE.replace("\u0000", "\\u0000") + "\""));
            try {
                engine.loadPolicy("broken", MALFORMED);
                System.out.println("compileError=none");
            } catch (PolicyCompilationException e) {
                System.out.println("compileError=" + ascii(e.getMessage()));
            }
            System.out.println("hasBroken=" + engine.hasPolicy("broken"));
            try {
                engine.loadPolicy("old", V0);
                System.out.println("v0Error=none");
            } catch (PolicyCompilationException e) {
                System.out.println("v0Error=" + ascii(e.getMessage()));
            }
            // As in OPA, a failing builtin leaves the expression undefined unless strict errors are asked for.
            System.out.println("lenientDivision=" + engine.query("input.a / 0", "{\"a\": 1}"));
            try (PolicyEngine strict = PolicyEngine.builder().strictBuiltinErrors(true).build()) {
                System.out.println("evaluationError=none " + strict.evaluate("input.a / 0", "{\"a\": 1}"));
            } catch (PolicyEvaluationException e) {
                System.out.println("evaluationError=" + ascii(e.getMessage()));
            }
            System.out.println("stillAllowed=" + engine.isAllowed("data.rbac.allow", input("alice", "write")));
        }
    }

    static String input(String user, String action) {
        return "{\"user\": \"" + user + "\", \"action\": \"" + action + "\"}";
    }

    /**
     * {@code text} on one ASCII line: a newline becomes backslash {@code n}, every other character outside
     * printable ASCII a Java-style unicode escape (backslash, {@code u}, four lower-case hex digits of the
     * UTF-16 unit), so the console encoding of a foreign JVM cannot change what the test reads.
     */
    static String ascii(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }
}
