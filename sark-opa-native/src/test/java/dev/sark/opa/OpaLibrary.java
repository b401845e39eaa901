package dev.sark.opa;

import dev.sark.testing.LibraryUnderTest;

/** The {@code sark_opa} library, for the run-time proofs of its classifier libraries. */
interface OpaLibrary extends LibraryUnderTest {

    @Override
    default String libName() {
        return "sark_opa";
    }

    @Override
    default Class<?> apiClass() {
        return PolicyEngine.class;
    }

    @Override
    default String knownJniSymbol() {
        return "Java_dev_sark_opa_PolicyEngine_nativeCreate";
    }

    @Override
    default Class<?> forcedPlatformMain() {
        return ForcedPlatformMain.class;
    }
}
