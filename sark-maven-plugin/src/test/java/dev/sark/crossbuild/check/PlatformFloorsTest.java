package dev.sark.crossbuild.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sark.loader.Platform;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The oldest platform each library asks for: macOS minimum, Windows 10, FreeBSD release, and the summary's words. */
class PlatformFloorsTest {

    @TempDir
    Path tmp;

    private static final Platform X86_MAC = Platform.fromTriple("x86_64-apple-darwin");
    private static final Platform ARM_MAC = Platform.fromTriple("aarch64-apple-darwin");
    private static final Platform UNIVERSAL = Platform.fromTriple("universal2-apple-darwin");
    private static final Platform WINDOWS = Platform.fromTriple("x86_64-pc-windows-gnu");
    private static final Platform FREEBSD = Platform.fromTriple("x86_64-unknown-freebsd");

    private static MachOFacts.Thin mac(int cpuType, int minos) throws IOException {
        byte[] image = Fixtures.machO(cpuType, 0, MachOFacts.MH_DYLIB, "@rpath/libsark_test.dylib",
                List.of("Java_dev_sark_Test_ping"), 64, minos);
        return assertInstanceOf(MachOFacts.Thin.class, BinaryFacts.parse(image, "lib.dylib"));
    }

    /** A thin image with no LC_BUILD_VERSION: the command's cmd field is changed to an unrelated one (LC_UUID). */
    private static MachOFacts.Thin macWithoutMinimum() throws IOException {
        byte[] image = Fixtures.machO(MachOFacts.CPU_TYPE_X86_64, 3, MachOFacts.MH_DYLIB, "@rpath/libsark_test.dylib",
                List.of(), 64, 0);
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 32; at < 32 + b.getInt(20); at += b.getInt(at + 4)) {
            if (b.getInt(at) == 0x32) {
                b.putInt(at, 0x1b);
            }
        }
        return assertInstanceOf(MachOFacts.Thin.class, BinaryFacts.parse(image, "lib.dylib"));
    }

    @Test
    void rustsDefaultMacosMinimums() {
        assertEquals("10.12", PlatformFloors.defaultMacosMinimum(Platform.Arch.X86_64));
        assertEquals("11.0", PlatformFloors.defaultMacosMinimum(Platform.Arch.AARCH_64));
        PlatformFloors floors = PlatformFloors.glibc((GlibcFloor) null).withMacosMinimum(Platform.Arch.X86_64, "10.15");
        assertEquals("10.15", floors.macosMinimum(Platform.Arch.X86_64));
        assertEquals("11.0", floors.macosMinimum(Platform.Arch.AARCH_64));
        assertEquals("10.12", floors.withMacosMinimum(Platform.Arch.X86_64, null).macosMinimum(Platform.Arch.X86_64));
    }

    @Test
    void macosLibraryAtItsMinimumPassesAndANewerOneFailsNamingBothAndTheFix() throws IOException {
        assertEquals(List.of(), Verify.problems(X86_MAC, mac(MachOFacts.CPU_TYPE_X86_64, 0x000a0c00), null,
                null));
        assertEquals(List.of(), Verify.problems(ARM_MAC, mac(MachOFacts.CPU_TYPE_ARM64, 0x000b0000), null,
                null));
        // Older than the minimum is fine: it loads on every macOS the target supports.
        assertEquals(List.of(), Verify.problems(X86_MAC, mac(MachOFacts.CPU_TYPE_X86_64, 0x000a0900), null,
                null));
        MachOFacts.Thin zigDefault = mac(MachOFacts.CPU_TYPE_X86_64, 0x000d0000);
        assertEquals("macOS 13.0", zigDefault.platformRequirement());
        assertEquals(List.of("library needs macOS 13.0 but the minimum for x86_64-apple-darwin is 10.12; link with"
                        + " MACOSX_DEPLOYMENT_TARGET=10.12 (the plugin sets it from <macosMinimum>), or raise"
                        + " <macosMinimum> to 13.0"),
                Verify.problems(X86_MAC, zigDefault, null, null));
        // A configured minimum moves the bar.
        assertEquals(List.of(), LibraryVerifier.problems(X86_MAC, zigDefault,
                PlatformFloors.glibc((GlibcFloor) null).withMacosMinimum(Platform.Arch.X86_64, "13.0"), null, false));
        assertEquals(List.of("library needs macOS 11.2 but the minimum for aarch64-apple-darwin is 11.0; link with"
                        + " MACOSX_DEPLOYMENT_TARGET=11.0 (the plugin sets it from <macosMinimum>), or raise"
                        + " <macosMinimum> to 11.2"),
                Verify.problems(ARM_MAC, mac(MachOFacts.CPU_TYPE_ARM64, 0x000b0200), null, null));
    }

    @Test
    void aMacosLibraryThatDeclaresNoMinimumIsAProblem() throws IOException {
        MachOFacts.Thin none = macWithoutMinimum();
        assertEquals(null, none.minOs());
        assertEquals("macOS (no minimum declared)", none.platformRequirement());
        assertEquals(List.of("library declares no minimum macOS (neither LC_BUILD_VERSION nor LC_VERSION_MIN_MACOSX)"
                        + " but x86_64-apple-darwin must state one, at most 10.12; link with"
                        + " MACOSX_DEPLOYMENT_TARGET=10.12 (the plugin sets it from <macosMinimum>)"),
                Verify.problems(X86_MAC, none, null, null));
    }

    @Test
    void universalSlicesAreEachCheckedAgainstTheirArchitecturesMinimum() throws IOException {
        Path x86 = Files.write(tmp.resolve("x86.dylib"), Fixtures.machO(MachOFacts.CPU_TYPE_X86_64, 3,
                MachOFacts.MH_DYLIB, "@rpath/libsark_test.dylib", List.of("Java_dev_sark_Test_ping"), 64, 0));
        Path arm = Files.write(tmp.resolve("arm.dylib"), Fixtures.machO(MachOFacts.CPU_TYPE_ARM64, 0,
                MachOFacts.MH_DYLIB, "@rpath/libsark_test.dylib", List.of("Java_dev_sark_Test_ping"), 64, 0x000c0000));
        Path fat = tmp.resolve("fat.dylib");
        FatMachOWriter.write(fat, List.of(x86, arm));
        BinaryFacts facts = BinaryFacts.read(fat);
        assertEquals("macOS 10.12 (x86_64), 12.0 (arm64)", facts.platformRequirement());
        // x86_64 at 10.12 is fine; arm64 at 12.0 exceeds 11.0 (its own minimum, not x86_64's 10.12).
        assertEquals(List.of("library's arm64 slice needs macOS 12.0 but the minimum for universal2-apple-darwin is"
                        + " 11.0; link with MACOSX_DEPLOYMENT_TARGET=11.0 (the plugin sets it from <macosMinimum>), or"
                        + " raise <macosMinimum> to 12.0"),
                Verify.problems(UNIVERSAL, facts, null, null));
        assertEquals(List.of(), LibraryVerifier.problems(UNIVERSAL, facts,
                PlatformFloors.glibc((GlibcFloor) null).withMacosMinimum(Platform.Arch.AARCH_64, "12.0"), null, false));
    }

    /** The fixture's optional header starts at 0x58 (e_lfanew 0x40, signature, 20-byte COFF header). */
    private static PeFacts pe(int subsystemMajor, int osMajor) throws IOException {
        byte[] image = Fixtures.pe(PeFacts.IMAGE_FILE_MACHINE_AMD64, true, true, "sark_test.dll",
                List.of("Java_dev_sark_Test_ping"));
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0x58 + 40, (short) osMajor);
        b.putShort(0x58 + 48, (short) subsystemMajor);
        return assertInstanceOf(PeFacts.class, BinaryFacts.parse(image, "sark_test.dll"));
    }

    @Test
    void windowsSubsystemAndOsVersionAreReadAndHeldToWindows10() throws IOException {
        PeFacts old = pe(6, 6);
        assertEquals(new WindowsVersion(6, 0), old.subsystemVersion());
        assertEquals(new WindowsVersion(6, 0), old.osVersion());
        assertEquals("Windows subsystem 6.0", old.platformRequirement());
        assertEquals(List.of(), Verify.problems(WINDOWS, old, null, "sark_test", true));

        PeFacts ten = pe(10, 10);
        assertEquals("Windows 10", ten.platformRequirement());
        assertEquals(List.of(), Verify.problems(WINDOWS, ten, null, "sark_test", true));

        PeFacts newer = pe(11, 11);
        assertEquals("Windows subsystem 11.0", newer.platformRequirement());
        List<String> problems = Verify.problems(WINDOWS, newer, null, "sark_test", true);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("library's subsystem version is 11.0 (MajorSubsystemVersion."
                + "MinorSubsystemVersion) but x86_64-pc-windows-gnu must load on Windows 10 (10.0)"), problems.get(0));
        assertTrue(problems.get(1).startsWith("library's operating system version is 11.0"), problems.get(1));
    }

    @Test
    void gccRuntimeDllsAreNotOnWindows10ButSystemDllsAndApiSetsAre() {
        for (String dll : List.of("KERNEL32.dll", "ntdll.dll", "bcryptprimitives.dll", "msvcrt.dll",
                "api-ms-win-core-synch-l1-2-0.dll", "api-ms-win-crt-runtime-l1-1-0.dll", "VCRUNTIME140.dll")) {
            assertEquals(java.util.Optional.empty(), WindowsDlls.missingOnWindows10(dll), dll);
        }
        for (String dll : List.of("libgcc_s_seh-1.dll", "libgcc_s_dw2-1.dll", "LIBWINPTHREAD-1.DLL", "libstdc++-6.dll")) {
            String why = WindowsDlls.missingOnWindows10(dll).orElseThrow();
            assertTrue(why.startsWith("library imports " + dll + ", GCC's run-time DLL"), why);
            assertTrue(why.contains("+crt-static"), why);
        }
    }

    private static byte[] freebsdNote(long freebsdVersion) {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(8).putInt(4).putInt(1).put("FreeBSD\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt((int) freebsdVersion);
        return b.array();
    }

    /** A GNU build-id note first, so that the reader has to walk past a note that is not FreeBSD's. */
    private static byte[] buildIdThenFreebsdNote(long freebsdVersion) {
        ByteBuffer b = ByteBuffer.allocate(16 + 8 + 24).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(4).putInt(8).putInt(3).put("GNU\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putLong(0x1122334455667788L);
        b.put(freebsdNote(freebsdVersion));
        return b.array();
    }

    private static Fixtures.Elf freebsdLibrary() {
        Fixtures.Elf spec = new Fixtures.Elf().needs("libc.so.7", "FBSD_1.0", "FBSD_1.5").exports("Java_a_B_c");
        spec.osAbi = ElfFacts.ELFOSABI_FREEBSD;
        return spec;
    }

    @Test
    void freebsdAbiTagIsReadFromThePtNoteSegment() throws IOException {
        Fixtures.Elf spec = freebsdLibrary();
        spec.note = buildIdThenFreebsdNote(1203000);
        ElfFacts elf = assertInstanceOf(ElfFacts.class, BinaryFacts.parse(spec.build(), "libsark.so"));
        assertEquals(OptionalLong.of(1203000), elf.freebsdAbiTag());
        assertEquals(OptionalInt.of(12), elf.freebsdRelease());
        assertEquals("FreeBSD 12", elf.platformRequirement());
        assertTrue(elf.summary().endsWith(", FreeBSD ABI tag 1203000"), elf.summary());
        assertEquals(List.of(), Verify.problems(FREEBSD, elf, null, null));

        spec.note = freebsdNote(1400097);
        ElfFacts fourteen = assertInstanceOf(ElfFacts.class, BinaryFacts.parse(spec.build(), "libsark.so"));
        assertEquals("FreeBSD 14", fourteen.platformRequirement());
        assertEquals(List.of("library's FreeBSD ABI tag (NT_FREEBSD_ABI_TAG note) is 1400097 (FreeBSD 14) but"
                        + " x86_64-unknown-freebsd must load on FreeBSD 12; link against FreeBSD 12's base system (crt"
                        + " files and libc)"),
                Verify.problems(FREEBSD, fourteen, null, null));
    }

    @Test
    void withoutANoteTheLibcSymbolVersionsStateTheRelease() throws IOException {
        ElfFacts twelve = assertInstanceOf(ElfFacts.class, BinaryFacts.parse(freebsdLibrary().build(), "l.so"));
        assertEquals(OptionalLong.empty(), twelve.freebsdAbiTag());
        assertEquals("FreeBSD 12", twelve.platformRequirement());
        assertEquals(List.of(), Verify.problems(FREEBSD, twelve, null, null));

        Fixtures.Elf spec = new Fixtures.Elf().needs("libc.so.7", "FBSD_1.5", "FBSD_1.7", "FBSDprivate_1.0");
        ElfFacts fourteen = assertInstanceOf(ElfFacts.class, BinaryFacts.parse(spec.build(), "l.so"));
        assertEquals(OptionalInt.of(14), fourteen.freebsdRelease());
        assertEquals(List.of("library needs libc.so.7 symbol version FBSD_1.7 (FreeBSD 14) but x86_64-unknown-freebsd"
                        + " must load on FreeBSD 12; link against FreeBSD 12's libraries (FBSD_1.5 at most)"),
                Verify.problems(FREEBSD, fourteen, null, null));
        assertEquals(OptionalInt.of(7), FreeBsdRelease.ofSymbolVersion("FBSD_1.0"));
        assertEquals(OptionalInt.empty(), FreeBsdRelease.ofSymbolVersion("FBSDprivate_1.0"));
        assertEquals(13, FreeBsdRelease.ofAbiTag(1302001));
    }

    @Test
    void libthrsThreadNameFunctionsOfFreeBsd12Point2AreWithinTheFloorButLibcsFbsd16IsNot() throws IOException {
        // what Rust's std links when a crate spawns threads: pthread_setname_np@FBSD_1.6 of libthr (in 12.2 too)
        Fixtures.Elf spec = new Fixtures.Elf().needs("libthr.so.3", "FBSD_1.0", "FBSD_1.6")
                .needs("libc.so.7", "FBSD_1.0", "FBSD_1.5");
        ElfFacts threads = assertInstanceOf(ElfFacts.class, BinaryFacts.parse(spec.build(), "l.so"));
        assertEquals("FreeBSD 12", threads.platformRequirement());
        assertEquals(List.of(), Verify.problems(FREEBSD, threads, null, null));

        Fixtures.Elf libc16 = new Fixtures.Elf().needs("libc.so.7", "FBSD_1.6");
        ElfFacts thirteen = assertInstanceOf(ElfFacts.class, BinaryFacts.parse(libc16.build(), "l.so"));
        assertEquals("FreeBSD 13", thirteen.platformRequirement());
        assertEquals(1, Verify.problems(FREEBSD, thirteen, null, null).size());
    }

    @Test
    void aNoteRunningPastItsSegmentIsMalformedNotAnException() {
        Fixtures.Elf spec = freebsdLibrary();
        byte[] note = freebsdNote(1203000);
        ByteBuffer.wrap(note).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 0x7ffffff0); // n_descsz far too large
        spec.note = note;
        IOException e = assertThrows(IOException.class, () -> BinaryFacts.parse(spec.build(), "bad.so"));
        assertTrue(e.getMessage().contains("runs past the end of its note segment"), e.getMessage());
    }

    @Test
    void requirementWordsForLinuxLibraries() throws IOException {
        ElfFacts glibc = assertInstanceOf(ElfFacts.class, BinaryFacts.parse(new Fixtures.Elf()
                .needs("libc.so.6", "GLIBC_2.2.5", "GLIBC_2.17").build(), "l.so"));
        assertEquals("glibc 2.17", glibc.platformRequirement());
        assertTrue(glibc.needsGlibcNewerThan("2.16"));
        assertTrue(!glibc.needsGlibcNewerThan("2.17"));
        Fixtures.Elf musl = new Fixtures.Elf().needs("libc.so");
        musl.interpreter = "/lib/ld-musl-x86_64.so.1";
        assertEquals("musl", BinaryFacts.parse(musl.build(), "l.so").platformRequirement());
        assertEquals("-", BinaryFacts.parse(new Fixtures.Elf().build(), "l.so").platformRequirement());
    }
}
