package dev.sark.cache;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Run by {@link NativeMemoryExhaustionTest} in a JVM whose address space is capped: puts VALUE_BYTES values
 * into a cache bounded by entries only (as a user who forgot maximumBytes would) until native memory runs
 * out, then checks that the put failed with an OutOfMemoryError, that the cache's records agree with what it
 * holds, that every value held is intact, and that the cache takes puts again once room is made. Prints
 * "ok STORED" and the error's message, or what was wrong, and exits non-zero on any failure.
 */
public final class NativeMemoryFillMain {
    private static final int MOST_PUTS = 1_000_000;

    private NativeMemoryFillMain() {
    }

    public static void main(String[] args) {
        int valueBytes = Integer.parseInt(args[0]);
        byte[] value = new byte[valueBytes];
        try (NativeCache cache = NativeCache.builder().maximumEntries(MOST_PUTS).build()) {
            int stored = 0;
            OutOfMemoryError refused = null;
            while (refused == null && stored < MOST_PUTS) {
                fill(value, stored);
                try {
                    cache.put(key(stored), value);
                    stored++;
                } catch (OutOfMemoryError e) {
                    refused = e;
                }
            }
            check(refused != null, "native memory never ran out after " + stored + " puts");
            CacheStats full = cache.stats();
            // a table that could not grow may have evicted entries to make room; nothing else leaves
            check(full.size() + full.evictions() == stored,
                    "size " + full.size() + " + evictions " + full.evictions() + " != puts " + stored);
            long charge = 8 + valueBytes + NativeCache.ENTRY_OVERHEAD_BYTES;
            check(full.usedBytes() == full.size() * charge, "usedBytes " + full.usedBytes() + " for " + full.size());

            // Make room (every other entry), then read back every entry still held: intact or absent.
            for (int i = 0; i < stored; i += 2) {
                cache.remove(key(i));
            }
            int verified = 0;
            for (int i = 1; i < stored; i += 2) {
                byte[] held = cache.get(key(i));
                if (held != null) {
                    fill(value, i);
                    check(Arrays.equals(held, value), "entry " + i + " came back changed");
                    verified++;
                }
            }
            check(verified == cache.size(), "verified " + verified + " of " + cache.size() + " entries held");
            fill(value, stored);
            cache.put(key(stored), value);
            check(Arrays.equals(cache.get(key(stored)), value), "a put after making room did not take");
            System.out.println("ok " + stored + " (" + verified + " verified after removing half): " + refused.getMessage());
        }
    }

    private static byte[] key(int i) {
        return ByteBuffer.allocate(8).putLong(i).array();
    }

    /**
     * A value that differs per entry at its start, middle and end, so a mixed-up or truncated value shows.
     * Only those bytes are written: the child runs interpreted, where filling every byte would dominate.
     */
    private static void fill(byte[] value, int i) {
        ByteBuffer.wrap(value).putInt(0, i).putInt(value.length / 2, ~i).putInt(value.length - 4, i * 31);
    }

    private static void check(boolean condition, String failure) {
        if (!condition) {
            System.out.println("FAILED: " + failure);
            System.exit(1);
        }
    }
}
