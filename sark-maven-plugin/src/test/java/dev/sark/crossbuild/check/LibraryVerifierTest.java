package dev.sark.crossbuild.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sark.loader.Platform;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LibraryVerifier rules on hand-made ELF files, for targets this machine has no compiler for. */
class LibraryVerifierTest {

    private static List<String> check(String triple, Fixtures.Elf spec, String floor) throws IOException {
        return Verify.problems(Platform.fromTriple(triple), BinaryFacts.parse(spec.build(), "lib.so"),
                floor == null ? null : GlibcFloor.parse(floor),
                "sark_test", true);
    }

    private static Fixtures.Elf lib(int machine, boolean is64, ByteOrder order) {
        return new Fixtures.Elf().machine(machine, is64, order).exports("Java_dev_sark_Test_ping");
    }

    @Test
    void everyLinuxArchitecturePassesWithItsOwnMachine() throws IOException {
        assertEquals(List.of(), check("x86_64-unknown-linux-gnu", lib(62, true, ByteOrder.LITTLE_ENDIAN), null));
        assertEquals(List.of(), check("i686-unknown-linux-gnu", lib(3, false, ByteOrder.LITTLE_ENDIAN), null));
        assertEquals(List.of(), check("aarch64-unknown-linux-gnu", lib(183, true, ByteOrder.LITTLE_ENDIAN), null));
        assertEquals(List.of(), check("riscv64gc-unknown-linux-gnu", lib(243, true, ByteOrder.LITTLE_ENDIAN), null));
        assertEquals(List.of(), check("powerpc64le-unknown-linux-gnu", lib(21, true, ByteOrder.LITTLE_ENDIAN), null));
        assertEquals(List.of(), check("s390x-unknown-linux-gnu", lib(22, true, ByteOrder.BIG_ENDIAN), null));
        Fixtures.Elf arm = lib(40, false, ByteOrder.LITTLE_ENDIAN);
        arm.flags = 0x05000400;
        assertEquals(List.of(), check("armv7-unknown-linux-gnueabihf", arm, null));
        assertEquals(List.of(), check("armv7-unknown-linux-musleabihf", arm, null));
    }

    @Test
    void bigEndianPowerPcIsNotPowerpc64le() throws IOException {
        assertEquals(List.of("library is big-endian but powerpc64le-unknown-linux-gnu needs little-endian"),
                check("powerpc64le-unknown-linux-gnu", lib(21, true, ByteOrder.BIG_ENDIAN), null));
    }

    @Test
    void wrongMachineNamesBothSides() throws IOException {
        assertEquals(List.of("library is ELF machine EM_X86_64 (62) but aarch64-unknown-linux-gnu needs"
                + " EM_AARCH64 (183)"), check("aarch64-unknown-linux-gnu", lib(62, true, ByteOrder.LITTLE_ENDIAN), null));
        assertEquals(List.of("library is ELF machine EM_RISCV (243) but s390x-unknown-linux-gnu needs EM_S390 (22)",
                        "library is little-endian but s390x-unknown-linux-gnu needs big-endian")
                        .stream().sorted().toList(),
                check("s390x-unknown-linux-gnu", lib(243, true, ByteOrder.LITTLE_ENDIAN), null).stream().sorted()
                        .toList());
    }

    @Test
    void softFloatMusleabiTargetRejectsHardFloat() throws IOException {
        Fixtures.Elf hard = lib(40, false, ByteOrder.LITTLE_ENDIAN);
        hard.flags = 0x05000400;
        assertEquals(List.of("library uses the hard-float ABI (EF_ARM_ABI_FLOAT_HARD 0x400 set in e_flags 0x5000400)"
                + " but arm-unknown-linux-musleabi needs the soft-float ABI (EF_ARM_ABI_FLOAT_HARD not set)"),
                check("arm-unknown-linux-musleabi", hard, null));
        Fixtures.Elf soft = lib(40, false, ByteOrder.LITTLE_ENDIAN);
        soft.flags = 0x05000200;
        assertEquals(List.of(), check("arm-unknown-linux-musleabi", soft, null));
    }

