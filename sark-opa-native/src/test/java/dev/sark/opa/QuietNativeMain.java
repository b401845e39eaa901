package dev.sark.opa;

/**
 * Makes the native library panic and fail in the ways a caller can provoke, in a child JVM whose stderr
 * {@link NativeDiagnosticsTest} reads; prints each exception's message to stdout.
 */
public final class QuietNativeMain {
    private QuietNativeMain() {
    }

    public static void main(String[] args) {
        try {
            PolicyEngine.panicForTest("quiet panic");
        } catch (IllegalStateException e) {
            System.out.println("panic=" + e.getMessage().replace("\n", "\\n"));
        }
        try (PolicyEngine engine = PolicyEngine.builder().strictBuiltinErrors(true).build()) {
            engine.loadPolicy("p", "package p\nx := to_number(input.s)\n");
            engine.evaluate("data.p.x", "{\"s\": \"nope\"}");
        } catch (PolicyEvaluationException e) {
            System.out.println("builtin=" + e.getMessage().replace("\n", "\\n"));
        }
        try (PolicyEngine engine = new PolicyEngine()) {
            engine.loadPolicy("p", "package p\nallow if { print(\"to no one: prints are not gathered\"); true }\n");
            System.out.println("allowed=" + engine.isAllowed("data.p.allow", null));
        }
        // What regorus warns about on its own: a future keyword used as a name in Rego v0, a redundant
        // `import input`, and statements its scheduler cannot order (a variable nothing binds).
        warnings(RegoVersion.V0, "package p\nallow if { true }\n");
        warnings(RegoVersion.V1, "package p\nimport input\nallow if { input.x == 1 }\n");
        warnings(RegoVersion.V1, "package p\nallow if { some x; x > 1 }\n");
        warnings(RegoVersion.V1, "package p\nallow if { x = y; y = x }\n");
    }

    private static void warnings(RegoVersion version, String policy) {
        try (PolicyEngine engine = PolicyEngine.builder().regoVersion(version).build()) {
            engine.loadPolicy("p", policy);
            System.out.println("warned=" + engine.query("data.p.allow", "{\"x\": 1}"));
        } catch (PolicyException e) {
            System.out.println("warned=" + e.getClass().getSimpleName());
        }
    }
}
