package dev.sark.cache;

import dev.sark.testing.LibraryUnderTest;

/** The {@code sark_cache} library, for the run-time proofs of its classifier libraries. */
interface CacheLibrary extends LibraryUnderTest {

    @Override
    default String libName() {
        return "sark_cache";
    }

    @Override
    default Class<?> apiClass() {
        return NativeCache.class;
    }

    @Override
    default String knownJniSymbol() {
        return "Java_dev_sark_cache_NativeCache_nativeNew";
    }

    @Override
    default Class<?> forcedPlatformMain() {
        return ForcedPlatformMain.class;
    }
}
