package dev.sark.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sark.cache.NativeCache;
import org.caffinitas.ohc.CacheSerializer;
import org.caffinitas.ohc.OHCache;
import org.caffinitas.ohc.OHCacheBuilder;
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

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The shape of Caffeine's GetPutBenchmark: a key array of {@link #SIZE} draws from a scrambled Zipfian
 * distribution over {@link #ITEMS} keys, all preloaded (the bound is 2 x SIZE, so every read hits);
 * each thread walks the array from a random offset. Keys are 16 ASCII bytes; TTL is 5 minutes wherever
 * the cache supports one (ConcurrentHashMap has none: it is the ceiling).
 *
 * <p>Mixes: {@code readOnly}, {@code writeOnly} and {@code readWrite} (every 4th operation of a thread
 * is a put: 75% reads / 25% writes on every thread, so the mix holds with 1 thread too; Caffeine's own
 * benchmark uses 6 reader and 2 writer threads instead). Threads: JMH's {@code -t 1} / {@code -t 2}.
 *
 * <p>What each implementation stores: NativeCache String API - String key and String value (UTF-8
 * encoded and decoded per call, as the API does); NativeCache byte[] API, OHC - byte[] key and value
 * (copied in and out); Caffeine, ConcurrentHashMap - String key, byte[] value (by reference).
 * {@code caffeine} stores the same value array under every key (Caffeine's own benchmark does the same), so
 * its entries stay in a core's L2 cache; {@code caffeine-own} stores a copy per entry, the working set of a
 * cache of distinct values, which NativeCache and OHC always have; {@code caffeine-copy} also returns copies
 * ({@code byte[].clone()} on put and get), as a cache whose callers may not share its arrays must: the price
 * of the copy alone, on the heap.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// AlwaysPreTouch: a fresh fork's heap pages are otherwise first touched during the measurement by the
// implementations that allocate per operation (byte[] API, Caffeine + copy). On this project's VMs that took
// single iterations of the byte[] API from 150 ns to 4-55 us per read, a page fault at a time, in some forks.
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class CacheBenchmark {

    static final int SIZE = 2 << 14;
    static final int MASK = SIZE - 1;
    static final int ITEMS = SIZE / 3;
    static final Duration TTL = Duration.ofMinutes(5);

    @Param({"native-string", "native-bytes", "native-buffer", "native-direct", "caffeine", "caffeine-own", "caffeine-copy", "ohc", "chm"})
    public String impl;

    @Param({"64", "512", "4096"})
    public int valueSize;

    private Store store;

    @State(Scope.Thread)
    public static class ThreadState {
        int index = ThreadLocalRandom.current().nextInt();
        int op;
        /** The reused read buffer of native-buffer's (heap) and native-direct's (direct) gets. */
        private ByteBuffer buffer;

        ByteBuffer buffer(int size, boolean direct) {
            if (buffer == null) {
                buffer = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
            }
            return buffer.clear();
        }
    }

    @Setup(Level.Trial)
    public void setup() {
        ScrambledZipfian zipf = new ScrambledZipfian(ITEMS, 42);
        String[] keys = new String[SIZE];
        for (int i = 0; i < SIZE; i++) {
            keys[i] = key(zipf.next());
        }
        store = Store.create(impl, keys, valueSize);
        for (int i = 0; i < SIZE; i++) {
            store.put(i);
        }
        for (int i = 0; i < SIZE; i++) {
            if (store.get(i) == null) {
                throw new IllegalStateException(impl + ": preloaded key " + keys[i] + " is missing");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
    }

    @Benchmark
    public Object readOnly(ThreadState t) {
        return store.get(t.index++ & MASK, t);
    }

    @Benchmark
    public void writeOnly(ThreadState t) {
        store.put(t.index++ & MASK);
    }

    @Benchmark
    public Object readWrite(ThreadState t) {
        int i = t.index++ & MASK;
        if ((t.op++ & 3) == 3) {
            store.put(i);
            return null;
        }
        return store.get(i, t);
    }

    /** 16 ASCII bytes, e.g. {@code 00000000000012ab}. */
    static String key(long n) {
        String hex = Long.toHexString(n);
        return "0".repeat(16 - hex.length()) + hex;
    }

    static byte[] value(int size) {
        byte[] v = new byte[size];
        Arrays.fill(v, (byte) 'v');
        return v;
    }

    /** One implementation behind index-based get/put, so the benchmark methods are shared. */
    abstract static class Store implements AutoCloseable {
        abstract Object get(int i);

        /** A get made by a benchmark thread; only native-buffer and native-direct use the thread's state. */
        Object get(int i, ThreadState t) {
            return get(i);
        }

        abstract void put(int i);

        @Override
        public void close() throws IOException {
        }

        static Store create(String impl, String[] keys, int valueSize) {
            switch (impl) {
                case "native-string": return new NativeStringStore(keys, valueSize);
                case "native-bytes": return new NativeBytesStore(keys, valueSize);
                case "native-buffer": return new NativeBufferStore(keys, valueSize, false);
                case "native-direct": return new NativeBufferStore(keys, valueSize, true);
                case "caffeine": return new CaffeineStore(keys, valueSize, Copies.NONE);
                case "caffeine-own": return new CaffeineStore(keys, valueSize, Copies.ON_PUT);
                case "caffeine-copy": return new CaffeineStore(keys, valueSize, Copies.ON_PUT_AND_GET);
                case "ohc": return new OhcStore(keys, valueSize);
                case "chm": return new ChmStore(keys, valueSize);
                default: throw new IllegalArgumentException("unknown impl " + impl);
            }
        }
    }

    static byte[][] bytes(String[] keys) {
        byte[][] b = new byte[keys.length][];
        for (int i = 0; i < keys.length; i++) {
            b[i] = keys[i].getBytes(StandardCharsets.US_ASCII);
        }
        return b;
    }

    static final class NativeStringStore extends Store {
        private final NativeCache cache = new NativeCache(2L * SIZE, TTL);
        private final String[] keys;
        private final String value;

        NativeStringStore(String[] keys, int valueSize) {
            this.keys = keys;
            this.value = "v".repeat(valueSize);
        }

        @Override Object get(int i) { return cache.get(keys[i]); }
        @Override void put(int i) { cache.put(keys[i], value); }
        @Override public void close() { cache.close(); }
    }

    static class NativeBytesStore extends Store {
        final NativeCache cache = new NativeCache(2L * SIZE, TTL);
        final byte[][] keys;
        final byte[] value;

        NativeBytesStore(String[] keys, int valueSize) {
            this.keys = bytes(keys);
            this.value = value(valueSize);
        }

        @Override Object get(int i) { return cache.get(keys[i]); }
        @Override void put(int i) { cache.put(keys[i], value); }
        @Override public void close() { cache.close(); }
    }

    /**
     * The byte[] API, but reading into the thread's reused buffer: no array allocated per get. A heap buffer
     * receives the value through the thread's scratch memory (two copies), a direct one straight from the
     * cache (one).
     */
    static final class NativeBufferStore extends NativeBytesStore {
        private final boolean direct;

        NativeBufferStore(String[] keys, int valueSize, boolean direct) {
            super(keys, valueSize);
            this.direct = direct;
        }

        @Override Object get(int i) { return get(i, new ThreadState()); }

        @Override Object get(int i, ThreadState t) {
            ByteBuffer dst = t.buffer(value.length, direct);
            return cache.get(keys[i], dst) < 0 ? null : dst;
        }
    }

    /**
     * What Caffeine's store copies. {@code NONE}: every entry references the one value array, so its entries
     * fit a core's L2 cache whatever the value size. {@code ON_PUT}: each entry holds its own array, as a cache
     * of distinct values does (the working set NativeCache and OHC have). {@code ON_PUT_AND_GET}: and each get
     * returns a copy too, as a cache whose callers may not share its arrays must.
     */
    enum Copies { NONE, ON_PUT, ON_PUT_AND_GET }

    static final class CaffeineStore extends Store {
        private final Cache<String, byte[]> cache = Caffeine.newBuilder()
                .maximumSize(2L * SIZE).expireAfterWrite(TTL).build();
        private final String[] keys;
        private final byte[] value;
        private final Copies copies;

        CaffeineStore(String[] keys, int valueSize, Copies copies) {
            this.keys = keys;
            this.value = value(valueSize);
            this.copies = copies;
        }

        @Override Object get(int i) {
            byte[] v = cache.getIfPresent(keys[i]);
            return copies == Copies.ON_PUT_AND_GET && v != null ? v.clone() : v;
        }

        @Override void put(int i) { cache.put(keys[i], copies == Copies.NONE ? value : value.clone()); }
    }

    static final class ChmStore extends Store {
        private final ConcurrentHashMap<String, byte[]> map = new ConcurrentHashMap<>(4 * SIZE);
        private final String[] keys;
        private final byte[] value;

        ChmStore(String[] keys, int valueSize) {
            this.keys = keys;
            this.value = value(valueSize);
        }

        @Override Object get(int i) { return map.get(keys[i]); }
        @Override void put(int i) { map.put(keys[i], value); }
    }

    static final class OhcStore extends Store {
        private final OHCache<byte[], byte[]> cache;
        private final byte[][] keys;
        private final byte[] value;

        OhcStore(String[] keys, int valueSize) {
            this.keys = bytes(keys);
            this.value = value(valueSize);
            this.cache = OHCacheBuilder.<byte[], byte[]>newBuilder()
                    .keySerializer(BytesSerializer.INSTANCE)
                    .valueSerializer(BytesSerializer.INSTANCE)
                    // room for every entry with a generous per-entry overhead, so nothing is evicted
                    .capacity(2L * SIZE * (valueSize + 16 + 128))
                    .timeouts(true)
                    .defaultTTLmillis(TTL.toMillis())
                    .build();
        }

        @Override Object get(int i) { return cache.get(keys[i]); }
        @Override void put(int i) { cache.put(keys[i], value); }
        @Override public void close() throws IOException { cache.close(); }
    }

    /** byte[] as a length-prefixed blob: OHC copies it into off-heap memory and back out. */
    enum BytesSerializer implements CacheSerializer<byte[]> {
        INSTANCE;

        @Override
        public void serialize(byte[] value, ByteBuffer buf) {
            buf.putInt(value.length);
            buf.put(value);
        }

        @Override
        public byte[] deserialize(ByteBuffer buf) {
            byte[] b = new byte[buf.getInt()];
            buf.get(b);
            return b;
        }

        @Override
        public int serializedSize(byte[] value) {
            return 4 + value.length;
        }
    }
}
