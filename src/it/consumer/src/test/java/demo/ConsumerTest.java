package demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sark.cache.NativeCache;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConsumerTest {
    @Test
    void cacheFromTheClassifierJarWorks() throws Exception {
        try (NativeCache cache = new NativeCache(2, Duration.ofMinutes(1))) {
            cache.put("a", "1");
            cache.put("b", "2");
            assertEquals("1", cache.get("a"));
            cache.put("c", "3"); // evicts b, the least recently used
            assertNull(cache.get("b"));
            cache.put("t", "x", Duration.ofMillis(30)); // evicts a
            assertNull(cache.get("a"));
            Thread.sleep(80);
            assertNull(cache.get("t"));
            assertEquals(2, cache.stats().evictions());
            assertEquals(1, cache.stats().expirations());
        }
    }
}
