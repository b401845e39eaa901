package dev.sark.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sark.cache.NativeCache;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Floors: what the cheapest possible native call costs. The {@code jni*} methods call src/main/c/jnifloor.c: a true no-op JNI
 * call and byte[]/String echoes that only copy. The {@code cache*} methods are the cheapest real calls
 * into the cache library: {@code cacheSizeEmpty} is NativeCache.size() on an empty cache (JNI call +
 * closed check + a mutex), {@code cacheGet*} read a value of {@link #size} bytes from a 1-entry cache
 * (16 B key in, value copied out), {@code cachePutBytes} writes one. {@code cacheGetBuffer} is the buffer read
 * API (into a heap buffer; {@code cacheGetDirect} into a direct one) on a cache as large as {@link CacheBenchmark}'s (so segmented, with shared-lock reads) holding one entry:
 * the fixed cost of a read, everything in the CPU's L1 cache, and {@code caffeineGet} the same one-entry read
 * from Caffeine configured as in CacheBenchmark. What CacheBenchmark's reads cost on top of these is their cache
 * misses. {@code javaCopy} is the copy a pure-Java path would need at most.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class FloorBenchmark {

    static final String KEY = "0000000000000001";

    private NativeCache empty;

    @Setup(Level.Trial)
    public void setup() {
        JniFloor.load();
        empty = new NativeCache(1024, Duration.ofMinutes(5));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        empty.close();
    }

    /** The payloads; a separate state so that only the sized benchmarks are repeated per size. */
    @State(Scope.Benchmark)
    public static class Sized {
        @Param({"100", "1024", "10240"})
        public int size;

        byte[] bytes;
        String string;
        NativeCache one;
        NativeCache segmented;
        Cache<String, byte[]> caffeine;
        ByteBuffer dst;
        ByteBuffer directDst;
        final byte[] key = KEY.getBytes(StandardCharsets.US_ASCII);

        @Setup(Level.Trial)
        public void setup() {
            JniFloor.load();
            bytes = new byte[size];
            Arrays.fill(bytes, (byte) 'x');
            string = new String(bytes, StandardCharsets.US_ASCII);
            one = new NativeCache(1024, Duration.ofMinutes(5));
            one.put(key, bytes);
            segmented = new NativeCache(2L * CacheBenchmark.SIZE, CacheBenchmark.TTL);
            segmented.put(key, bytes);
            dst = ByteBuffer.allocate(size);
            directDst = ByteBuffer.allocateDirect(size);
            caffeine = Caffeine.newBuilder().maximumSize(2L * CacheBenchmark.SIZE).expireAfterWrite(CacheBenchmark.TTL).build();
            caffeine.put(KEY, bytes);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            one.close();
            segmented.close();
        }
    }

    @Benchmark
    public void jniNoop() {
        JniFloor.noop();
    }

    @Benchmark
    public long cacheSizeEmpty() {
        return empty.size();
    }

    @Benchmark
    public byte[] jniEchoBytes(Sized s) {
        return JniFloor.echoBytes(s.bytes);
    }

    @Benchmark
    public String jniEchoString(Sized s) {
        return JniFloor.echoString(s.string);
    }

    @Benchmark
    public byte[] javaCopy(Sized s) {
        return s.bytes.clone();
    }

    @Benchmark
    public byte[] cacheGetBytes(Sized s) {
        return s.one.get(s.key);
    }

    @Benchmark
    public int cacheGetBuffer(Sized s) {
        return s.segmented.get(s.key, s.dst.clear());
    }

    @Benchmark
    public int cacheGetDirect(Sized s) {
        return s.segmented.get(s.key, s.directDst.clear());
    }

    @Benchmark
    public byte[] caffeineGet(Sized s) {
        return s.caffeine.getIfPresent(KEY);
    }

    @Benchmark
    public String cacheGetString(Sized s) {
        return s.one.get(KEY);
    }

    @Benchmark
    public void cachePutBytes(Sized s) {
        s.one.put(s.key, s.bytes);
    }
}
