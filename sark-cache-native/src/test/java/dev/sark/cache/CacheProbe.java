package dev.sark.cache;

import dev.sark.loader.Platform;
import dev.sark.testing.ProcessFacts;
import java.time.Duration;

/**
 * Exercises NativeCache and prints {@code key=value} facts; run in a JVM of another architecture by
 * {@link ForeignJvmCacheTest}, where it must load the library from the classifier JAR through the loader.
 */
public final class CacheProbe {
    private CacheProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("platform=" + Platform.current().classifier());
        System.out.println("libc=" + ProcessFacts.mappedCLibrary());
        // On a manual clock (a test seam): the TTL below runs out when the probe advances the clock, not after a sleep.
        NativeCache.Builder builder = NativeCache.builder().maximumEntries(3).defaultTtl(Duration.ofMinutes(1));
        try (NativeCache cache = builder.manualClock().build()) {
            String text = "caf\u00e9 \u0000 \ud83d\ude80 \u4e2d\u6587";
            cache.put("unicode", text);
            System.out.println("roundtrip=" + text.equals(cache.get("unicode")));
            cache.put("a", "1");
            cache.put("b", "2");
            cache.get("unicode");              // a is now the least recently used
            cache.put("c", "3");
            System.out.println("lruEvicted=" + (cache.get("a") == null));
            System.out.println("kept=" + cache.get("b") + cache.get("c"));
            cache.put(new byte[] {1, 2, 3}, new byte[] {(byte) 0xff, 0, 7}, Duration.ofMillis(50));
            cache.advanceClock(Duration.ofMillis(49));
            System.out.println("bytes=" + java.util.Arrays.toString(cache.get(new byte[] {1, 2, 3})));
            cache.advanceClock(Duration.ofMillis(1));
            System.out.println("ttlExpired=" + (cache.get(new byte[] {1, 2, 3}) == null));
            CacheStats stats = cache.stats();
            System.out.println("evictions=" + stats.evictions());
            System.out.println("expirations=" + stats.expirations());
            System.out.println("size=" + cache.size());
        }
        // The system clock, which every cache outside tests reads, is the platform's own (a coarse monotonic clock
        // per OS): proving it on this platform takes real time, so this one fact waits for it.
        try (NativeCache cache = new NativeCache(1, Duration.ofMinutes(1))) {
            cache.put("fresh", "1", Duration.ofMillis(50));
            System.out.println("liveOnSystemClock=" + "1".equals(cache.get("fresh")));
            Thread.sleep(300);
            System.out.println("expiredOnSystemClock=" + (cache.get("fresh") == null));
        }
    }
}
