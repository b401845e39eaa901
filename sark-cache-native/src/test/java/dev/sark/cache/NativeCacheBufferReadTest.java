package dev.sark.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link NativeCache#get(byte[], ByteBuffer)}: reads into a caller's buffer, heap or direct, of any size. */
class NativeCacheBufferReadTest {
    private static final byte[] KEY = "key".getBytes(StandardCharsets.UTF_8);

    @Test
    void copiesAtThePositionAndAdvancesIt_heapAndDirect() {
        for (ByteBuffer dst : new ByteBuffer[] {ByteBuffer.allocate(64), ByteBuffer.allocateDirect(64)}) {
            try (NativeCache cache = new NativeCache(10, Duration.ofHours(1))) {
                cache.put(KEY, new byte[] {1, 2, 3});
                dst.position(5);
                assertEquals(3, cache.get(KEY, dst));
                assertEquals(8, dst.position());
                byte[] written = new byte[3];
                dst.get(5, written);
                assertArrayEquals(new byte[] {1, 2, 3}, written);
                assertEquals(0, dst.get(4), "nothing written before the position");
                assertEquals(1, cache.stats().hits());
            }
        }
    }

    @Test
    void absentAndExpiredAreMinusOne() {
        NativeCache.Builder builder = NativeCache.builder().maximumEntries(10).defaultTtl(Duration.ofMillis(30));
        try (NativeCache cache = builder.manualClock().build()) {
            ByteBuffer dst = ByteBuffer.allocate(16);
            assertEquals(-1, cache.get(KEY, dst));
            assertEquals(0, dst.position());
            cache.put(KEY, new byte[] {9});
            cache.advanceClock(Duration.ofMillis(29));
            assertEquals(1, cache.get(KEY, dst), "1 ms before the TTL");
            cache.advanceClock(Duration.ofMillis(1));
            assertEquals(-1, cache.get(KEY, dst));
            assertEquals(1, dst.position(), "nothing written on a miss");
        }
    }

    @Test
    void aValueLargerThanTheBufferLeavesItUntouchedAndReportsTheLength() {
        try (NativeCache cache = new NativeCache(10, Duration.ofHours(1))) {
            byte[] value = new byte[100];
            Arrays.fill(value, (byte) 7);
            cache.put(KEY, value);
            ByteBuffer small = ByteBuffer.allocate(99);
            assertEquals(100, cache.get(KEY, small));
            assertEquals(0, small.position());
            assertEquals(0, small.get(0), "nothing copied");
            ByteBuffer enough = ByteBuffer.allocate(100);
            assertEquals(100, cache.get(KEY, enough));
            assertArrayEquals(value, enough.array());
        }
    }

    @Test
    void aDirectBufferIsWrittenOnlyBetweenItsPositionAndLimit() {
        try (NativeCache cache = new NativeCache(10, Duration.ofHours(1))) {
            ByteBuffer dst = ByteBuffer.allocateDirect(16);
            dst.position(2).limit(8);
            cache.put(KEY, new byte[] {1, 2, 3, 4, 5, 6, 7});
            assertEquals(7, cache.get(KEY, dst), "one byte over the limit");
            assertEquals(2, dst.position());
            ByteBuffer wholeView = dst.duplicate().clear();
            for (int i = 0; i < 16; i++) {
                assertEquals(0, wholeView.get(i), "nothing written at " + i);
            }
            cache.put(KEY, new byte[] {1, 2, 3, 4, 5, 6});
            assertEquals(6, cache.get(KEY, dst));
            assertEquals(8, dst.position());
            byte[] all = new byte[16];
            wholeView.get(0, all);
            assertArrayEquals(new byte[] {0, 0, 1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0}, all);
            assertEquals(2, cache.stats().hits(), "the read that did not fit is a hit too");
        }
    }

    @Test
    void readsIntoDifferentDirectBuffersInTurnLandInEach() {
        try (NativeCache cache = new NativeCache(10, Duration.ofHours(1))) {
            cache.put(KEY, new byte[] {4, 5});
            ByteBuffer whole = ByteBuffer.allocateDirect(8);
            ByteBuffer firstHalf = whole.duplicate().limit(4).slice();
            ByteBuffer secondHalf = whole.duplicate().position(4).slice();
            for (int round = 0; round < 3; round++) {
                for (ByteBuffer dst : new ByteBuffer[] {secondHalf, firstHalf, ByteBuffer.allocateDirect(2)}) {
                    dst.clear();
                    assertEquals(2, cache.get(KEY, dst));
                    assertEquals(4, dst.get(0));
                    assertEquals(5, dst.get(1));
                }
            }
            byte[] all = new byte[8];
            whole.get(0, all);
            assertArrayEquals(new byte[] {4, 5, 0, 0, 4, 5, 0, 0}, all);
            assertThrows(ReadOnlyBufferException.class, () -> cache.get(KEY, whole.asReadOnlyBuffer()));
        }
    }

    @Test
    void valuesBeyondTheScratchBufferAndEmptyValues() {
        try (NativeCache cache = new NativeCache(10, Duration.ofHours(1))) {
            byte[] big = new byte[ScratchBuffer.MAX_CAPACITY * 3 + 17];
            new Random(1).nextBytes(big);
            cache.put(KEY, big);
            ByteBuffer dst = ByteBuffer.allocateDirect(big.length);
            assertEquals(big.length, cache.get(KEY, dst));
            byte[] back = new byte[big.length];
            dst.flip().get(back);
            assertArrayEquals(big, back);

            cache.put(KEY, new byte[0]);
            assertEquals(0, cache.get(KEY, ByteBuffer.allocate(0)));
            assertEquals(0, cache.get(KEY, ByteBuffer.allocateDirect(0)));
            ByteBuffer direct = ByteBuffer.allocateDirect(4);
            assertEquals(0, cache.get(KEY, direct));
            assertEquals(0, direct.position());
        }
    }

    @Test
    void aReadOnlyBufferIsRefusedAndNullsAreIllegalArguments() {
        try (NativeCache cache = new NativeCache(10, Duration.ofHours(1))) {
            cache.put(KEY, new byte[] {1});
            assertThrows(ReadOnlyBufferException.class, () -> cache.get(KEY, ByteBuffer.allocate(4).asReadOnlyBuffer()));
            assertThrows(IllegalArgumentException.class, () -> cache.get(null, ByteBuffer.allocate(4)));
            assertThrows(IllegalArgumentException.class, () -> cache.get(KEY, (ByteBuffer) null));
        }
    }

    @Test
    void afterCloseItIsAnIllegalState() {
        NativeCache cache = new NativeCache(10, Duration.ofHours(1));
        cache.close();
        assertThrows(IllegalStateException.class, () -> cache.get(KEY, ByteBuffer.allocate(4)));
    }
}
