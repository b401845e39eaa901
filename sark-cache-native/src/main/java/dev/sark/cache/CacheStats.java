package dev.sark.cache;

/**
 * A snapshot of a {@link NativeCache}'s counters, taken atomically under the cache's lock.
 *
 * @param hits        gets that found a live entry
 * @param misses      gets that found nothing, or only an expired entry
 * @param evictions   entries pushed out (least recently used first) to respect the entry or byte bound
 * @param expirations entries found expired by a get, or removed by {@link NativeCache#cleanupExpired()}
 * @param size        entries held at the time of the snapshot (expired entries not yet removed included)
 * @param usedBytes   bytes held at the time of the snapshot: each entry's key and value lengths plus
 *                    {@link NativeCache#ENTRY_OVERHEAD_BYTES}, summed (what {@code maximumBytes} bounds)
 */
public record CacheStats(long hits, long misses, long evictions, long expirations, long size, long usedBytes) {

    /** The counters without a byte count ({@code usedBytes} 0), as this record had before it was added. */
    public CacheStats(long hits, long misses, long evictions, long expirations, long size) {
        this(hits, misses, evictions, expirations, size, 0);
    }

    /** Gets so far: {@code hits + misses}. */
    public long requests() {
        return hits + misses;
    }

    /** {@code hits / (hits + misses)}, or 0 when there has been no get yet. */
    public double hitRate() {
        long requests = requests();
        return requests == 0 ? 0.0 : (double) hits / requests;
    }
}
