package dev.sark.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
 * The HTTP reference: OPA's server over localhost HTTP. scripts/bench.sh starts
 * {@code opa run --server --addr 127.0.0.1:8181 <policy>.rego <policy>.data.json} for one policy at a time,
 * runs this benchmark with {@code -p policy=<that policy>}, and stops the server. Each call is one
 * {@code POST /v1/data/authz/allow} with {@code {"input": ...}} through java.net.http (HTTP/1.1, keep-alive; one
 * client shared by the benchmark threads), and reads the whole response. The server address comes from system
 * property {@code sark.bench.opaUrl} (default {@code http://127.0.0.1:8181}); only loopback is accepted.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OpaHttpBenchmark {
    @Param({"rbac", "abac"})
    public String policy;

    @Param({"100", "1024", "10240"})
    public int size;

    private HttpClient client;
    private HttpRequest request;

    @Setup(Level.Trial)
    public void setUp() throws IOException, InterruptedException {
        URI base = URI.create(System.getProperty("sark.bench.opaUrl", "http://127.0.0.1:8181"));
        if (!"127.0.0.1".equals(base.getHost()) && !"localhost".equals(base.getHost())) {
            throw new IllegalArgumentException("OPA must be on the loopback interface, not " + base);
        }
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        String body = "{\"input\":" + PolicyWorkload.input(policy, size) + "}";
        request = HttpRequest.newBuilder(base.resolve("/v1/data/authz/allow"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        String result = decide();
        if (!result.replace(" ", "").contains("\"result\":true")) {
            throw new IllegalStateException("OPA's decision is wrong for " + policy + "/" + size
                    + " (is the server running this policy?): " + result);
        }
    }

    /**
     * One decision. java.net.http sometimes reuses a pooled keep-alive connection just as it is closed and fails
     * with "HTTP/1.1 header parser received no bytes" (seen once with 2 threads in the 2026-11-26 run, which
     * aborted that JMH configuration); such a request is retried once, and the retry's time counts.
     */
    @Benchmark
    public String decide() throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException closedUnderUs) {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("OPA answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
