package dev.sark.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sark.cache.NativeCache;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * What the heap holds: N entries of a given value size in NativeCache or Caffeine, then a
 * churn phase (N reads and N/4 replacing writes at random keys, each write a fresh value array as an
 * application would produce), then a full GC. Prints one line of key=value pairs: heap used after the
 * GC, the JVM's GC counts and collection times (GarbageCollectorMXBean), the process RSS, and phase
 * times. Run each implementation in its own JVM with the same -Xmx and -Xlog:gc (scripts/bench-heap.sh
 * adds the pause totals from the log).
 *
 * <p>Usage: {@code HeapFootprint native|caffeine [entries=1000000] [valueBytes=1024]}
 */
public final class HeapFootprint {

    public static void main(String[] args) throws Exception {
        String impl = args.length > 0 ? args[0] : "native";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int valueSize = args.length > 2 ? Integer.parseInt(args[2]) : 1024;

        byte[][] keys = new byte[n][];
        String[] keyStrings = new String[n];
        for (int i = 0; i < n; i++) {
            keyStrings[i] = CacheBenchmark.key(i);
            keys[i] = keyStrings[i].getBytes(StandardCharsets.US_ASCII);
        }
        System.gc();
        long baselineHeap = heapUsed();

        Target target = impl.equals("native") ? new NativeTarget(n) : impl.equals("caffeine") ? new CaffeineTarget(n) : null;
        if (target == null) {
            throw new IllegalArgumentException("impl must be native or caffeine, got " + impl);
        }
        SplittableRandom random = new SplittableRandom(7);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            target.put(i, keys[i], keyStrings[i], value(valueSize, i));
        }
        long t1 = System.nanoTime();
        long hits = 0;
        for (int op = 0; op < n + n / 4; op++) {
            int i = random.nextInt(n);
            if (op % 5 == 4) {
                target.put(i, keys[i], keyStrings[i], value(valueSize, op));
            } else if (target.get(i, keys[i], keyStrings[i])) {
                hits++;
            }
        }
        long t2 = System.nanoTime();
        long size = target.size();
        System.gc();
        long heapAfterGc = heapUsed();

        long gcCount = 0;
        long gcMillis = 0;
        StringBuilder perCollector = new StringBuilder();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(gc.getCollectionCount(), 0);
            gcMillis += Math.max(gc.getCollectionTime(), 0);
            perCollector.append(' ').append(gc.getName().replace(' ', '_')).append('=')
                    .append(gc.getCollectionCount()).append('/').append(gc.getCollectionTime()).append("ms");
        }
        System.out.printf("impl=%s entries=%d valueBytes=%d size=%d hits=%d fill_ms=%d churn_ms=%d"
                        + " heap_baseline_mb=%.1f heap_after_gc_mb=%.1f cache_heap_mb=%.1f rss_mb=%.1f gc_count=%d gc_time_ms=%d%s%n",
                impl, n, valueSize, size, hits, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                mb(baselineHeap), mb(heapAfterGc), mb(heapAfterGc - baselineHeap), rssMb(), gcCount, gcMillis, perCollector);
        // keep the cache reachable until after the measurement
        target.close();
    }

    private static byte[] value(int size, int seed) {
        byte[] v = new byte[size];
        v[0] = (byte) seed;
        v[size - 1] = (byte) (seed >>> 8);
        return v;
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static double rssMb() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (Exception e) {
            // not Linux: leave it out
        }
        return -1;
    }

    private interface Target extends AutoCloseable {
        void put(int i, byte[] key, String keyString, byte[] value);

        boolean get(int i, byte[] key, String keyString);

        long size();

        @Override
        void close();
    }

    private static final class NativeTarget implements Target {
        private final NativeCache cache;

        NativeTarget(int n) {
            cache = new NativeCache(n, Duration.ofMinutes(30));
        }

        @Override public void put(int i, byte[] key, String keyString, byte[] value) { cache.put(key, value); }
        @Override public boolean get(int i, byte[] key, String keyString) { return cache.get(key) != null; }
        @Override public long size() { return cache.size(); }
        @Override public void close() { cache.close(); }
    }

    private static final class CaffeineTarget implements Target {
        private final Cache<String, byte[]> cache;

        CaffeineTarget(int n) {
            cache = Caffeine.newBuilder().maximumSize(n).expireAfterWrite(Duration.ofMinutes(30)).build();
        }

        @Override public void put(int i, byte[] key, String keyString, byte[] value) { cache.put(keyString, value); }
        @Override public boolean get(int i, byte[] key, String keyString) { return cache.getIfPresent(keyString) != null; }
        @Override public long size() { cache.cleanUp(); return cache.estimatedSize(); }
        @Override public void close() { cache.invalidateAll(); }
    }
}
