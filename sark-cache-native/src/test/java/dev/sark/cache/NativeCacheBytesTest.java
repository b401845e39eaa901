package dev.sark.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The builder, the byte bound, oversized entries and {@link CacheStats#usedBytes()}. */
class NativeCacheBytesTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final long OVERHEAD = NativeCache.ENTRY_OVERHEAD_BYTES;

    /** What an entry of these lengths counts against the byte bound. */
    private static long charge(int keyLength, int valueLength) {
        return keyLength + valueLength + OVERHEAD;
    }

    private static byte[] bytes(int length, int fill) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) fill);
        return b;
    }

    private static byte[] key(String k) {
        return k.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void builderRejectsNonPositiveValuesAndAMissingBound() {
        for (long bad : new long[] {0, -1, Long.MIN_VALUE}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> NativeCache.builder().maximumEntries(bad));
            assertTrue(e.getMessage().contains("maximumEntries"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> NativeCache.builder().maximumBytes(bad));
            assertThrows(IllegalArgumentException.class, () -> NativeCache.builder().maxEntryBytes(bad));
        }
        assertThrows(IllegalArgumentException.class, () -> NativeCache.builder().defaultTtl(null));
        assertThrows(IllegalArgumentException.class, () -> NativeCache.builder().defaultTtl(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> NativeCache.builder().defaultTtl(Duration.ofMillis(-1)));
        assertThrows(IllegalStateException.class, () -> NativeCache.builder().build());
        assertThrows(IllegalStateException.class,
                () -> NativeCache.builder().maxEntryBytes(100).defaultTtl(HOUR).build());
        // The constructor keeps its own checks and messages.
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new NativeCache(0, HOUR));
        assertEquals("maxEntries must be positive, got 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NativeCache(1, null));
    }

    @Test
    void anEntryBoundedBuilderBehavesLikeTheConstructor() {
        try (NativeCache cache = NativeCache.builder().maximumEntries(2).defaultTtl(HOUR).build()) {
            cache.put("a", "1");
            cache.put("b", "2");
            assertEquals("1", cache.get("a"));
            cache.put("c", "3"); // evicts b
            assertNull(cache.get("b"));
            assertEquals(2, cache.size());
            assertEquals(1, cache.stats().evictions());
        }
    }

    @Test
    void withoutADefaultTtlEntriesDoNotExpireButAPerEntryTtlStillApplies() {
        try (NativeCache cache = NativeCache.builder().maximumBytes(1 << 20).manualClock().build()) {
            cache.put("forever", "1");
            cache.put("short", "2", Duration.ofMillis(20));
            cache.advanceClock(Duration.ofMillis(19));
            assertEquals("2", cache.get("short"));
            cache.advanceClock(Duration.ofMillis(1));
            assertNull(cache.get("short"));
            cache.advanceClock(Duration.ofDays(365L * 1000));
            assertEquals("1", cache.get("forever"), "still there a thousand years on");
        }
        NativeCache.Builder builder = NativeCache.builder().maximumEntries(10).defaultTtl(Duration.ofMillis(20));
        try (NativeCache cache = builder.manualClock().build()) {
            cache.put("a", "1");
            cache.advanceClock(Duration.ofMillis(19));
            assertEquals("1", cache.get("a"));
            cache.advanceClock(Duration.ofMillis(1));
            assertNull(cache.get("a"));
        }
    }

    @Test
    void usedBytesCountsKeysValuesAndOverheadExactlyOnEveryPath() {
        try (NativeCache cache = NativeCache.builder().maximumEntries(100).defaultTtl(HOUR).manualClock().build()) {
            assertEquals(new CacheStats(0, 0, 0, 0, 0, 0), cache.stats());
            cache.put(key("a"), bytes(10, 1));
            cache.put("\u00e9t\u00e9", "x"); // 5 UTF-8 bytes of key
            cache.put(key("big"), bytes(100_000, 2)); // passed as arrays, not through the scratch buffer
            long expected = charge(1, 10) + charge(5, 1) + charge(3, 100_000);
            assertEquals(expected, cache.stats().usedBytes());

            cache.put(key("a"), bytes(30, 3)); // replace with a larger value
            expected += 20;
            assertEquals(expected, cache.stats().usedBytes());
            cache.put(key("big"), bytes(10, 4)); // replace with a smaller one
            expected -= 99_990;
            assertEquals(expected, cache.stats().usedBytes());

            assertTrue(cache.remove(key("a")));
            expected -= charge(1, 30);
            assertEquals(expected, cache.stats().usedBytes());

            cache.clear();
            assertEquals(0, cache.stats().usedBytes());

            cache.put("onGet", "1", Duration.ofMillis(20));
            cache.put("onCleanup", "12", Duration.ofMillis(20));
            cache.put("live", "123");
            cache.advanceClock(Duration.ofMillis(20));
            assertNull(cache.get("onGet"));
            assertEquals(charge(9, 2) + charge(4, 3), cache.stats().usedBytes());
            assertEquals(1, cache.cleanupExpired());
            CacheStats s = cache.stats();
            assertEquals(charge(4, 3), s.usedBytes());
            assertEquals(1, s.size());
        }
    }

    @Test
    void aPutOverTheByteBoundEvictsLeastRecentlyUsedEntriesUntilItFits() {
        long bound = 4 * charge(1, 100);
        try (NativeCache cache = NativeCache.builder().maximumBytes(bound).defaultTtl(HOUR).build()) {
            for (String k : new String[] {"a", "b", "c", "d"}) {
                cache.put(key(k), bytes(100, 1));
            }
            assertEquals(0, cache.stats().evictions(), "exactly four entries fit");
            assertEquals(bound, cache.stats().usedBytes());
            assertNotNull(cache.get(key("a"))); // order: b, c, d, a
            // Two and a half entries' worth: b, c and d must go, a stays.
            byte[] large = bytes((int) (2 * charge(1, 100) + 50), 9);
            cache.put(key("e"), large);
            for (String gone : new String[] {"b", "c", "d"}) {
                assertNull(cache.get(key(gone)), gone);
            }
            assertNotNull(cache.get(key("a")));
            assertArrayEquals(large, cache.get(key("e")));
            CacheStats s = cache.stats();
            assertEquals(3, s.evictions());
            assertEquals(2, s.size());
            assertEquals(charge(1, 100) + charge(1, large.length), s.usedBytes());
            assertTrue(s.usedBytes() <= bound);
        }
    }

    @Test
    void replacingAValueChargesTheDifferenceAndEvictsOnlyOtherEntries() {
        try (NativeCache cache = NativeCache.builder().maximumBytes(3 * charge(1, 100)).build()) {
            for (String k : new String[] {"a", "b", "c"}) {
                cache.put(key(k), bytes(100, 1));
            }
            cache.put(key("a"), bytes(150, 2)); // 50 more than there is room: b, the LRU, goes
            assertNull(cache.get(key("b")));
            assertEquals(150, cache.get(key("a")).length);
            assertNotNull(cache.get(key("c")));
            assertEquals(charge(1, 150) + charge(1, 100), cache.stats().usedBytes());
        }
    }

    @Test
    void bothBoundsApply() {
        try (NativeCache cache = NativeCache.builder().maximumEntries(2).maximumBytes(1 << 20).build()) {
            cache.put("a", "1");
            cache.put("b", "2");
            cache.put("c", "3");
            assertEquals(2, cache.size());
            assertEquals(2 * charge(1, 1), cache.stats().usedBytes());
        }
    }

    @Test
    void anEntryOverMaxEntryBytesIsRejectedWithItsSizesAndChangesNothing() {
        long limit = charge(1, 100);
        try (NativeCache cache = NativeCache.builder().maximumEntries(10).maxEntryBytes(limit).build()) {
            cache.put(key("a"), bytes(100, 1)); // exactly the limit: accepted
            cache.put("b", "keep");
            CacheStats before = cache.stats();
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> cache.put(key("a"), bytes(101, 2)));
            String m = e.getMessage();
            assertTrue(m.contains("key 1") && m.contains("value 101") && m.contains("overhead " + OVERHEAD)
                    && m.contains("= " + charge(1, 101)) && m.contains("maxEntryBytes " + limit), m);
            // Large enough to go through the array path instead of the scratch buffer, and a new key.
            assertThrows(IllegalArgumentException.class, () -> cache.put(key("new"), bytes(200_000, 3)));
            assertEquals(before, cache.stats(), "no entry, byte or eviction changed");
            assertArrayEquals(bytes(100, 1), cache.get(key("a")), "the old value stays");
            assertNull(cache.get(key("new")));
        }
    }

    @Test
    void anEntryLargerThanTheWholeByteBoundIsRejected() {
        try (NativeCache cache = NativeCache.builder().maximumBytes(1000).build()) {
            cache.put("a", "1");
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> cache.put(key("b"), bytes(1000, 1)));
            assertTrue(e.getMessage().contains("maximumBytes 1000"), e.getMessage());
            assertEquals("1", cache.get("a"));
            assertEquals(0, cache.stats().evictions());
            assertEquals(charge(1, 1), cache.stats().usedBytes());
        }
    }

    @Test
    void manyPutsOfLargeValuesStayWithinTheBound() {
        long bound = 8L << 20;
        try (NativeCache cache = NativeCache.builder().maximumBytes(bound).build()) {
            byte[] value = bytes(1 << 20, 5);
            for (int i = 0; i < 100; i++) {
                cache.put(key("k" + i), value);
                assertTrue(cache.stats().usedBytes() <= bound);
            }
            CacheStats s = cache.stats();
            assertEquals(7, s.size(), "eight 1 MiB values plus overhead do not fit in 8 MiB; seven do");
            assertEquals(93, s.evictions());
            assertArrayEquals(value, cache.get(key("k99")));
        }
    }
}
