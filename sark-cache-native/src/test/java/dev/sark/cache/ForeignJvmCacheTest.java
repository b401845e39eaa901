package dev.sark.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sark.testing.ForeignJvm;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs {@link CacheProbe} in a JVM of each cross target's architecture (Debian's OpenJDK under qemu-user)
 * with only the loader, the API classes, the classifier JAR and the probe on the class path.
 */
class ForeignJvmCacheTest {

    @ParameterizedTest
    @ValueSource(strings = {"linux-aarch_64", "linux-arm_32"})
    void cacheWorksInAForeignJvm(String classifier, @TempDir Path cacheDir) {
        // Skipped in a partial local build without the cross toolchain; a failure under -Dsark.requireAll.
        ForeignJvm.Result r = ForeignJvm.runProbe(classifier, cacheDir, List.of(NativeCache.class), CacheProbe.class);
        assertCacheFacts(classifier, r);
    }

    /**
     * The linux-gnu libraries are linked for glibc 2.17: they work in Debian 11's OpenJDK on Debian 11's C library
     * (glibc 2.31, older than the build machine's), through its own loader for x86_64, under qemu-user otherwise.
     */
    @ParameterizedTest
    @ValueSource(strings = {"linux-x86_64", "linux-aarch_64", "linux-arm_32"})
    void cacheWorksOnDebian11(String classifier, @TempDir Path cacheDir) {
        ForeignJvm.Result r = ForeignJvm.runProbe(classifier, ForeignJvm.Userland.BULLSEYE, cacheDir,
                List.of(NativeCache.class), CacheProbe.class);
        assertCacheFacts(classifier, r);
        assertTrue(r.ranOnGlibcOfItsRoot("2.31"), "not on Debian 11's glibc 2.31: " + r);
    }

    private static void assertCacheFacts(String classifier, ForeignJvm.Result r) {
        assertEquals(0, r.exitCode, r.toString());
        assertEquals(classifier, r.value("platform"), r.toString());
        assertEquals("true", r.value("roundtrip"), r.toString());
        assertEquals("true", r.value("lruEvicted"), r.toString());
        assertEquals("23", r.value("kept"), r.toString());
        assertEquals("[-1, 0, 7]", r.value("bytes"), r.toString());
        assertEquals("true", r.value("ttlExpired"), r.toString());
        assertEquals("2", r.value("evictions"), r.toString()); // a, then b for the byte[] entry
        assertEquals("1", r.value("expirations"), r.toString());
        assertEquals("2", r.value("size"), r.toString());
        assertEquals("true", r.value("liveOnSystemClock"), r.toString());
        assertEquals("true", r.value("expiredOnSystemClock"), r.toString());
    }
}
