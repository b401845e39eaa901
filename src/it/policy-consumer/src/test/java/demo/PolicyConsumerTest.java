package demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sark.opa.PolicyEngine;
import org.junit.jupiter.api.Test;

class PolicyConsumerTest {
    @Test
    void policyEngineFromTheClassifierJarDecides() {
        try (PolicyEngine engine = new PolicyEngine()) {
            engine.loadPolicy("authz", "package authz\nimport rego.v1\ndefault allow := false\n"
                    + "allow if input.user.role == \"admin\"\n");
            assertTrue(engine.isAllowed("data.authz.allow", "{\"user\": {\"role\": \"admin\"}}"));
            assertFalse(engine.isAllowed("data.authz.allow", "{\"user\": {\"role\": \"guest\"}}"));
        }
    }
}
