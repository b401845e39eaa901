package dev.sark.bench;

import dev.sark.opa.PolicyEngine;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Policy decisions per second through the JNI binding: SARK's RBAC policy (roles in data), one decision per
 * call, an input of about 100 bytes. The first figure for issue 3; the comparison with regorus in Rust,
 * opa-java-wasm and OPA over HTTP is issue 6's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PolicyBenchmark {
    static final String RBAC = "package authz\n"
            + "import rego.v1\n"
            + "default allow := false\n"
            + "allow if input.user.role == \"admin\"\n"
            + "allow if {\n"
            + "  some role in data.user_roles[input.user.name]\n"
            + "  some grant in data.role_grants[role]\n"
            + "  grant.action == input.action\n"
            + "  grant.resource == input.resource\n"
            + "}\n";
    static final String DATA = "{\"user_roles\": {\"ada\": [\"dev\"], \"bob\": [\"ops\", \"dev\"]},"
            + " \"role_grants\": {\"dev\": [{\"action\": \"read\", \"resource\": \"repo\"}],"
            + " \"ops\": [{\"action\": \"deploy\", \"resource\": \"prod\"}]}}";
    static final String INPUT = "{\"user\": {\"name\": \"bob\", \"role\": \"staff\"}, \"action\": \"deploy\","
            + " \"resource\": \"prod\"}";

    private PolicyEngine engine;

    @Setup(Level.Trial)
    public void setUp() {
        engine = new PolicyEngine();
        engine.loadPolicy("authz", RBAC);
        engine.addData(DATA);
        if (!engine.isAllowed("data.authz.allow", INPUT)) {
            throw new IllegalStateException("the benchmark's decision is wrong: bob may deploy to prod");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }

    @Benchmark
    public boolean rbacIsAllowed() {
        return engine.isAllowed("data.authz.allow", INPUT);
    }

    @Benchmark
    public String rbacEvaluate() {
        return engine.evaluate("data.authz.allow", INPUT);
    }
}
