package dev.sark.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Keys and values cross JNI through a per-thread scratch buffer when they fit and as arrays when they
 * do not; a value larger than the room left after the key is read as an array and the buffer grows.
 * Every size around those boundaries must round-trip exactly and be counted once.
 */
class NativeCacheSizesTest {

    private static final Duration HOUR = Duration.ofHours(1);

    static IntStream sizes() {
        int initial = ScratchBuffer.INITIAL_CAPACITY;
        int max = ScratchBuffer.MAX_CAPACITY;
        return IntStream.of(0, 1, 15, 16, initial - 17, initial - 16, initial - 15, initial, initial + 1,
                2 * initial, max - 17, max - 16, max - 15, max, max + 1, 3 * max);
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void valuesOfEverySizeAroundTheScratchBoundariesRoundTripAndCountOnce(int size) throws Exception {
        // A fresh thread starts with the smallest scratch buffer, so each size meets the boundaries anew.
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (NativeCache cache = new NativeCache(100, HOUR)) {
            byte[] key = bytes(16, size);
            byte[] value = bytes(size, size + 1);
            Future<?> done = thread.submit(() -> {
                cache.put(key, value);
                assertArrayEquals(value, cache.get(key), "first read, size " + size);
                assertArrayEquals(value, cache.get(key), "second read, size " + size);
            });
            done.get();
            CacheStats stats = cache.stats();
            assertEquals(2, stats.hits(), "each read is one hit whichever way it crossed");
            assertEquals(0, stats.misses());
        } finally {
            thread.shutdownNow();
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void keysOfEverySizeRoundTrip(int size) {
        try (NativeCache cache = new NativeCache(100, HOUR)) {
            byte[] key = bytes(size, 7 * size);
            byte[] value = bytes(32, size);
            cache.put(key, value);
            assertArrayEquals(value, cache.get(key));
            assertEquals(1, cache.size());
        }
    }

    @Test
    void aLargeCacheFillsToExactlyItsBoundAndEvictsOnePerNewKey() {
        int capacity = 50_000; // large enough to be split into segments
        try (NativeCache cache = new NativeCache(capacity, HOUR)) {
            for (int i = 0; i < capacity; i++) {
                cache.put("key-" + i, "v");
            }
            assertEquals(capacity, cache.size());
            assertEquals(0, cache.stats().evictions());
            for (int i = capacity; i < capacity + 1000; i++) {
                cache.put("key-" + i, "v");
            }
            assertEquals(capacity, cache.size());
            assertEquals(1000, cache.stats().evictions());
            for (int i = capacity; i < capacity + 1000; i++) {
                assertNotNull(cache.get("key-" + i), "the newest keys are held");
            }
        }
    }

    @Test
    void aLargeCacheEvictsOldEntriesNotRecentlyReadOnes() {
        int capacity = 50_000;
        try (NativeCache cache = new NativeCache(capacity, HOUR)) {
            for (int i = 0; i < capacity; i++) {
                cache.put("key-" + i, "v");
            }
            // Keep the first 1,000 keys in use while a tenth of the capacity of new keys arrives.
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < 1000; i++) {
                    assertNotNull(cache.get("key-" + i));
                }
                for (int i = 0; i < capacity / 50; i++) {
                    cache.put("new-" + round + "-" + i, "v");
                }
            }
            for (int i = 0; i < 1000; i++) {
                assertNotNull(cache.get("key-" + i), "key-" + i + " was read recently and must survive");
            }
        }
    }

    private static byte[] bytes(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }
}