    @Test
    void glibcFloorExceeded() throws IOException {
        Fixtures.Elf spec = lib(62, true, ByteOrder.LITTLE_ENDIAN)
                .needs("libc.so.6", "GLIBC_2.2.5", "GLIBC_2.34", "GLIBC_PRIVATE", "GLIBC_2.17");
        assertEquals(List.of("library needs GLIBC_2.34 but the floor is 2.17; build with cargo-zigbuild and the .2.17"
                + " suffix, or raise <glibcFloor>"), check("x86_64-unknown-linux-gnu", spec, "2.17"));
        assertEquals(List.of("library needs GLIBC_2.34 but the floor is 2.28; build with cargo-zigbuild and the .2.28"
                + " suffix, or raise <glibcFloor>"), check("x86_64-unknown-linux-gnu", spec, "2.28"));
        assertEquals(List.of(), check("x86_64-unknown-linux-gnu", spec, "2.34"));
        assertEquals(List.of(), check("x86_64-unknown-linux-gnu", spec, "2.35"));
        assertEquals(List.of(), check("x86_64-unknown-linux-gnu", spec, null));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> check("x86_64-unknown-linux-gnu", spec, "two.seventeen"));
        assertTrue(bad.getMessage().contains("'two.seventeen' is not a glibc version"), bad.getMessage());
    }

    @Test
    void muslLibraryThatNeedsGlibc() throws IOException {
        Fixtures.Elf spec = lib(62, true, ByteOrder.LITTLE_ENDIAN).needs("libc.so.6", "GLIBC_2.2.5", "GLIBC_2.3");
        assertEquals(List.of("library is linked against glibc (needs libc.so.6, needs GLIBC_2.3) but"
                + " x86_64-unknown-linux-musl needs musl (libc.so, no GLIBC_ symbol versions)"),
                check("x86_64-unknown-linux-musl", spec, "2.17"));
        Fixtures.Elf interp = lib(183, true, ByteOrder.LITTLE_ENDIAN).needs("libc.so");
        interp.interpreter = "/lib/ld-linux-aarch64.so.1";
        assertEquals(List.of("library's program interpreter is /lib/ld-linux-aarch64.so.1 but"
                + " aarch64-unknown-linux-musl needs musl's (/lib/ld-musl-<arch>.so.1)"),
                check("aarch64-unknown-linux-musl", interp, null));
        Fixtures.Elf good = lib(183, true, ByteOrder.LITTLE_ENDIAN).needs("libc.so");
        good.interpreter = "/lib/ld-musl-aarch64.so.1";
        assertEquals(List.of(), check("aarch64-unknown-linux-musl", good, null));
    }

    @Test
    void freeBsdBrandingAndLibc() throws IOException {
        Fixtures.Elf branded = lib(62, true, ByteOrder.LITTLE_ENDIAN).needs("libc.so.7", "FBSD_1.0");
        branded.osAbi = ElfFacts.ELFOSABI_FREEBSD;
        assertEquals(List.of(), check("x86_64-unknown-freebsd", branded, null));
        assertEquals(List.of("library has ELFOSABI_FREEBSD (9) but x86_64-unknown-linux-gnu needs a Linux object"
                + " (EI_OSABI ELFOSABI_SYSV (0) or ELFOSABI_GNU (3))"), check("x86_64-unknown-linux-gnu", branded, null));
        // lld leaves shared libraries unbranded: recognised by FreeBSD's libc soname.
        Fixtures.Elf unbranded = lib(183, true, ByteOrder.LITTLE_ENDIAN).needs("libc.so.7");
        assertEquals(List.of(), check("aarch64-unknown-freebsd", unbranded, null));
        Fixtures.Elf brandedButGlibc = lib(62, true, ByteOrder.LITTLE_ENDIAN).needs("libc.so.6", "GLIBC_2.2.5");
        brandedButGlibc.osAbi = ElfFacts.ELFOSABI_FREEBSD;
        assertEquals(List.of("library needs a Linux C library (glibc) but x86_64-unknown-freebsd has FreeBSD's"
                + " libc.so.7"), check("x86_64-unknown-freebsd", brandedButGlibc, null));
    }

    @Test
    void executablesAndObjectsAreNotSharedLibraries() throws IOException {
        Fixtures.Elf exec = lib(62, true, ByteOrder.LITTLE_ENDIAN);
        exec.type = ElfFacts.ET_EXEC;
        assertEquals(List.of("library is an ELF fixed-address executable (ET_EXEC, e_type 2) but"
                + " x86_64-unknown-linux-gnu needs a shared library (ET_DYN, e_type 3); is the crate-type \"cdylib\"?"),
                check("x86_64-unknown-linux-gnu", exec, null));
    }

    @Test
    void jniExportsAreRequiredOnlyWhenAsked() throws IOException {
        Fixtures.Elf plain = new Fixtures.Elf().exports("helper");
        BinaryFacts facts = BinaryFacts.parse(plain.build(), "libplain.so");
        Platform linux = Platform.fromTriple("x86_64-unknown-linux-gnu");
        assertEquals(List.of(), Verify.problems(linux, facts, null, "sark_test"));
        assertEquals(List.of(), Verify.problems(linux, facts, null, null, true));
        List<String> problems = Verify.problems(linux, facts, null, "sark_test", true);
        assertEquals(List.of("library exports no Java_* symbol in its dynamic symbol table but libsark_test.so for"
                + " x86_64-unknown-linux-gnu must export its JNI native methods (Java_<class>_<method>); are they"
                + " #[no_mangle] pub extern \"system\" fn?"), problems);
    }
}
