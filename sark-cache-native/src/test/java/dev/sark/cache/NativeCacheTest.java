package dev.sark.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** Single-threaded behaviour: hits, misses, LRU, TTL, stats and byte/String encoding. */
class NativeCacheTest {

    private static final Duration HOUR = Duration.ofHours(1);

    /** A cache whose clock stands at 0 until the test advances it: expiry is tested without sleeping. */
    private static NativeCache onManualClock(long maxEntries, Duration defaultTtl) {
        return NativeCache.builder().maximumEntries(maxEntries).defaultTtl(defaultTtl).manualClock().build();
    }

    private static void advance(NativeCache cache, long millis) {
        cache.advanceClock(Duration.ofMillis(millis));
    }

    @Test
    void missThenHit() {
        try (NativeCache cache = new NativeCache(10, HOUR)) {
            assertNull(cache.get("a"));
            cache.put("a", "1");
            assertEquals("1", cache.get("a"));
            assertEquals(1, cache.size());
        }
    }

    @Test
    void entriesExpireAfterTheDefaultTtl() {
        try (NativeCache cache = onManualClock(10, Duration.ofMillis(50))) {
            cache.put("a", "1");
            assertEquals("1", cache.get("a"));
            advance(cache, 49);
            assertEquals("1", cache.get("a"), "1 ms before the TTL");
            advance(cache, 1);
            assertNull(cache.get("a"), "at the TTL");
            assertEquals(0, cache.size(), "the expired entry is dropped when a get finds it");
            assertEquals(1, cache.stats().expirations());
        }
    }

    @Test
    void perEntryTtlOverridesTheDefault() {
        byte[] shortKey = "short".getBytes(StandardCharsets.UTF_8);
        try (NativeCache cache = onManualClock(10, Duration.ofMillis(50))) {
            cache.put("long", "1", HOUR);
            cache.put("default", "2");
            cache.put(shortKey, new byte[] {3}, Duration.ofMillis(10));
            advance(cache, 10);
            assertNull(cache.get(shortKey), "shorter than the default");
            assertEquals("2", cache.get("default"));
            advance(cache, 40);
            assertNull(cache.get("default"));
            assertEquals("1", cache.get("long"), "longer than the default");
            advance(cache, HOUR.toMillis() - 51);
            assertEquals("1", cache.get("long"));
            advance(cache, 1);
            assertNull(cache.get("long"));
        }
    }

    @Test
    void subMillisecondAndHugeTtlsAreAccepted() {
        try (NativeCache cache = onManualClock(10, Duration.ofSeconds(Long.MAX_VALUE))) {
            cache.put("forever", "1");
            cache.put("tiny", "2", Duration.ofNanos(1));
            assertEquals("2", cache.get("tiny"), "rounded up to 1 ms, not down to 0");
            advance(cache, 1);
            assertNull(cache.get("tiny"));
            cache.advanceClock(Duration.ofSeconds(Long.MAX_VALUE)); // as far as the clock goes
            assertEquals("1", cache.get("forever"));
        }
    }

