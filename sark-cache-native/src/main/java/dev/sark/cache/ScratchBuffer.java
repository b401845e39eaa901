package dev.sark.cache;

import java.nio.ByteBuffer;

/**
 * The calling thread's native scratch memory for the hot get and put paths: a direct buffer whose
 * address the native side reads and writes directly. Passing a key or value as a Java array costs
 * JNI array calls, each a transition into the VM plus a copy through an intermediate native buffer;
 * through this buffer a call crosses JNI with primitives only.
 *
 * <p>One buffer per thread, so no locking: it starts at {@value #INITIAL_CAPACITY} bytes and doubles
 * when a key and value do not fit, up to {@value #MAX_CAPACITY}; larger keys and values take the
 * array path instead, so no thread keeps a huge buffer alive for one large value. The ThreadLocal
 * keeps the current buffer reachable for as long as a native call can use its address.
 */
final class ScratchBuffer {

    static final int INITIAL_CAPACITY = 1 << 10;
    static final int MAX_CAPACITY = 1 << 16;

    private static final ThreadLocal<ScratchBuffer> PER_THREAD = new ThreadLocal<>();

    final ByteBuffer buffer;
    final long address;
    final int capacity;

    private ScratchBuffer(int capacity) {
        this.buffer = ByteBuffer.allocateDirect(capacity);
        this.address = NativeCache.nativeScratchAddress(buffer);
        this.capacity = capacity;
    }

    /**
     * This thread's buffer with room for at least {@code bytes}, or null when that is more than
     * {@link #MAX_CAPACITY} (the caller then passes arrays).
     */
    static ScratchBuffer forThread(long bytes) {
        ScratchBuffer current = PER_THREAD.get();
        if (current != null && current.capacity >= bytes) {
            return current;
        }
        if (bytes > MAX_CAPACITY) {
            return null;
        }
        int capacity = current == null ? INITIAL_CAPACITY : current.capacity;
        while (capacity < bytes) {
            capacity <<= 1;
        }
        ScratchBuffer grown = new ScratchBuffer(capacity);
        PER_THREAD.set(grown);
        return grown;
    }

    /** Doubles this thread's buffer (up to the maximum) after a value did not fit. */
    static void grow() {
        ScratchBuffer current = PER_THREAD.get();
        if (current != null && current.capacity < MAX_CAPACITY) {
            PER_THREAD.set(new ScratchBuffer(current.capacity << 1));
        }
    }
}
