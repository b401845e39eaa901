package dev.sark.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PlatformTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "x86_64-unknown-linux-gnu,       linux-x86_64,         LINUX,   X86_64,    GLIBC",
        "aarch64-unknown-linux-gnu,      linux-aarch_64,       LINUX,   AARCH_64,  GLIBC",
        "armv7-unknown-linux-gnueabihf,  linux-arm_32,         LINUX,   ARM_32,    GLIBC",
        "arm-unknown-linux-gnueabi,      linux-arm_32-softfloat, LINUX, ARM_32,    GLIBC",
        "armv7-unknown-linux-musleabihf, linux-arm_32-musl,    LINUX,   ARM_32,    MUSL",
        "x86_64-unknown-linux-musl,      linux-x86_64-musl,    LINUX,   X86_64,    MUSL",
        "aarch64-unknown-linux-musl,     linux-aarch_64-musl,  LINUX,   AARCH_64,  MUSL",
        "i686-unknown-linux-gnu,         linux-x86_32,         LINUX,   X86_32,    GLIBC",
        "riscv64gc-unknown-linux-gnu,    linux-riscv64,        LINUX,   RISCV_64,  GLIBC",
        "powerpc64le-unknown-linux-gnu,  linux-ppcle_64,       LINUX,   PPCLE_64,  GLIBC",
        "s390x-unknown-linux-gnu,        linux-s390_64,        LINUX,   S390_64,   GLIBC",
        "x86_64-unknown-freebsd,         freebsd-x86_64,       FREEBSD, X86_64,    SYSTEM",
        "x86_64-pc-windows-gnu,          windows-x86_64,       WINDOWS, X86_64,    SYSTEM",
        "x86_64-pc-windows-msvc,         windows-x86_64,       WINDOWS, X86_64,    SYSTEM",
        "aarch64-pc-windows-msvc,        windows-aarch_64,     WINDOWS, AARCH_64,  SYSTEM",
        "x86_64-apple-darwin,            osx-x86_64,           OSX,     X86_64,    SYSTEM",
        "aarch64-apple-darwin,           osx-aarch_64,         OSX,     AARCH_64,  SYSTEM",
        "universal2-apple-darwin,        osx-universal,        OSX,     UNIVERSAL, SYSTEM",
    })
    void tripleMapsToClassifier(String triple, String classifier, Platform.Os os, Platform.Arch arch, Platform.Libc libc) {
        Platform p = Platform.fromTriple(triple);
        assertEquals(classifier, p.classifier());
        assertEquals(os, p.os());
        assertEquals(arch, p.arch());
        assertEquals(libc, p.libc());
        assertEquals(triple, p.triple(), "the triple given is kept as is");
    }

    @ParameterizedTest
    @ValueSource(strings = {"linux-x86_64", "linux-aarch_64", "linux-arm_32", "linux-arm_32-softfloat", "linux-x86_64-musl",
        "linux-aarch_64-musl", "linux-arm_32-musl", "freebsd-x86_64", "windows-x86_64", "osx-x86_64", "osx-aarch_64",
        "osx-universal", "linux-riscv64", "linux-ppcle_64", "linux-s390_64", "linux-x86_32"})
    void classifierRoundTripsThroughItsCanonicalTriple(String classifier) {
        Platform p = Platform.fromClassifier(classifier);
        assertEquals(classifier, p.classifier());
        Platform again = Platform.fromTriple(p.triple());
        assertEquals(p, again);
        assertEquals(classifier, again.classifier());
        assertEquals(p.resourcePath("x"), again.resourcePath("x"));
    }

    @Test
    void everyClassifierTheMappingProducesRoundTrips() {
        // The loader's class path scan relies on this for every combination, not only the documented ones.
        for (String classifier : ClasspathLibraries.knownClassifiers()) {
            assertEquals(classifier, Platform.fromClassifier(classifier).classifier());
        }
        assertTrue(ClasspathLibraries.knownClassifiers().contains("linux-aarch_64-musl"));
    }

    @Test
    void canonicalTriplesForClassifiers() {
        assertEquals("armv7-unknown-linux-gnueabihf", Platform.fromClassifier("linux-arm_32").triple());
        assertEquals("arm-unknown-linux-gnueabi", Platform.fromClassifier("linux-arm_32-softfloat").triple());
        assertEquals("x86_64-unknown-linux-musl", Platform.fromClassifier("linux-x86_64-musl").triple());
        assertEquals("universal2-apple-darwin", Platform.fromClassifier("osx-universal").triple());
        assertEquals("x86_64-unknown-freebsd", Platform.fromClassifier("freebsd-x86_64").triple());
    }

    @Test
    void libraryFileNamesFollowTheOs() {
        assertEquals("libx.so", Platform.fromTriple("x86_64-unknown-linux-gnu").libraryFileName("x"));
        assertEquals("libx.so", Platform.fromTriple("x86_64-unknown-freebsd").libraryFileName("x"));
        assertEquals("x.dll", Platform.fromTriple("x86_64-pc-windows-gnu").libraryFileName("x"));
        assertEquals("libx.dylib", Platform.fromTriple("aarch64-apple-darwin").libraryFileName("x"));
    }

    @Test
    void resourcePathIsRootClassifierFile() {
        assertEquals("dev/sark/native/linux-aarch_64-musl/libsark_cache.so",
                Platform.fromTriple("aarch64-unknown-linux-musl").resourcePath("sark_cache"));
        assertEquals("dev/sark/native/windows-x86_64/sark_opa.dll",
                Platform.fromTriple("x86_64-pc-windows-gnu").resourcePath("sark_opa"));
    }

    @Test
    void hardFloatOnlyMattersOnArm() {
        assertTrue(Platform.fromTriple("armv7-unknown-linux-gnueabihf").hardFloat());
        assertFalse(Platform.fromTriple("arm-unknown-linux-gnueabi").hardFloat());
        assertTrue(Platform.fromTriple("x86_64-unknown-linux-gnu").hardFloat());
    }

    @Test
    void equalityFollowsTheClassifier() {
        assertEquals(Platform.fromTriple("x86_64-pc-windows-gnu"), Platform.fromTriple("x86_64-pc-windows-msvc"));
        assertEquals(Platform.fromTriple("x86_64-pc-windows-gnu").hashCode(), Platform.fromTriple("x86_64-pc-windows-msvc").hashCode());
        assertFalse(Platform.fromTriple("x86_64-unknown-linux-gnu").equals(Platform.fromTriple("x86_64-unknown-linux-musl")));
    }

    @Test
    void tripleWithoutVendorOrEnvironment() {
        assertEquals("linux-x86_64", Platform.fromTriple("x86_64-linux-gnu").classifier());
        assertEquals("linux-x86_64", Platform.fromTriple("x86_64-unknown-linux").classifier());
        assertEquals("linux-aarch_64-musl", Platform.fromTriple("aarch64-linux-musl").classifier());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "x86_64", "x86_64-linux", "sparc64-unknown-linux-gnu", "x86_64-unknown-netbsd",
        "x86_64-unknown-linux-android", "universal2-unknown-linux-gnu", "x86_64-unknown-foolinux-gnu", "wasm32-unknown-unknown"})
    void badTriplesAreRejectedWithTheTripleInTheMessage(String triple) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Platform.fromTriple(triple));
        assertFalse(e.getMessage().isBlank());
        if (!triple.isBlank()) {
            assertTrue(e.getMessage().contains(triple.trim()), e.getMessage());
        }
    }

    @Test
    void nullTripleIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Platform.fromTriple(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "linux", "linux-", "linux-sparc", "windows-x86_64-musl", "linux-x86_64-softfloat",
        "osx-x86_64-musl", "linux-universal", "beos-x86_64", "x86_64-unknown-linux-gnu"})
    void badClassifiersAreRejected(String classifier) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Platform.fromClassifier(classifier));
        if (!classifier.isEmpty()) {
            assertTrue(e.getMessage().contains(classifier), e.getMessage());
        }
    }

    @Test
    void nullClassifierIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Platform.fromClassifier(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sark-cache", "a/b", "../x", "lib.so"})
    void badLibraryNamesAreRejected(String name) {
        Platform p = Platform.fromTriple("x86_64-unknown-linux-gnu");
        assertThrows(IllegalArgumentException.class, () -> p.libraryFileName(name));
        assertThrows(IllegalArgumentException.class, () -> p.resourcePath(name));
    }

    @Test
    void classifierIsCaseInsensitiveAndTrimmed() {
        assertEquals("linux-aarch_64", Platform.fromClassifier(" Linux-AARCH_64 ").classifier());
    }
}
