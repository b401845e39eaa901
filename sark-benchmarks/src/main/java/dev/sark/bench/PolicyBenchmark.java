package dev.sark.bench;

import dev.sark.opa.PolicyEngine;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Policy decisions through the JNI binding (the policy benchmark): one PolicyEngine shared by all benchmark threads
 * (as an application shares it), one decision per call. Workloads in {@link PolicyWorkload}: SARK's RBAC
 * policy and an ABAC policy with a data document, inputs of about 100 B, 1 KB and 10 KB. Run with -t 1 and
 * -t 2; -bm sample gives p99. The references run the same workloads: regorus in Rust
 * (sark-benchmarks/regorus-bench), {@link OpaWasmBenchmark}, {@link OpaHttpBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PolicyBenchmark {
    /** SARK's RBAC policy (the text of policy/rbac.rego). */
    static final String RBAC = PolicyWorkload.rego("rbac");
    static final String DATA = PolicyWorkload.data("rbac");
    static final String INPUT = PolicyWorkload.input("rbac", 100);

    @Param({"rbac", "abac"})
    public String policy;

    @Param({"100", "1024", "10240"})
    public int size;

    private PolicyEngine engine;
    private String input;

    @Setup(Level.Trial)
    public void setUp() {
        engine = new PolicyEngine();
        engine.loadPolicy("authz", PolicyWorkload.rego(policy));
        engine.addData(PolicyWorkload.data(policy));
        input = PolicyWorkload.input(policy, size);
        if (!engine.isAllowed(PolicyWorkload.QUERY, input)) {
            throw new IllegalStateException("the benchmark's decision is wrong: " + policy + "/" + size + " must be allowed");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }

    /** The decision as a boolean: the call an application makes. */
    @Benchmark
    public boolean isAllowed() {
        return engine.isAllowed(PolicyWorkload.QUERY, input);
    }

    /** The decision's value as JSON text (as opa-java-wasm and OPA's REST API return it). */
    @Benchmark
    public String evaluate() {
        return engine.evaluate(PolicyWorkload.QUERY, input);
    }
}
