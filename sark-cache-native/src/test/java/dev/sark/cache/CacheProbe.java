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

    public static void main(String[] args) throws Exception {
        System.out.println("platform=" + Platform.current().classifier());
        System.out.println("libc=" + ProcessFacts.mappedCLibrary());
        try (NativeCache cache = new NativeCache(3, Duration.ofMinutes(1))) {
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
            System.out.println("bytes=" + java.util.Arrays.toString(cache.get(new byte[] {1, 2, 3})));
            Thread.sleep(300);
            System.out.println("ttlExpired=" + (cache.get(new byte[] {1, 2, 3}) == null));
            CacheStats stats = cache.stats();
            System.out.println("evictions=" + stats.evictions());
            System.out.println("expirations=" + stats.expirations());
            System.out.println("size=" + cache.size());
        }
    }
}
