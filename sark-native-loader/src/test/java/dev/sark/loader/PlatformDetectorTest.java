package dev.sark.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PlatformDetectorTest {

    private final Map<String, String> props = new HashMap<>();

    @AfterEach
    void clearRealProperties() {
        System.clearProperty(PlatformDetector.CLASSIFIER_PROPERTY);
        System.clearProperty(PlatformDetector.LIBC_PROPERTY);
    }

    private PlatformDetector.Detection detect(String osName, String osArch, Supplier<PlatformDetector.ElfResult> elf) {
        props.put("os.name", osName);
        props.put("os.arch", osArch);
        return PlatformDetector.detect(props::get, elf);
    }

    private static Supplier<PlatformDetector.ElfResult> exe(boolean is64, int machine, int flags, String interp) {
        return () -> {
            try {
                return PlatformDetector.ElfResult.of(ElfInfo.parse(ElfInfoTest.elf(is64, false, machine, flags, interp)), "/proc/self/exe");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        };
    }

    private static Supplier<PlatformDetector.ElfResult> notCalled() {
        return () -> fail("ELF must only be read on Linux");
    }

    @Test
    void glibcFromInterpreter() {
        PlatformDetector.Detection d = detect("Linux", "amd64", exe(true, 62, 0, "/lib64/ld-linux-x86-64.so.2"));
        assertEquals("linux-x86_64", d.platform().classifier());
        assertEquals("x86_64-unknown-linux-gnu", d.platform().triple());
        assertTrue(d.how().contains("/lib64/ld-linux-x86-64.so.2"), d.how());
        assertTrue(d.how().contains("PT_INTERP"), d.how());
    }

    @ParameterizedTest
    @CsvSource({"amd64, /lib/ld-musl-x86_64.so.1, linux-x86_64-musl", "aarch64, /lib/ld-musl-aarch64.so.1, linux-aarch_64-musl",
        "aarch64, /lib/ld-linux-aarch64.so.1, linux-aarch_64"})
    void muslFromInterpreter(String arch, String interp, String classifier) {
        PlatformDetector.Detection d = detect("Linux", arch, exe(true, 183, 0, interp));
        assertEquals(classifier, d.platform().classifier());
        assertTrue(d.how().contains(interp), d.how());
    }

    @Test
    void armFloatAbiFromElf() {
        assertEquals("linux-arm_32", detect("Linux", "arm", exe(false, 40, 0x05000400, "/lib/ld-linux-armhf.so.3")).platform().classifier());
        PlatformDetector.Detection soft = detect("Linux", "arm", exe(false, 40, 0x05000200, "/lib/ld-linux.so.3"));
        assertEquals("linux-arm_32-softfloat", soft.platform().classifier());
        assertEquals("arm-unknown-linux-gnueabi", soft.platform().triple());
        assertTrue(soft.how().contains("soft-float"), soft.how());
        assertEquals("linux-arm_32-musl",
                detect("Linux", "armv7l", exe(false, 40, 0x05000000, "/lib/ld-musl-armhf.so.1")).platform().classifier());
    }

    @Test
    void libcOverrideBeatsTheElf() {
        props.put(PlatformDetector.LIBC_PROPERTY, "musl");
        PlatformDetector.Detection d = detect("Linux", "amd64", exe(true, 62, 0, "/lib64/ld-linux-x86-64.so.2"));
        assertEquals("linux-x86_64-musl", d.platform().classifier());
        assertTrue(d.how().contains(PlatformDetector.LIBC_PROPERTY), d.how());

        props.put(PlatformDetector.LIBC_PROPERTY, "GLIBC");
        assertEquals("linux-x86_64", detect("Linux", "amd64", exe(true, 62, 0, "/lib/ld-musl-x86_64.so.1")).platform().classifier());
    }

    @Test
    void badLibcOverrideNamesTheProperty() {
        props.put(PlatformDetector.LIBC_PROPERTY, "uclibc");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> detect("Linux", "amd64", exe(true, 62, 0, "/lib64/ld-linux-x86-64.so.2")));
        assertTrue(e.getMessage().contains(PlatformDetector.LIBC_PROPERTY + "=uclibc"), e.getMessage());
    }

    @Test
    void classifierOverrideForcesEverything() {
        props.put(PlatformDetector.CLASSIFIER_PROPERTY, "linux-aarch_64-musl");
        PlatformDetector.Detection d = detect("Windows 11", "amd64", notCalled());
        assertEquals(Platform.fromClassifier("linux-aarch_64-musl"), d.platform());
        assertTrue(d.how().contains(PlatformDetector.CLASSIFIER_PROPERTY), d.how());
    }

    @Test
    void badClassifierOverrideNamesTheProperty() {
        props.put(PlatformDetector.CLASSIFIER_PROPERTY, "linux-mips");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> detect("Linux", "amd64", notCalled()));
        assertTrue(e.getMessage().contains(PlatformDetector.CLASSIFIER_PROPERTY + "=linux-mips"), e.getMessage());
    }

    @Test
    void unreadableExecutableAssumesGlibcAndSaysWhy() {
        PlatformDetector.Detection d = detect("Linux", "amd64",
                () -> PlatformDetector.ElfResult.failed("Permission denied", "/proc/self/exe"));
        assertEquals(Platform.Libc.GLIBC, d.platform().libc());
        assertTrue(d.how().contains("Permission denied") && d.how().contains(PlatformDetector.LIBC_PROPERTY + "=musl"), d.how());
    }

    @Test
    void staticExecutableAssumesGlibc() {
        PlatformDetector.Detection d = detect("Linux", "aarch64", exe(true, 183, 0, null));
        assertEquals("linux-aarch_64", d.platform().classifier());
        assertTrue(d.how().contains("no PT_INTERP"), d.how());
    }

    @ParameterizedTest
    @CsvSource({"Windows 10, amd64, windows-x86_64", "Windows Server 2022, aarch64, windows-aarch_64", "Mac OS X, aarch64, osx-aarch_64",
        "Mac OS X, x86_64, osx-x86_64", "FreeBSD, amd64, freebsd-x86_64"})
    void otherSystemsNeedNoElf(String os, String arch, String classifier) {
        assertEquals(classifier, detect(os, arch, notCalled()).platform().classifier());
    }

    @ParameterizedTest
    @CsvSource({"amd64, X86_64", "x86_64, X86_64", "aarch64, AARCH_64", "arm64, AARCH_64", "arm, ARM_32", "armv7l, ARM_32",
        "x86, X86_32", "i386, X86_32", "i686, X86_32", "riscv64, RISCV_64", "ppc64le, PPCLE_64", "s390x, S390_64"})
    void archNames(String osArch, Platform.Arch arch) {
        assertEquals(arch, PlatformDetector.arch(osArch));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sparcv9", "ppc64", "mips", ""})
    void unsupportedArchSaysWhich(String osArch) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PlatformDetector.arch(osArch));
        assertTrue(e.getMessage().contains("'" + osArch + "'"), e.getMessage());
    }

    @Test
    void unsupportedOsSaysWhich() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PlatformDetector.os("SunOS"));
        assertTrue(e.getMessage().contains("SunOS") && e.getMessage().contains(PlatformDetector.CLASSIFIER_PROPERTY), e.getMessage());
    }

    @Test
    void missingFileIsAFailedResultNotAnException(@TempDir Path dir) {
        PlatformDetector.ElfResult r = PlatformDetector.readElf(dir.resolve("absent"));
        assertNull(r.info);
        assertTrue(r.error.contains("absent"), r.error);
    }

    @Test
    void realHostMatchesItsOwnExecutable() throws IOException {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"));
        Platform p = Platform.current();
        assertEquals(Platform.Os.LINUX, p.os());
        assertEquals(PlatformDetector.arch(System.getProperty("os.arch")), p.arch());
        boolean musl = ElfInfo.read(Paths.get("/proc/self/exe")).isMusl();
        assertEquals(musl ? Platform.Libc.MUSL : Platform.Libc.GLIBC, p.libc());
    }

    @Test
    void realSystemPropertiesOverrideDetection() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"));
        Platform detected = Platform.current();
        Platform.Libc other = detected.libc() == Platform.Libc.MUSL ? Platform.Libc.GLIBC : Platform.Libc.MUSL;
        System.setProperty(PlatformDetector.LIBC_PROPERTY, other.name().toLowerCase());
        assertEquals(other, Platform.current().libc());
        assertEquals(detected.arch(), Platform.current().arch());

        System.setProperty(PlatformDetector.CLASSIFIER_PROPERTY, "osx-universal");
        assertEquals(Platform.fromClassifier("osx-universal"), Platform.current());

        clearRealProperties();
        assertEquals(detected, Platform.current());
        assertFalse(PlatformDetector.detectWithReason().how().isBlank());
    }
}
