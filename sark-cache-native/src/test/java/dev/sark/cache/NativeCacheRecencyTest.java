package dev.sark.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The two recency modes of a segmented cache (16,384 entries or more), told apart by one workload: fill the
 * cache, read every key in the reverse of the order they were put, then put half as many new keys again.
 *
 * <p>Exact LRU ({@code strictLru(true)}) evicts, in each segment, the keys read first: the ones put last.
 * The default (a get marks, eviction gives marked entries one second chance) finds every entry marked, so
 * each one goes to the front in turn, clearing its mark, in the order they were put; eviction then takes the
 * keys put first. Which keys survive shows which mode the native cache runs.
 */
class NativeCacheRecencyTest {
    private static final int ENTRIES = 16_384;

    @Test
    void strictLruEvictsTheKeysReadLeastRecently() {
        try (NativeCache cache = NativeCache.builder().maximumEntries(ENTRIES).strictLru(true).build()) {
            fillReadBackwardsAndPutHalfAsManyNewKeys(cache);
            assertNotNull(cache.get("0"), "read last: the most recently used of its segment");
            assertNull(cache.get(String.valueOf(ENTRIES - 1)), "read first: the least recently used of its segment");
        }
    }

    @Test
    void byDefaultAReadEntryGetsOneSecondChanceAndThenGoesInTheOrderItCameIn() {
        try (NativeCache cache = NativeCache.builder().maximumEntries(ENTRIES).build()) {
            fillReadBackwardsAndPutHalfAsManyNewKeys(cache);
            assertNull(cache.get("0"), "put first: evicted once every mark of its segment was cleared");
            assertNotNull(cache.get(String.valueOf(ENTRIES - 1)), "put last");
        }
    }

    @Test
    void theConstructorsCacheIsSegmentedWithSecondChanceToo() {
        try (NativeCache cache = new NativeCache(ENTRIES, Duration.ofHours(1))) {
            fillReadBackwardsAndPutHalfAsManyNewKeys(cache);
            assertNull(cache.get("0"));
            assertNotNull(cache.get(String.valueOf(ENTRIES - 1)));
        }
    }

    private static void fillReadBackwardsAndPutHalfAsManyNewKeys(NativeCache cache) {
        for (int i = 0; i < ENTRIES; i++) {
            cache.put(String.valueOf(i), "v");
        }
        for (int i = ENTRIES - 1; i >= 0; i--) {
            assertNotNull(cache.get(String.valueOf(i)));
        }
        for (int i = 0; i < ENTRIES / 2; i++) {
            cache.put("new-" + i, "v");
        }
        CacheStats stats = cache.stats();
        assertEquals(ENTRIES, stats.size());
        assertEquals(ENTRIES / 2, stats.evictions());
        assertEquals(ENTRIES, stats.hits());
    }
}
