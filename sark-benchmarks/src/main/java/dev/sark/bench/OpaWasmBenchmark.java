package dev.sark.bench;

import com.styra.opa.wasm.OpaPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

/**
 * The opa-java-wasm reference: com.styra.opa:opa-java-wasm 1.0.4 (Chicory, Wasm compiled to JVM bytecode) running the
 * policies of {@link PolicyWorkload} compiled to Wasm by OPA ({@code opa build -t wasm -e authz/allow}). The
 * files {@code <policy>.wasm} come from the directory in system property {@code sark.bench.wasmDir} (default
 * {@code target/policy}, relative to the module directory, where scripts/bench.sh builds them).
 *
 * <p>An OpaPolicy is not thread-safe (it owns one Wasm instance and its memory), so each benchmark thread has its
 * own, as a pool would give it; the data document is loaded once per instance. One call: {@code evaluate(input)}
 * (input JSON text in, result set JSON text out).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OpaWasmBenchmark {
    @Param({"rbac", "abac"})
    public String policy;

    @Param({"100", "1024", "10240"})
    public int size;

    private OpaPolicy opa;
    private String input;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path wasm = Path.of(System.getProperty("sark.bench.wasmDir", "target/policy"), policy + ".wasm");
        if (!Files.isRegularFile(wasm)) {
            throw new IllegalStateException("no " + wasm.toAbsolutePath() + ": scripts/bench.sh (part policy) builds it with OPA");
        }
        opa = OpaPolicy.builder().withPolicy(Files.readAllBytes(wasm)).build();
        opa.data(PolicyWorkload.data(policy));
        input = PolicyWorkload.input(policy, size);
        String result = opa.evaluate(input);
        if (!result.replace(" ", "").contains("\"result\":true")) {
            throw new IllegalStateException("opa-java-wasm's decision is wrong for " + policy + "/" + size + ": " + result);
        }
    }

    @Benchmark
    public String evaluate() {
        return opa.evaluate(input);
    }
}
