package dev.sark.cache;

import static dev.sark.loader.NativeHandle.requireArgument;

import dev.sark.loader.ExactUtf8;
import dev.sark.loader.NativeHandle;
import java.lang.invoke.MethodHandles;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An in-memory cache held in native (Rust) memory, bounded by entry count, by bytes or both, with LRU
 * eviction and a per-entry time to live.
 *
 * <p><b>Keys and values are bytes.</b> The {@code String} methods encode with UTF-8 (exactly as
 * {@code s.getBytes(StandardCharsets.UTF_8)} would for a well-formed string), so {@code put("k", ...)}
 * and {@code put("k".getBytes(UTF_8), ...)} address the same entry, and a value put as a String can be
 * read back as its UTF-8 bytes and vice versa. Strings round-trip exactly, including NUL and
 * supplementary characters. A String holding an unpaired surrogate has no exact UTF-8 form and is
 * rejected with {@link IllegalArgumentException} rather than altered; {@link #get(String)} likewise
 * throws IllegalArgumentException when the value stored under the key is not valid UTF-8.
 *
 * <p><b>Eviction.</b> When a new key would exceed {@code maxEntries}, the least recently used entry
 * is removed; a get counts as a use, and replacing the value of an existing key makes it the most
 * recently used without changing the size. The bound is exact and holds under concurrent use: the cache
 * fills to exactly {@code maxEntries} and never beyond. Caches of 16,384 entries or more are split into
 * 16 segments by key hash, each with its own recency order and lock, so threads using different keys do
 * not wait for each other; the entry evicted is then one of the segment the new key falls in (smaller
 * caches are one segment: strict LRU). A cache bounded by bytes counts as that large when
 * {@code maximumBytes / ENTRY_OVERHEAD_BYTES} reaches 16,384 (about 600 KB). In a segmented cache, gets
 * share their segment's lock and write nothing another reader reads: a get marks its entry instead of
 * moving it to the front, and eviction passes over marked entries once, clearing the mark and moving them
 * to the front, before it evicts the oldest unmarked one (the CLOCK approximation of LRU: an entry read
 * since it last reached the old end survives the next eviction). {@link Builder#strictLru(boolean)} asks
 * for exact LRU order within each segment instead, at the cost of gets of one segment waiting for each
 * other.
 *
 * <p><b>Byte bound.</b> A cache made with {@link #builder()} can also be bounded by the native memory
 * its entries take ({@link Builder#maximumBytes(long)}), as Caffeine's {@code maximumWeight} or OHC's
 * capacity. Each entry is charged {@code key.length + value.length + }{@link #ENTRY_OVERHEAD_BYTES}, its
 * key and value bytes plus the native bookkeeping of one entry; the charges of all entries held, which
 * {@link CacheStats#usedBytes()} reports, never exceed the bound. A put that would exceed it evicts
 * least recently used entries (of the segment, in a segmented cache) until the new entry fits; replacing
 * a value charges only the difference and never evicts the entry being replaced. A put whose charge
 * exceeds {@link Builder#maxEntryBytes(long)} or the bound itself throws IllegalArgumentException and
 * changes nothing. The charge leaves out the allocator's own rounding and headers and the hash table's
 * spare slots, so the process's resident memory is somewhat above {@code usedBytes}.
 *
 * <p><b>Expiry.</b> Each entry lives for the TTL given to {@code put}, or the default TTL, with
 * millisecond precision (positive sub-millisecond TTLs round up to 1 ms). Expired entries are never
 * returned; they are removed when a get finds them or by {@link #cleanupExpired()}, and count in
 * {@link #size()} until then.
 *
 * <p><b>Out of native memory.</b> Every native allocation a put makes (its copies of the key and value, a
 * larger hash table) is checked: when the process cannot get the memory, the put throws
 * {@link OutOfMemoryError} and the cache stays consistent and usable, holding what it held (a table that
 * cannot grow may first evict least recently used entries to make room, counted as evictions). A get
 * whose copy of a large value cannot be allocated throws OutOfMemoryError too. The process never aborts.
 *
 * <p><b>Memory.</b> Keys and values live in native memory, not on the Java heap. Each thread that uses a
 * cache also keeps a direct buffer of 1 KiB, doubled as its keys and values need up to 64 KiB, through
 * which keys and values cross to native code without JNI array calls; larger ones are passed as arrays.
 *
 * <p><b>Threads and lifetime.</b> All methods are thread-safe. After {@link #close()} (idempotent) the
 * contents are released and every other method throws {@link IllegalStateException}, even for calls
 * racing with close. The small native bookkeeping structure is freed when this object becomes
 * unreachable.
 */
public final class NativeCache implements AutoCloseable {

    /**
     * The bytes charged for each entry on top of its key and value (see "Byte bound" above): its native
     * hash table slot (32 bytes: pointer to the entry's key-and-value allocation and its length, deadline,
     * two recency links), the slot's control byte (1) and the key's length stored with the key (4). For
     * 64-bit platforms, which are all that SARK ships; the native side computes the same sum from its type
     * sizes and a test checks the two agree.
     */
    public static final long ENTRY_OVERHEAD_BYTES = 37;

    /** The native cache; see NativeHandle for why close() does not free it. */
    private final NativeHandle handle;

    /**
     * @param maxEntries the most entries held at once; positive
     * @param defaultTtl how long an entry lives when {@code put} is given no TTL; positive
     * @throws IllegalArgumentException if an argument is null, zero or negative
     */
    public NativeCache(long maxEntries, Duration defaultTtl) {
        this(positive(maxEntries, "maxEntries"), 0, 0, ttlMillis(defaultTtl, "defaultTtl"), false, false);
    }

    /** Arguments already checked; 0 for a bound means none. */
    private NativeCache(long maxEntries, long maxBytes, long maxEntryBytes, long defaultTtlMillis, boolean strictLru,
                        boolean manualClock) {
        handle = NativeHandle.create(MethodHandles.lookup(), "sark_cache", "NativeCache",
                () -> nativeNew(maxEntries, maxBytes, maxEntryBytes, defaultTtlMillis, strictLru, manualClock),
                NativeCache::nativeClose, NativeCache::nativeFree);
    }

    /**
     * A builder for a cache bounded by entry count, by bytes, or both:
     * <pre>{@code
     * NativeCache cache = NativeCache.builder()
     *         .maximumBytes(256L << 20)      // 256 MiB of keys, values and per-entry overhead
     *         .maxEntryBytes(1L << 20)       // no single entry over 1 MiB
     *         .defaultTtl(Duration.ofMinutes(5))
     *         .build();
     * }</pre>
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Configures a {@link NativeCache}. At least one of {@link #maximumEntries(long)} and
     * {@link #maximumBytes(long)} must be set: there is no default bound, since an unbounded native cache
     * grows until the process runs out of memory. Every value must be positive; a setter called twice
     * keeps the last value. Not thread-safe.
     */
    public static final class Builder {
        private long maximumEntries;
        private long maximumBytes;
        private long maxEntryBytes;
        private long defaultTtlMillis = Long.MAX_VALUE;
        private boolean strictLru;
        private boolean manualClock;

        private Builder() {
        }

        /** The most entries held at once, as {@code maxEntries} of the constructor. Default: no entry bound. */
        public Builder maximumEntries(long maximumEntries) {
            this.maximumEntries = positive(maximumEntries, "maximumEntries");
            return this;
        }

        /**
         * The most bytes held at once: each entry's key and value lengths plus
         * {@link NativeCache#ENTRY_OVERHEAD_BYTES}, summed. Default: no byte bound.
         */
        public Builder maximumBytes(long maximumBytes) {
            this.maximumBytes = positive(maximumBytes, "maximumBytes");
            return this;
        }

        /**
         * The largest entry accepted, counted as for {@link #maximumBytes(long)}: a put of a larger one
         * throws IllegalArgumentException and leaves the cache unchanged. Default: no limit but
         * {@code maximumBytes} itself.
         */
        public Builder maxEntryBytes(long maxEntryBytes) {
            this.maxEntryBytes = positive(maxEntryBytes, "maxEntryBytes");
            return this;
        }

        /**
         * Whether a segmented cache (see "Eviction" above) keeps exact LRU order within each segment: every get
         * then moves its entry to the front under the segment's exclusive lock, so concurrent gets of one
         * segment wait for each other. Default false: gets share the lock and only mark the entry, and an
         * eviction spares entries read since they last reached the old end (a second chance). Caches smaller
         * than 16,384 entries are one segment and always exact.
         */
        public Builder strictLru(boolean strictLru) {
            this.strictLru = strictLru;
            return this;
        }

        /** How long an entry lives when {@code put} is given no TTL. Default: entries do not expire. */
        public Builder defaultTtl(Duration defaultTtl) {
            this.defaultTtlMillis = ttlMillis(defaultTtl, "defaultTtl");
            return this;
        }

        /**
         * Test seam, not public API: the cache's clock starts at 0 and stands still until
         * {@link NativeCache#advanceClock(Duration)} moves it, so tests of expiry advance time instead of
         * sleeping. Like Caffeine's {@code Ticker}, but the time is kept natively: a get never calls back into
         * Java to learn it. Without it (always, outside tests) the cache reads the system's monotonic clock.
         */
        Builder manualClock() {
            this.manualClock = true;
            return this;
        }

        /**
         * @throws IllegalStateException if neither {@code maximumEntries} nor {@code maximumBytes} was set
         */
        public NativeCache build() {
            if (maximumEntries == 0 && maximumBytes == 0) {
                throw new IllegalStateException("set maximumEntries or maximumBytes (or both): a cache needs a bound");
            }
            return new NativeCache(maximumEntries, maximumBytes, maxEntryBytes, defaultTtlMillis, strictLru,
                    manualClock);
        }
    }

    /** The value for {@code key} as a UTF-8 String, or null when absent or expired. */
    public String get(String key) {
        handle.checkOpen();
        byte[] value = get(ExactUtf8.encode(key, "key"));
        return value == null ? null : decode(value);
    }

    /** A copy of the value for {@code key}, or null when absent or expired. */
    public byte[] get(byte[] key) {
        requireArgument(key, "key");
        return handle.call(key, NativeCache::getBytes);
    }

    private static byte[] getBytes(long handle, byte[] key) {
        ScratchBuffer scratch = ScratchBuffer.forThread(key.length);
        if (scratch == null) {
            return nativeGet(handle, key);
        }
        scratch.buffer.put(0, key);
        int length = nativeGetScratch(handle, scratch.address, scratch.capacity, key.length);
        if (length >= 0) {
            byte[] value = new byte[length];
            scratch.buffer.get(key.length, value);
            return value;
        }
        if (length == -1) {
            return null;
        }
        // The value did not fit after the key (nothing was counted): read it as an array this
        // time, and give this thread more room for next time.
        ScratchBuffer.grow();
        return nativeGet(handle, key);
    }

    /**
     * Copies the value for {@code key} into {@code dst} without allocating an array: the allocation-free
     * read for callers that reuse a buffer (heap or direct). When the value fits {@code dst.remaining()}
     * it is written at {@code dst}'s position, which advances past it; when it does not fit, {@code dst}
     * is left untouched and the caller can retry with a buffer of at least the returned length (the retry
     * counts as another hit). A direct {@code dst} is the fastest: the native side copies the value straight
     * into it, where a heap buffer receives it through this thread's scratch memory (two copies).
     *
     * @return the value's length in bytes, or -1 when absent or expired
     * @throws java.nio.ReadOnlyBufferException when {@code dst} is read-only and the value fits
     */
    public int get(byte[] key, ByteBuffer dst) {
        requireArgument(key, "key");
        requireArgument(dst, "dst");
        return (int) handle.callLong(key, dst, NativeCache::getInto);
    }

    private static int getInto(long handle, byte[] key, ByteBuffer dst) {
        ScratchBuffer scratch = ScratchBuffer.forThread(key.length);
        if (scratch != null) {
            scratch.buffer.put(0, key);
            if (dst.isDirect() && !dst.isReadOnly() && dst.hasRemaining()) {
                return getIntoDirect(handle, scratch, key.length, dst);
            }
            int length = nativeGetScratch(handle, scratch.address, scratch.capacity, key.length);
            if (length >= 0 && length <= dst.remaining()) {
                dst.put(dst.position(), scratch.buffer, key.length, length);
                dst.position(dst.position() + length);
            }
            if (length != -2) {
                return length;
            }
            ScratchBuffer.grow(); // the value did not fit after the key: read it as an array this time
        }
        byte[] value = nativeGet(handle, key);
        if (value == null) {
            return -1;
        }
        if (value.length <= dst.remaining()) {
            dst.put(value);
        }
        return value.length;
    }

    /** The value copied straight into a direct {@code dst}: one copy, where a heap buffer takes two. */
    private static int getIntoDirect(long handle, ScratchBuffer scratch, int keyLength, ByteBuffer dst) {
        // Position and limit read once each: each is within the capacity whatever another thread does
        // to dst meanwhile, so the native side never writes outside the buffer's memory.
        int position = dst.position();
        int room = Math.max(0, dst.limit() - position);
        try {
            int length = nativeGetDirect(handle, scratch.address, keyLength, scratch.addressOf(dst) + position, room);
            if (length >= 0 && length <= room) {
                dst.position(position + length);
            }
            return length;
        } finally {
            Reference.reachabilityFence(dst); // its memory is freed once unreachable, maybe mid-copy
        }
    }

    /** Stores {@code value} under {@code key} (both as UTF-8) with the default TTL. */
    public void put(String key, String value) {
        handle.checkOpen();
        putBytes(ExactUtf8.encode(key, "key"), ExactUtf8.encode(value, "value"), 0);
    }

    /** Stores {@code value} under {@code key} (both as UTF-8), expiring after {@code ttl}. */
    public void put(String key, String value, Duration ttl) {
        handle.checkOpen();
        putBytes(ExactUtf8.encode(key, "key"), ExactUtf8.encode(value, "value"), ttlMillis(ttl, "ttl"));
    }

    /** Stores a copy of {@code value} under {@code key} with the default TTL. */
    public void put(byte[] key, byte[] value) {
        handle.checkOpen();
        putBytes(requireArgument(key, "key"), requireArgument(value, "value"), 0);
    }

    /** Stores a copy of {@code value} under {@code key}, expiring after {@code ttl}. */
    public void put(byte[] key, byte[] value, Duration ttl) {
        handle.checkOpen();
        putBytes(requireArgument(key, "key"), requireArgument(value, "value"), ttlMillis(ttl, "ttl"));
    }

    /** Removes {@code key}; true when an entry (even an expired one) was removed. */
    public boolean remove(String key) {
        handle.checkOpen();
        return remove(ExactUtf8.encode(key, "key"));
    }

    /** Removes {@code key}; true when an entry (even an expired one) was removed. */
    public boolean remove(byte[] key) {
        requireArgument(key, "key");
        return handle.test(h -> nativeRemove(h, key));
    }

    /** Removes every entry. Counters are kept. */
    public void clear() {
        handle.run(NativeCache::nativeClear);
    }

    /** Entries held, including expired ones not yet removed. */
    public long size() {
        return handle.callLong(NativeCache::nativeSize);
    }

    /** Removes every expired entry now and returns how many were removed. */
    public long cleanupExpired() {
        return handle.callLong(NativeCache::nativeCleanupExpired);
    }

    /** A consistent snapshot of the counters. */
    public CacheStats stats() {
        long[] s = handle.call(NativeCache::nativeStats);
        return new CacheStats(s[0], s[1], s[2], s[3], s[4], s[5]);
    }

    /** Releases the contents; later calls throw IllegalStateException. Calling it again does nothing. */
    @Override
    public void close() {
        handle.close();
    }

    /**
     * Test seam, not public API: moves the clock of a cache built with {@link Builder#manualClock()} forward by
     * {@code by}. Entries whose TTL has run out by the new time are expired for every later call, as they would
     * be once that much real time had passed.
     *
     * @param by whole milliseconds, the clock's resolution (a fraction would otherwise be lost silently); zero
     *           or more
     * @throws IllegalArgumentException if {@code by} is null, negative or not whole milliseconds
     * @throws IllegalStateException if the cache reads the system clock, or is closed
     */
    void advanceClock(Duration by) {
        requireArgument(by, "by");
        if (by.isNegative() || by.toNanosPart() % 1_000_000 != 0) {
            throw new IllegalArgumentException("the clock moves forward by whole milliseconds, got " + by);
        }
        // Saturated where toMillis would overflow (~292 million years): the native clock stops short of "never" anyway.
        long millis = by.getSeconds() < Long.MAX_VALUE / 1000 ? by.toMillis() : Long.MAX_VALUE;
        handle.run(h -> nativeAdvanceClock(h, millis));
    }

    /** Test hook: makes the native side panic inside its guard. */
    static void panicForTest() {
        NativeHandle.loadLibrary(MethodHandles.lookup(), "sark_cache");
        nativePanicForTest();
    }

    private void putBytes(byte[] key, byte[] value, long ttlMillis) {
        handle.run(h -> {
            ScratchBuffer scratch = ScratchBuffer.forThread((long) key.length + value.length);
            if (scratch == null) {
                nativePut(h, key, value, ttlMillis);
                return;
            }
            scratch.buffer.put(0, key).put(key.length, value);
            nativePutScratch(h, scratch.address, scratch.capacity, key.length, value.length, ttlMillis);
        });
    }

    private static long positive(long value, String what) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
        return value;
    }

    /** Milliseconds for the native side, which uses 0 to mean "the default TTL". */
    private static long ttlMillis(Duration ttl, String what) {
        requireArgument(ttl, what);
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + ttl);
        }
        try {
            return Math.max(ttl.toMillis(), 1); // round a positive sub-millisecond TTL up, not to 0
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE; // longer than ~292 million years: it never expires anyway
        }
    }

    /**
     * Strict UTF-8 decoding: malformed bytes are an error, not replacement characters. The JDK's intrinsic
     * decoder does the work; only a result holding U+FFFD (a replaced byte, or a genuine U+FFFD) is decoded
     * again strictly to tell the two apart, so the common case allocates no decoder.
     */
    private static String decode(byte[] bytes) {
        String fast = new String(bytes, StandardCharsets.UTF_8);
        if (fast.indexOf('\uFFFD') < 0) {
            return fast;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(
                    "the value stored under this key is not valid UTF-8; read it with get(byte[])", e);
        }
    }

    /** A bound of 0 means none; at least one of the first two is set. */
    private static native long nativeNew(long maxEntries, long maxBytes, long maxEntryBytes, long defaultTtlMillis,
                                         boolean strictLru, boolean manualClock);

    private static native byte[] nativeGet(long handle, byte[] key);

    /** The address of a direct buffer (for {@link ScratchBuffer}). */
    static native long nativeScratchAddress(ByteBuffer buffer);

    /**
     * Get through the scratch memory at {@code address}: the key in its first {@code keyLength} bytes,
     * the value copied right after it. Returns the value's length, -1 when absent or expired, -2 when
     * the value does not fit (nothing counted).
     */
    private static native int nativeGetScratch(long handle, long address, int capacity, int keyLength);

    /**
     * Get into a caller's direct buffer: the key in the first {@code keyLength} bytes of the scratch memory
     * at {@code keyAddress}, the value copied to {@code dstAddress} when it fits its {@code dstLength} bytes.
     * Returns the value's length (a hit either way), or -1 when absent or expired.
     */
    private static native int nativeGetDirect(long handle, long keyAddress, int keyLength, long dstAddress,
                                              int dstLength);

    /** Put through the scratch memory: the key in its first {@code keyLength} bytes, the value after it. */
    private static native void nativePutScratch(long handle, long address, int capacity, int keyLength,
                                                int valueLength, long ttlMillis);

    /** {@code ttlMillis} 0 selects the default TTL. */
    private static native void nativePut(long handle, byte[] key, byte[] value, long ttlMillis);

    private static native boolean nativeRemove(long handle, byte[] key);

    private static native void nativeClear(long handle);

    private static native long nativeSize(long handle);

    private static native long nativeCleanupExpired(long handle);

    /** {hits, misses, evictions, expirations, size, usedBytes} */
    private static native long[] nativeStats(long handle);

    /** {@code millis} zero or more; IllegalStateException for a cache on the system clock. */
    private static native void nativeAdvanceClock(long handle, long millis);

    private static native void nativeClose(long handle);

    private static native void nativeFree(long handle);

    private static native void nativePanicForTest();
}
