package dev.sark.loader;

import java.lang.invoke.MethodHandles;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.Objects;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;

/**
 * The native object behind a Java API object (a cache, a policy engine): its address, a closed flag that every
 * call checks first, and the freeing of its memory once no call can still use it.
 *
 * <p>{@link #close()} marks the handle closed and tells the native side, which from then on rejects calls;
 * it does not free the memory, since another thread may be inside a native call with the address. The memory
 * is freed by a {@link Cleaner} once the handle is unreachable, and every call through {@link #call} and its
 * siblings keeps the handle reachable until the native function has returned ({@link Reference#reachabilityFence}).
 * So no native code ever runs on freed memory, whatever the threads do.
 *
 * <p>Thread-safe. The native functions given here must be safe to call concurrently with each other and with
 * the close function.
 */
public final class NativeHandle {
    private static final Cleaner CLEANER = Cleaner.create();

    private final long address;
    private final String owner;
    private final LongConsumer close;
    private volatile boolean closed;

    private NativeHandle(long address, String owner, LongConsumer close) {
        this.address = address;
        this.owner = owner;
        this.close = close;
    }

    /**
     * The one rule for null arguments of the native APIs (NativeCache, PolicyEngine): an
     * IllegalArgumentException naming the argument, before anything reaches native code, like every other
     * argument they refuse.
     *
     * @param what the argument's name in the message ("key", "input JSON")
     * @return {@code value}
     */
    public static <T> T requireArgument(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        return value;
    }

    /**
     * Loads the library (once per class loader, see {@link NativeLoader#load(MethodHandles.Lookup, String)}),
     * creates the native object and registers its freeing.
     *
     * @param caller  {@code MethodHandles.lookup()} of the class that declares the native functions
     * @param libName the library's name, e.g. {@code sark_cache}
     * @param owner   what the handle stands for, for the message of calls after close, e.g. {@code "NativeCache"}
     * @param create  makes the native object and returns its address (its exceptions pass through)
     * @param close   releases the contents and makes the native side reject later calls; called once
     * @param free    frees the native object; called once, when no call can be in flight
     */
    public static NativeHandle create(MethodHandles.Lookup caller, String libName, String owner, LongSupplier create,
                                      LongConsumer close, LongConsumer free) {
        Objects.requireNonNull(close, "close");
        Objects.requireNonNull(free, "free");
        NativeLoader.load(caller, libName);
        return wrap(create.getAsLong(), owner, close, free);
    }

    /** A handle for a native object that already exists (the library is loaded). */
    static NativeHandle wrap(long address, String owner, LongConsumer close, LongConsumer free) {
        NativeHandle handle = new NativeHandle(address, owner, close);
        // The action captures the address, never the handle: capturing it would keep the handle reachable forever.
        CLEANER.register(handle, () -> free.accept(address));
        return handle;
    }

    /** Loads the library for a static native function that needs no object (test hooks). */
    public static void loadLibrary(MethodHandles.Lookup caller, String libName) {
        NativeLoader.load(caller, libName);
    }

    /**
     * @throws IllegalStateException when the handle is closed
     */
    public void checkOpen() {
        if (closed) {
            throw new IllegalStateException(owner + " is closed");
        }
    }

    /** Calls {@code function} with the address, checked open and kept alive until it returns. */
    public <T> T call(LongFunction<T> function) {
        checkOpen();
        try {
            return function.apply(address);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * {@link #call} for a function of the address and one more argument. Hot paths pass a static method
     * reference here, which allocates nothing per call; a lambda capturing the argument would allocate.
     */
    public <A, T> T call(A argument, AddressFunction<A, T> function) {
        checkOpen();
        try {
            return function.apply(address, argument);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** {@link #call(Object, AddressFunction)} for a function of the address and two more arguments returning a long. */
    public <A, B> long callLong(A first, B second, AddressToLongFunction<A, B> function) {
        checkOpen();
        try {
            return function.applyAsLong(address, first, second);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** A function of a native object's address and one argument. */
    @FunctionalInterface
    public interface AddressFunction<A, T> {
        T apply(long address, A argument);
    }

    /** A long-valued function of a native object's address and two arguments. */
    @FunctionalInterface
    public interface AddressToLongFunction<A, B> {
        long applyAsLong(long address, A first, B second);
    }

    /** {@link #call} for a native function returning a boolean. */
    public boolean test(LongPredicate function) {
        checkOpen();
        try {
            return function.test(address);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** {@link #call} for a native function returning a long. */
    public long callLong(LongUnaryOperator function) {
        checkOpen();
        try {
            return function.applyAsLong(address);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** {@link #call} for a native function returning nothing. */
    public void run(LongConsumer function) {
        checkOpen();
        try {
            function.accept(address);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Closes the native object; later calls throw IllegalStateException. Calling it again does nothing. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true; // checked first by every call; the native side rejects calls that got past the check
        try {
            close.accept(address); // idempotent natively too, so two racing close() calls are harmless
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }
}
