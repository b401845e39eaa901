package dev.sark.cache;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** What callers must not be able to do to the JVM: bad arguments, use after close, native panics. */
class NativeCacheSafetyTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final byte[] K = {1};

    private static void assertIllegalArgument(Executable call, String messagePart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(messagePart), () -> "message '" + e.getMessage() + "' lacks '" + messagePart + "'");
    }

    @Test
    void badConstructorArguments() {
        assertIllegalArgument(() -> new NativeCache(0, HOUR), "maxEntries");
        assertIllegalArgument(() -> new NativeCache(-5, HOUR), "maxEntries");
        assertIllegalArgument(() -> new NativeCache(Long.MIN_VALUE, HOUR), "maxEntries");
        assertIllegalArgument(() -> new NativeCache(10, null), "defaultTtl");
        assertIllegalArgument(() -> new NativeCache(10, Duration.ZERO), "defaultTtl");
        assertIllegalArgument(() -> new NativeCache(10, Duration.ofMillis(-1)), "defaultTtl");
    }

    @Test
    void hugeCapacityIsFineBecauseNothingIsPreallocated() {
        try (NativeCache cache = new NativeCache(Long.MAX_VALUE, HOUR)) {
            cache.put("a", "1");
            assertEquals("1", cache.get("a"));
        }
    }

    @Test
    void badCallArguments() {
        try (NativeCache cache = new NativeCache(10, HOUR)) {
            assertIllegalArgument(() -> cache.get((String) null), "key");
            assertIllegalArgument(() -> cache.get((byte[]) null), "key");
            assertIllegalArgument(() -> cache.put((String) null, "v"), "key");
            assertIllegalArgument(() -> cache.put("k", null), "value");
            assertIllegalArgument(() -> cache.put("k", "v", null), "ttl");
            assertIllegalArgument(() -> cache.put("k", "v", Duration.ZERO), "ttl");
            assertIllegalArgument(() -> cache.put("k", "v", Duration.ofSeconds(-1)), "ttl");
            assertIllegalArgument(() -> cache.put((byte[]) null, K), "key");
            assertIllegalArgument(() -> cache.put(K, null), "value");
            assertIllegalArgument(() -> cache.put(K, K, null), "ttl");
            assertIllegalArgument(() -> cache.put(K, K, Duration.ofNanos(-1)), "ttl");
            assertIllegalArgument(() -> cache.remove((String) null), "key");
            assertIllegalArgument(() -> cache.remove((byte[]) null), "key");
            assertEquals(0, cache.size(), "rejected puts store nothing");
        }
    }

    @Test
    void unpairedSurrogatesAreRejectedNotReplaced() {
        try (NativeCache cache = new NativeCache(10, HOUR)) {
            assertIllegalArgument(() -> cache.put("\uD800", "v"), "surrogate");
            assertIllegalArgument(() -> cache.put("k", "a\uDC00b"), "surrogate");
            assertIllegalArgument(() -> cache.put("k", "ends high \uD83D"), "surrogate");
            assertIllegalArgument(() -> cache.get("\uDE00\uD83D"), "surrogate"); // reversed pair
            assertIllegalArgument(() -> cache.remove("x\uD800"), "surrogate");
            assertEquals(0, cache.size());
            // "?" is what String.getBytes would have substituted: it must not have been stored.
            assertEquals(null, cache.get("?"));
        }
    }

    @Test
    void everyCallAfterCloseThrowsIllegalState() {
        NativeCache cache = new NativeCache(10, HOUR);
        cache.put("a", "1");
        cache.close();
        List<Consumer<NativeCache>> calls = List.of(
                c -> c.get("a"), c -> c.get(K), c -> c.put("a", "1"), c -> c.put("a", "1", HOUR),
                c -> c.put(K, K), c -> c.put(K, K, HOUR), c -> c.remove("a"), c -> c.remove(K),
                NativeCache::clear, NativeCache::size, NativeCache::cleanupExpired, NativeCache::stats,
                c -> c.get((String) null)); // closed wins over a bad argument
        for (Consumer<NativeCache> call : calls) {
            assertThrows(IllegalStateException.class, () -> call.accept(cache));
        }
    }

    @Test
    void closeIsIdempotent() {
        NativeCache cache = new NativeCache(10, HOUR);
        cache.close();
        assertDoesNotThrow(cache::close);
        assertDoesNotThrow(cache::close);
    }

    @Test
    void aNativePanicBecomesAnExceptionAndTheJvmCarriesOn() {
        for (int i = 0; i < 3; i++) {
            IllegalStateException e = assertThrows(IllegalStateException.class, NativeCache::panicForTest);
            assertTrue(e.getMessage().contains("native panic"), e.getMessage());
        }
        try (NativeCache cache = new NativeCache(10, HOUR)) {
            cache.put("still", "works");
            assertEquals("works", cache.get("still"));
        }
    }

    @Test
    void unreachableCachesAreFreedByTheCleanerWithoutCrashing() throws InterruptedException {
        for (int i = 0; i < 2_000; i++) {
            NativeCache cache = new NativeCache(10, HOUR);
            cache.put("k" + i, "v");
            if (i % 2 == 0) {
                cache.close(); // closed or not, the Cleaner frees the native struct exactly once
            }
        }
        System.gc();
        Thread.sleep(200);
        try (NativeCache cache = new NativeCache(10, HOUR)) {
            cache.put("after", "gc");
            assertEquals("gc", cache.get("after"));
        }
    }
}
