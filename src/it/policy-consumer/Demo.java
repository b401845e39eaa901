import dev.sark.opa.PolicyEngine;

/** Run by verify.groovy as a single-file program, with nothing but the three runtime jars on the class path. */
public class Demo {
    public static void main(String[] args) {
        try (PolicyEngine engine = new PolicyEngine()) {
            engine.loadPolicy("authz", "package authz\n"
                    + "default allow := false\n"
                    + "allow if input.user.role == \"admin\"\n"
                    + "allow if { some g in data.grants[input.user.name]; g == input.action }\n");
            engine.addData("{\"grants\": {\"ada\": [\"read\"]}}");
            System.out.println("admin=" + engine.evaluate("data.authz.allow", "{\"user\": {\"role\": \"admin\"}}"));
            System.out.println("granted=" + engine.isAllowed("data.authz.allow",
                    "{\"user\": {\"name\": \"ada\", \"role\": \"dev\"}, \"action\": \"read\"}"));
            System.out.println("denied=" + engine.isAllowed("data.authz.allow",
                    "{\"user\": {\"name\": \"ada\", \"role\": \"dev\"}, \"action\": \"write\"}"));
            System.out.println("unknown=" + engine.evaluate("data.nothing.here", "{}"));
            System.out.println("policies=" + engine.policies());
        }
    }
}
