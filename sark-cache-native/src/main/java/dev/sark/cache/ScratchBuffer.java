package dev.sark.cache;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;
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
 *
 * <p>Virtual threads get no buffer: there can be millions of them, and a buffer each would hold direct
 * memory in proportion to their number (5,000 threads putting 40 KB each held 320 MB). They take the array
 * path, so scratch memory stays bounded by the platform threads (at most {@value #MAX_CAPACITY} bytes each),
 * and nothing depends on which carrier thread a virtual thread runs on.
 */
final class ScratchBuffer {

    static final int INITIAL_CAPACITY = 1 << 10;
    static final int MAX_CAPACITY = 1 << 16;

    private static final ThreadLocal<ScratchBuffer> PER_THREAD = new ThreadLocal<>();

    /** {@code Thread.isVirtual()} (Java 21), or null on Java 17-20, which have no virtual threads. */
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

    final ByteBuffer buffer;
    final long address;
    final int capacity;

    /**
     * The last direct buffer this thread read into, and its address: a reader reusing one buffer asks for
     * the address once. Weak, so a buffer the caller dropped is freed; a collected buffer's slot reads
     * null, never matching a new buffer that got the same memory.
     */
    private WeakReference<ByteBuffer> lastDestination = new WeakReference<>(null);
    private long lastDestinationAddress;

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
        if (bytes > MAX_CAPACITY || onVirtualThread()) {
            return null;
        }
        ScratchBuffer current = PER_THREAD.get();
        if (current != null && current.capacity >= bytes) {
            return current;
        }
        int capacity = current == null ? INITIAL_CAPACITY : current.capacity;
        while (capacity < bytes) {
            capacity <<= 1;
        }
        ScratchBuffer grown = new ScratchBuffer(capacity);
        PER_THREAD.set(grown);
        return grown;
    }

    static boolean onVirtualThread() {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(Thread.currentThread());
        } catch (Throwable e) {
            throw new IllegalStateException("Thread.isVirtual() failed", e);
        }
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException beforeJava21) {
            return null;
        }
    }

    /** The address of the direct buffer {@code destination} (a buffer's address never changes). */
    long addressOf(ByteBuffer destination) {
        if (lastDestination.get() != destination) {
            lastDestinationAddress = NativeCache.nativeScratchAddress(destination);
            lastDestination = new WeakReference<>(destination);
        }
        return lastDestinationAddress;
    }

    /** Doubles this thread's buffer (up to the maximum) after a value did not fit. */
    static void grow() {
        ScratchBuffer current = PER_THREAD.get();
        if (current != null && current.capacity < MAX_CAPACITY) {
            PER_THREAD.set(new ScratchBuffer(current.capacity << 1));
        }
    }
}