    @Test
    void theManualClockMovesOnlyForwardByWholeMillisecondsAndOnlyOnACacheBuiltWithIt() {
        try (NativeCache cache = onManualClock(10, HOUR)) {
            cache.advanceClock(Duration.ZERO);
            assertThrows(IllegalArgumentException.class, () -> cache.advanceClock(Duration.ofMillis(-1)));
            assertThrows(IllegalArgumentException.class, () -> cache.advanceClock(Duration.ofNanos(1_500_000)));
            assertThrows(IllegalArgumentException.class, () -> cache.advanceClock(null));
            cache.close();
            assertThrows(IllegalStateException.class, () -> cache.advanceClock(Duration.ofMillis(1)));
        }
        try (NativeCache cache = new NativeCache(10, HOUR)) {
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> cache.advanceClock(Duration.ofMillis(1)));
            assertTrue(e.getMessage().contains("manualClock()"), e.getMessage());
        }
    }

    @Test
    void leastRecentlyUsedIsEvictedFirstAndGetCountsAsUse() {
        try (NativeCache cache = new NativeCache(3, HOUR)) {
            cache.put("a", "1");
            cache.put("b", "2");
            cache.put("c", "3");
            assertEquals("1", cache.get("a")); // order: b, c, a
            cache.put("d", "4"); // evicts b
            assertNull(cache.get("b"));
            cache.put("e", "5"); // evicts c
            assertNull(cache.get("c"));
            assertEquals("1", cache.get("a"));
            assertEquals("4", cache.get("d"));
            assertEquals("5", cache.get("e"));
            assertEquals(3, cache.size());
            assertEquals(2, cache.stats().evictions());
        }
    }

    @Test
    void updatingAKeyKeepsTheSizeAndRefreshesIt() {
        try (NativeCache cache = new NativeCache(2, HOUR)) {
            cache.put("a", "1");
            cache.put("b", "2");
            cache.put("a", "updated");
            assertEquals(2, cache.size());
            cache.put("c", "3"); // b is now the least recently used
            assertEquals("updated", cache.get("a"));
            assertNull(cache.get("b"));
            assertEquals(1, cache.stats().evictions());
        }
    }

    @Test
    void capacityOne() {
        try (NativeCache cache = new NativeCache(1, HOUR)) {
            cache.put("a", "1");
            cache.put("b", "2");
            assertEquals(1, cache.size());
            assertNull(cache.get("a"));
            assertEquals("2", cache.get("b"));
            cache.put("b", "3");
            assertEquals("3", cache.get("b"));
            assertEquals(1, cache.size());
        }
    }

    @Test
    void removeAndClear() {
        try (NativeCache cache = new NativeCache(10, HOUR)) {
            cache.put("a", "1");
            cache.put("b", "2");
            assertTrue(cache.remove("a"));
            assertFalse(cache.remove("a"));
            assertFalse(cache.remove(new byte[] {42}));
            assertNull(cache.get("a"));
            cache.clear();
            assertEquals(0, cache.size());
            assertNull(cache.get("b"));
        }
    }

    @Test
    void cleanupExpiredRemovesOnlyExpiredEntries() {
        try (NativeCache cache = onManualClock(100, HOUR)) {
            for (int i = 0; i < 5; i++) {
                cache.put("short" + i, "v", Duration.ofMillis(50));
            }
            cache.put("keep", "v");
            assertEquals(0, cache.cleanupExpired());
            advance(cache, 49);
            assertEquals(0, cache.cleanupExpired(), "1 ms before the TTL");
            advance(cache, 1);
            assertEquals(6, cache.size(), "expired entries count until removed");
            assertEquals(5, cache.cleanupExpired());
            assertEquals(1, cache.size());
            assertEquals("v", cache.get("keep"));
            assertEquals(5, cache.stats().expirations());
        }
    }

    @Test
    void statsCountHitsMissesEvictionsAndExpirations() {
        try (NativeCache cache = onManualClock(2, HOUR)) {
            CacheStats empty = cache.stats();
            assertEquals(new CacheStats(0, 0, 0, 0, 0), empty);
            assertEquals(0.0, empty.hitRate());

            cache.put("a", "1");
            cache.put("b", "2");
            cache.put("c", "3"); // evicts a
            cache.get("b"); // hit
            cache.get("c"); // hit
            cache.get("c"); // hit
            cache.get("a"); // miss
            cache.put("t", "x", Duration.ofMillis(20)); // evicts b
            advance(cache, 20);
            cache.get("t"); // expired: a miss and an expiration

            CacheStats s = cache.stats();
            assertEquals(3, s.hits());
            assertEquals(2, s.misses());
            assertEquals(2, s.evictions());
            assertEquals(1, s.expirations());
            assertEquals(1, s.size());
            assertEquals(5, s.requests());
            assertEquals(0.6, s.hitRate(), 1e-9);
        }
    }

    @Test
    void stringsRoundTripExactly() {
        String[] samples = {
            "", "a\u0000b", "\u0000", "emoji \uD83D\uDE00 and \uD83C\uDDEB\uD83C\uDDF7",
            "\u4E2D\u6587\u6F22\u5B57 \u65E5\u672C\u8A9E \uD55C\uAD6D\uC5B4", "\uD834\uDD1E music", "line\nbreak\ttab",
        };
        try (NativeCache cache = new NativeCache(100, HOUR)) {
            for (String s : samples) {
                cache.put("key-" + s, s);
            }
            for (String s : samples) {
                assertEquals(s, cache.get("key-" + s), "round trip of " + Arrays.toString(s.toCharArray()));
            }
        }
    }

    @Test
    void aStringKeyAndItsUtf8BytesAreTheSameEntry() {
        try (NativeCache cache = new NativeCache(10, HOUR)) {
            String key = "k\u0000\uD83D\uDE00";
            byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
            cache.put(key, "v\u00E9");
            assertArrayEquals("v\u00E9".getBytes(StandardCharsets.UTF_8), cache.get(keyBytes));
            cache.put(keyBytes, "w".getBytes(StandardCharsets.UTF_8));
            assertEquals("w", cache.get(key));
            assertEquals(1, cache.size());
            assertTrue(cache.remove(keyBytes));
            assertNull(cache.get(key));
        }
    }

    @Test
    void allByteValuesRoundTrip() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        try (NativeCache cache = new NativeCache(10, HOUR)) {
            cache.put(all, all);
            byte[] got = cache.get(all.clone());
            assertArrayEquals(all, got);
            got[0] = 99; // the caller gets a copy; the cache is unaffected
            assertArrayEquals(all, cache.get(all));
            cache.put(new byte[0], new byte[0]);
            assertArrayEquals(new byte[0], cache.get(new byte[0]));
        }
    }

    @Test
    void largeValues() {
        byte[] big = new byte[1 << 20];
        new java.util.Random(42).nextBytes(big);
        String bigString = "\uD83D\uDE00\u4E2D".repeat(1 << 17); // 1.75 MB of UTF-8
        try (NativeCache cache = new NativeCache(10, HOUR)) {
            cache.put("big".getBytes(StandardCharsets.UTF_8), big);
            cache.put("bigString", bigString);
            assertArrayEquals(big, cache.get("big".getBytes(StandardCharsets.UTF_8)));
            assertEquals(bigString, cache.get("bigString"));
        }
    }

    @Test
    void nonUtf8ValueReadAsStringIsRejectedNotMangled() {
        try (NativeCache cache = new NativeCache(10, HOUR)) {
            cache.put("k".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF, (byte) 0xC0});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cache.get("k"));
            assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
        }
    }

    @Test
    void readingBytesThatAreNotUtf8AsAStringIsAnErrorNotReplacementCharacters() {
        try (NativeCache cache = new NativeCache(4, Duration.ofMinutes(1))) {
            cache.put("raw".getBytes(StandardCharsets.UTF_8), new byte[] {'o', 'k', (byte) 0xff});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cache.get("raw"));
            assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
            // a genuine U+FFFD is text like any other
            cache.put("fffd", "a\uFFFDb");
            assertEquals("a\uFFFDb", cache.get("fffd"));
        }
    }
}
