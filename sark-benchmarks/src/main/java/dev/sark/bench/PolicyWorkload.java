package dev.sark.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The policy workloads, shared by every policy benchmark (Java) and by regorus-bench (Rust,
 * which reads the same files from src/main/resources/dev/sark/bench/policy):
 * <ul>
 *   <li>{@code rbac}: SARK's RBAC policy, roles and grants in data ({@code rbac.rego}, {@code rbac.data.json});</li>
 *   <li>{@code abac}: attribute-based, with a data document of 48 users and 240 resources (department,
 *       clearance, ownership, classification, legal hold, department grants with required groups); no time
 *       builtins ({@code abac.rego}, {@code abac.data.json}).</li>
 * </ul>
 * Inputs {@code <policy>-input-<size>.json} of about 100 B, 1 KB and 10 KB, padded with request attributes the
 * policy does not read (headers, trace ids, token claims), as real inputs are. Every input is allowed, and the
 * ABAC inputs reach the last rule (clearance and grants), so each decision does the whole policy's work.
 * The query is {@code data.authz.allow} everywhere (Wasm entrypoint {@code authz/allow}).
 */
final class PolicyWorkload {
    static final String QUERY = "data.authz.allow";

    private PolicyWorkload() {
    }

    static String rego(String policy) {
        return resource(policy + ".rego");
    }

    static String data(String policy) {
        return resource(policy + ".data.json");
    }

    static String input(String policy, int size) {
        return resource(policy + "-input-" + size + ".json").strip();
    }

    static String resource(String name) {
        try (InputStream in = PolicyWorkload.class.getResourceAsStream("policy/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no benchmark resource policy/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
