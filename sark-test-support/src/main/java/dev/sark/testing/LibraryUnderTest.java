package dev.sark.testing;

import java.util.List;

/**
 * What the run-time proofs of a native module's classifier libraries ({@link AbstractMuslLibraryTest},
 * {@link AbstractWindowsLibraryTest}) need to know about the module. A module says it once, in an interface
 * that extends this one with default methods, and its proofs are one-line classes:
 * {@code class MuslLibraryTest extends AbstractMuslLibraryTest implements CacheLibrary {}}.
 */
public interface LibraryUnderTest {

    /** The Rust library name, e.g. {@code sark_cache}. */
    String libName();

    /** The API class whose {@code native} methods the library must export (see {@link JniSymbols#of}). */
    Class<?> apiClass();

    /**
     * One of {@link #apiClass()}'s JNI entry points spelled out by hand, e.g.
     * {@code Java_dev_sark_cache_NativeCache_nativeNew}: the symbols a proof looks up must contain it, so it
     * cannot pass with an empty or wrongly mangled list.
     */
    String knownJniSymbol();

    /** The module's forced-platform main class, as {@link ForcedPlatform} describes it. */
    Class<?> forcedPlatformMain();

    /** The classes whose code source the forced-platform child needs besides the loader: the API class. */
    default List<Class<?>> anchors() {
        return List.of(apiClass());
    }
}
