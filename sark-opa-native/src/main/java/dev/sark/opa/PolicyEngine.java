package dev.sark.opa;

import dev.sark.loader.ExactUtf8;
import dev.sark.loader.NativeHandle;

import java.lang.invoke.MethodHandles;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * An embedded Open Policy Agent (Rego) engine, backed by the regorus interpreter in native code.
 *
 * <p>Policies are loaded by name and compiled at once. Policies and data form an immutable snapshot
 * that changes are swapped in atomically: any number of threads may evaluate concurrently, without a
 * lock, while others load policies; a change that fails leaves the previous snapshot answering.
 *
 * <p>{@code inputJson} may be {@code null}: the query then runs without input, and {@code input} is
 * undefined in it (so {@code input.user == "admin"} is undefined and a rule depending on it is not
 * satisfied) - the same as {@code opa eval} without {@code --input}.
 *
 * <p>Bad arguments (null, or an empty name, source or query) throw {@link IllegalArgumentException};
 * every call after {@link #close()} throws {@link IllegalStateException}.
 *
 * <p>Limits that keep native code from overflowing the thread's stack or parsing for minutes: Rego
 * nested deeper than 32 brackets (or 12 arrays, sets and objects each in the first element of the one around
 * it, which regorus parses twice), with more than 64 operators or reference links in one expression, or
 * larger than 1 MiB is rejected; JSON nested deeper than 128 levels is a {@link PolicyException};
 * recursive rules and functions are rejected at load time, as OPA does. Evaluation runs on the calling
 * thread (which should have the JVM's default stack, 1 MiB on 64-bit platforms, or at least 512 KiB);
 * rules that depend on each other very deeply are evaluated on a native thread with a large stack.
 *
 * <p>The engine is regorus 0.14.1 with the OPA builtins it lacks added in Rust; how closely it follows
 * OPA is measured with OPA's own conformance cases (docs/policy-engine.md lists what differs).
 * {@link #builder()} sets the Rego version, OPA's strict builtin errors and an evaluation timeout. A running
 * evaluation also stops when its thread is interrupted ({@link PolicyEvaluationException}, the interrupt
 * status kept) or when the engine is closed ({@link IllegalStateException}).
 */
public final class PolicyEngine implements AutoCloseable {
    /** The default of {@link Builder#memoryLimit(long)}: 1 GiB. */
    public static final long DEFAULT_MEMORY_LIMIT = 1L << 30;
    /**
     * The evaluation timeout of an engine built without {@link Builder#timeout}: far above any real decision
     * (microseconds to milliseconds), short enough that a runaway policy cannot hold a request thread for long.
     */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final NativeHandle handle;

    /** An engine for Rego v1 (OPA 1.x) policies. */
    public PolicyEngine() {
        this(RegoVersion.V1);
    }

    /** An engine for policies in {@code version}'s syntax. */
    public PolicyEngine(RegoVersion version) {
        this(builder().regoVersion(version));
    }

    private PolicyEngine(Builder options) {
        handle = NativeHandle.create(MethodHandles.lookup(), "sark_opa", "the policy engine",
                () -> nativeCreate(options.version == RegoVersion.V0 ? 0 : 1, options.strictBuiltinErrors,
                        options.timeout == null ? 0 : saturatedNanos(options.timeout), options.memoryLimit),
                PolicyEngine::nativeClose, PolicyEngine::nativeFree);
    }

    /**
     * Compiles {@code rego} and publishes it under {@code name}, replacing a policy of that name.
     *
     * @throws PolicyCompilationException when the policy (or the policy set it joins) does not compile;
     *     the engine then keeps answering with the previous policies
     * @throws PolicyTimeoutException when compiling takes longer than the engine's timeout; nothing changes
     */
    public void loadPolicy(String name, String rego) {
        byte[] nameBytes = nonEmpty(name, "policy name");
        byte[] regoBytes = nonEmpty(rego, "policy source");
        handle.run(h -> nativeLoadPolicy(h, nameBytes, regoBytes));
    }

    /**
     * Deep-merges a JSON object into the data document ({@code data}).
     *
     * @throws PolicyException when {@code json} is malformed, not an object or conflicts with the data
     *     already there; the data document is then unchanged
     */
    public void addData(String json) {
        byte[] bytes = ExactUtf8.encode(json, "data JSON");
        handle.run(h -> nativeAddData(h, bytes));
    }

    /**
     * Replaces the document at {@code path} with {@code json}, as OPA's Data API {@code PUT /v1/data/{path}}:
     * the value is set, not merged, and objects missing on the way are created. {@code path} is keys separated
     * by {@code /} ({@code "roles/admin"}, a leading {@code /} optional, keys taken literally); the empty path
     * (or {@code "/"}) replaces the whole data document, which must then be an object. Atomic: decisions see
     * the old or the new data, and an error changes nothing.
     *
     * @param json any JSON value
     * @throws IllegalArgumentException when {@code path} has an empty key ({@code "a//b"}) or an argument is null
     * @throws PolicyException when {@code json} is malformed, or a document on the way to {@code path} is not
     *                         an object
     */
    public void putData(String path, String json) {
        byte[] pathBytes = ExactUtf8.encode(path, "data path");
        byte[] jsonBytes = ExactUtf8.encode(json, "data JSON");
        handle.run(h -> nativePutData(h, pathBytes, jsonBytes));
    }

    /**
     * Removes the document at {@code path} (see {@link #putData}), as OPA's Data API
     * {@code DELETE /v1/data/{path}}; the empty path empties the data document. A path that holds nothing is
     * left as it is.
     *
     * @throws IllegalArgumentException when {@code path} is null or has an empty key
     */
    public void removeData(String path) {
        byte[] pathBytes = ExactUtf8.encode(path, "data path");
        handle.run(h -> nativeRemoveData(h, pathBytes));
    }

    /**
     * Evaluates {@code query} (a rule path like {@code data.authz.allow} or any Rego expression) and
     * returns the JSON text of the first expression of the first result, or {@code "false"} when the
     * query is undefined.
     *
     * @param inputJson the input document, or {@code null} for none
     * @throws PolicyException when {@code inputJson} is malformed
     * @throws PolicyEvaluationException when the query does not parse or evaluation fails
     */
    public String evaluate(String query, String inputJson) {
        byte[] queryBytes = nonEmpty(query, "query");
        byte[] inputBytes = inputJson == null ? null : ExactUtf8.encode(inputJson, "input JSON");
        return new String(handle.call(h -> nativeEvaluate(h, queryBytes, inputBytes)), StandardCharsets.UTF_8);
    }

    /**
     * Evaluates {@code query} and returns its whole result set as JSON, in the shape {@code opa eval
     * --format json} prints: {@code {"result":[{"expressions":[{"value":V,"text":"...","location":{...}}],
     * "bindings":{"x":V}}]}}, one element per way the query is satisfied, {@code "bindings"} left out when
     * the query binds no variable. An undefined query gives {@code {"result":[]}}, so callers can tell it
     * from {@code false}.
     *
     * @param inputJson the input document, or {@code null} for none
     * @throws PolicyException when {@code inputJson} is malformed
     * @throws PolicyEvaluationException when the query does not parse or evaluation fails
     * @throws PolicyTimeoutException when evaluation runs longer than the engine's timeout
     * @throws PolicyEvaluationException also when the calling thread is interrupted while the query runs
     *     (its interrupt status stays set); {@code IllegalStateException} when the engine is closed meanwhile
     */
    public String query(String query, String inputJson) {
        byte[] queryBytes = nonEmpty(query, "query");
        byte[] inputBytes = inputJson == null ? null : ExactUtf8.encode(inputJson, "input JSON");
        return new String(handle.call(h -> nativeQuery(h, queryBytes, inputBytes)), StandardCharsets.UTF_8);
    }

    /** Whether {@code query}'s value is the JSON boolean {@code true}; errors as for {@link #evaluate}. */
    public boolean isAllowed(String query, String inputJson) {
        byte[] queryBytes = nonEmpty(query, "query");
        byte[] inputBytes = inputJson == null ? null : ExactUtf8.encode(inputJson, "input JSON");
        return handle.test(h -> nativeIsAllowed(h, queryBytes, inputBytes));
    }

    public boolean hasPolicy(String name) {
        byte[] bytes = nonEmpty(name, "policy name");
        return handle.test(h -> nativeHasPolicy(h, bytes));
    }

    /** The names of the loaded policies, sorted; a snapshot that later changes do not affect. */
    public Set<String> policies() {
        byte[] encoded = handle.call(PolicyEngine::nativePolicies);
        // Each name is a 4-byte big-endian length followed by its UTF-8 bytes.
        TreeSet<String> names = new TreeSet<>();
        ByteBuffer buffer = ByteBuffer.wrap(encoded);
        while (buffer.hasRemaining()) {
            int length = buffer.getInt();
            names.add(new String(encoded, buffer.position(), length, StandardCharsets.UTF_8));
            buffer.position(buffer.position() + length);
        }
        return Collections.unmodifiableSortedSet(names);
    }

    /**
     * Removes the policy named {@code name}; an unknown name is ignored.
     *
     * @throws PolicyCompilationException when the remaining policies no longer compile without it
     *     (one called a function it defined); nothing is removed then
     */
    public void removePolicy(String name) {
        byte[] bytes = nonEmpty(name, "policy name");
        handle.run(h -> nativeRemovePolicy(h, bytes));
    }

    /** Removes every policy; the data document stays. */
    public void clearPolicies() {
        handle.run(PolicyEngine::nativeClearPolicies);
    }

    /**
     * Releases the policies and data. Idempotent. Evaluations already running on other threads finish;
     * calls that start later throw {@link IllegalStateException}. The small native remainder is freed
     * once this object is unreachable, so a call racing with close never touches freed memory.
     */
    @Override
    public void close() {
        handle.close();
    }

    private static byte[] nonEmpty(String text, String what) {
        byte[] bytes = ExactUtf8.encode(text, what);
        if (bytes.length == 0) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return bytes;
    }

    /** A builder for engines with options other than the defaults of {@link #PolicyEngine()}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Options of a {@link PolicyEngine}, fixed when it is built. Defaults: Rego v1, builtin errors
     * leave the expression undefined (as in OPA), a timeout of {@link PolicyEngine#DEFAULT_TIMEOUT}.
     */
    public static final class Builder {
        private RegoVersion version = RegoVersion.V1;
        private boolean strictBuiltinErrors;
        private Duration timeout = DEFAULT_TIMEOUT;
        private long memoryLimit = DEFAULT_MEMORY_LIMIT;

        private Builder() {}

        /** The Rego dialect policies are written in. */
        public Builder regoVersion(RegoVersion version) {
            if (version == null) {
                throw new IllegalArgumentException("version must not be null");
            }
            this.version = version;
            return this;
        }

        /**
         * OPA's {@code --strict-builtin-errors}: when true, a builtin that fails (a malformed token, a
         * division by zero, a type error) fails the query with a {@link PolicyEvaluationException}; when
         * false (the default, as in OPA) the failing expression is undefined.
         */
        public Builder strictBuiltinErrors(boolean strict) {
            this.strictBuiltinErrors = strict;
            return this;
        }

        /**
         * The longest one evaluation may run; a longer one stops with a {@link PolicyTimeoutException}. Loads
         * and data changes ({@code loadPolicy}, {@code addData}, {@code putData}, {@code removeData}) wait at
         * most this long for their compilation too: past it they throw PolicyTimeoutException and change
         * nothing (the compilation, which cannot be interrupted but is bounded by the parsing limits, ends
         * on its own thread and is dropped). Default {@link PolicyEngine#DEFAULT_TIMEOUT} (5 s); {@code null}
         * means no limit.
         *
         * @throws IllegalArgumentException when {@code timeout} is zero or negative
         */
        public Builder timeout(Duration timeout) {
            if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
                throw new IllegalArgumentException("timeout must be positive, not " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * The most memory one evaluation may hold. A builtin whose result grows with an argument
         * ({@code numbers.range}, {@code numbers.range_step}, {@code concat}, the width or precision of a
         * {@code sprintf} format, {@code net.cidr_expand}) is refused before it allocates more than this, where
         * the process would otherwise abort on a failed allocation; and an evaluation whose steps together
         * hold more than this (a running count of the bytes the library allocated and has not freed since
         * the evaluation began, checked every few dozen steps) ends with a {@link PolicyEvaluationException}.
         * Default {@link PolicyEngine#DEFAULT_MEMORY_LIMIT} (1 GiB). docs/policy-engine.md says how it is counted.
         *
         * @throws IllegalArgumentException when {@code bytes} is zero or negative
         */
        public Builder memoryLimit(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("memory limit must be positive, not " + bytes);
            }
            this.memoryLimit = bytes;
            return this;
        }

        public PolicyEngine build() {
            return new PolicyEngine(this);
        }
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE; // ~292 years: no limit in practice
        }
    }

    /** Test hook: makes the native library panic with {@code message}. */
    static void panicForTest(String message) {
        NativeHandle.loadLibrary(MethodHandles.lookup(), "sark_opa");
        nativePanicForTest(message.getBytes(StandardCharsets.UTF_8));
    }

    private static native long nativeCreate(int version, boolean strictBuiltinErrors, long timeoutNanos,
                                            long memoryLimit);

    private static native void nativeLoadPolicy(long handle, byte[] name, byte[] rego);

    private static native void nativeAddData(long handle, byte[] json);

    private static native void nativePutData(long handle, byte[] path, byte[] json);

    private static native void nativeRemoveData(long handle, byte[] path);

    private static native byte[] nativeEvaluate(long handle, byte[] query, byte[] input);

    private static native byte[] nativeQuery(long handle, byte[] query, byte[] input);

    private static native boolean nativeIsAllowed(long handle, byte[] query, byte[] input);

    private static native boolean nativeHasPolicy(long handle, byte[] name);

    private static native byte[] nativePolicies(long handle);

    private static native void nativeRemovePolicy(long handle, byte[] name);

    private static native void nativeClearPolicies(long handle);

    private static native void nativeClose(long handle);

    private static native void nativeFree(long handle);

    private static native void nativePanicForTest(byte[] message);
}
