package dev.sark.crossbuild.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sark.loader.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Libraries compiled on this machine by real compilers and linkers: the host cc, the Debian cross compilers
 * (aarch64, armhf), musl-gcc, MinGW-w64, and LLVM's llc for the architectures no C cross compiler is installed
 * for. Each test is skipped, not faked, when its tool is absent.
 */
class RealLibrariesTest {

    private static final String LIB = "sark_test";

    @TempDir
    Path tmp;

    private Path compile(String compiler, String output, String... flags) throws Exception {
        Path cc = Tools.require(compiler);
        Path source = Tools.jniSource(tmp);
        List<String> command = new ArrayList<>(List.of(cc.toString()));
        command.addAll(List.of(flags));
        command.addAll(List.of("-o", output, source.toString()));
        Tools.run(tmp, command.toArray(new String[0]));
        return tmp.resolve(output);
    }

    private static List<String> problems(String triple, Path library, String floor) throws IOException {
        return Verify.problems(Platform.fromTriple(triple), library,
                floor == null ? null : GlibcFloor.parse(floor), LIB, true);
    }

    @Test
    void hostCcLibraryPassesForItsTripleAndNamesBothSidesOtherwise() throws Exception {
        ElfFactsTest.assumeLinuxX86_64();
        Path cc = Tools.require("cc");
        // getrandom() is versioned GLIBC_2.25: a real symbol version above a 2.17 floor.
        Path source = Files.writeString(tmp.resolve("rnd.c"), "#include <sys/random.h>\n"
                + "int Java_dev_sark_Test_ping(void) { char b[4]; return (int) getrandom(b, 4, 0); }\n");
        Tools.run(tmp, cc.toString(), "-shared", "-fPIC", "-o", "libhost.so", source.toString());
        Path lib = tmp.resolve("libhost.so");
        ElfFacts facts = assertInstanceOf(ElfFacts.class, BinaryFacts.read(lib));
        assertEquals("GLIBC_2.25", facts.highestGlibcVersion().orElseThrow());
        assertTrue(facts.exportedSymbols().contains("Java_dev_sark_Test_ping"));

        assertEquals(List.of(), problems("x86_64-unknown-linux-gnu", lib, null));
        assertEquals(List.of(), problems("x86_64-unknown-linux-gnu", lib, "2.28"));
        assertEquals(List.of("library needs GLIBC_2.25 but the floor is 2.17; build with cargo-zigbuild and the"
                        + " .2.17 suffix, or raise <glibcFloor>"),
                problems("x86_64-unknown-linux-gnu", lib, "2.17"));
        assertEquals(List.of("library is ELF machine EM_X86_64 (62) but aarch64-unknown-linux-gnu needs"
                + " EM_AARCH64 (183)"), problems("aarch64-unknown-linux-gnu", lib, null));
        List<String> musl = problems("x86_64-unknown-linux-musl", lib, null);
        assertEquals(List.of("library is linked against glibc (needs libc.so.6, needs GLIBC_2.25) but"
                + " x86_64-unknown-linux-musl needs musl (libc.so, no GLIBC_ symbol versions)"), musl);
        List<String> bsd = problems("x86_64-unknown-freebsd", lib, null);
        assertEquals(1, bsd.size(), bsd.toString());
        assertTrue(bsd.get(0).startsWith("library has ELFOSABI_SYSV (0) and does not need libc.so.7, but"
                + " x86_64-unknown-freebsd needs a FreeBSD object"), bsd.get(0));
        assertTrue(bsd.get(0).endsWith("it needs glibc, so it is a Linux library"), bsd.get(0));
        assertEquals(List.of("library is an ELF file (Linux/BSD) but x86_64-pc-windows-msvc needs a PE/COFF DLL"),
                problems("x86_64-pc-windows-msvc", lib, null));
    }

    @Test
    void aLibraryWithoutJniExportsFailsOnlyWhenTheyAreRequired() throws Exception {
        ElfFactsTest.assumeLinuxX86_64();
        Path cc = Tools.require("cc");
        Path source = Files.writeString(tmp.resolve("plain.c"), "int plain(void) { return 1; }\n");
        Tools.run(tmp, cc.toString(), "-shared", "-fPIC", "-o", "libplain.so", source.toString());
        Path lib = tmp.resolve("libplain.so");
        BinaryFacts facts = BinaryFacts.read(lib);
        Platform host = Platform.fromTriple("x86_64-unknown-linux-gnu");
        assertEquals(List.of(), Verify.problems(host, facts, null, LIB));
        List<String> problems = Verify.problems(host, facts, null, LIB, true);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("library exports no Java_* symbol in its dynamic symbol table but"
                + " libsark_test.so for x86_64-unknown-linux-gnu must export"), problems.get(0));
    }

    @Test
    void aarch64CrossCompiledLibrary() throws Exception {
        Path lib = compile("aarch64-linux-gnu-gcc", "liba64.so", "-shared", "-fPIC");
        ElfFacts facts = assertInstanceOf(ElfFacts.class, BinaryFacts.read(lib));
        assertEquals(ElfFacts.EM_AARCH64, facts.machine());
        assertEquals(List.of(), problems("aarch64-unknown-linux-gnu", lib, "2.17"));
        assertEquals(List.of("library is ELF machine EM_AARCH64 (183) but x86_64-unknown-linux-gnu needs"
                + " EM_X86_64 (62)"), problems("x86_64-unknown-linux-gnu", lib, null));
        assertEquals(List.of("library is a 64-bit ELF (ELFCLASS64) but armv7-unknown-linux-gnueabihf needs a"
                        + " 32-bit ELF (ELFCLASS32)", "library is ELF machine EM_AARCH64 (183) but"
                        + " armv7-unknown-linux-gnueabihf needs EM_ARM (40)"),
                problems("armv7-unknown-linux-gnueabihf", lib, null));
    }

    @Test
    void armHardFloatCrossCompiledLibrary() throws Exception {
        Path lib = compile("arm-linux-gnueabihf-gcc", "libhf.so", "-shared", "-fPIC");
        ElfFacts facts = assertInstanceOf(ElfFacts.class, BinaryFacts.read(lib));
        assertEquals(ElfFacts.EM_ARM, facts.machine());
        assertEquals(32, facts.bits());
        assertTrue((facts.flags() & ElfFacts.EF_ARM_ABI_FLOAT_HARD) != 0, Long.toHexString(facts.flags()));
        assertEquals(List.of(), problems("armv7-unknown-linux-gnueabihf", lib, "2.17"));
        assertEquals(List.of("library uses the hard-float ABI (EF_ARM_ABI_FLOAT_HARD 0x400 set in e_flags 0x5000400)"
                        + " but arm-unknown-linux-gnueabi needs the soft-float ABI (EF_ARM_ABI_FLOAT_HARD not set)"),
                problems("arm-unknown-linux-gnueabi", lib, null));
    }

    /**
     * No soft-float cross compiler is installed, but the armhf gcc compiles and links soft-float code when it
     * does not link the (hard-float) C library: a real soft-float shared object.
     */
    @Test
    void armSoftFloatLibraryFromTheArmhfCompiler() throws Exception {
        Path lib = compile("arm-linux-gnueabihf-gcc", "libsf.so", "-shared", "-fPIC", "-mfloat-abi=soft",
                "-nostdlib");
        ElfFacts facts = assertInstanceOf(ElfFacts.class, BinaryFacts.read(lib));
        assertEquals(0, facts.flags() & ElfFacts.EF_ARM_ABI_FLOAT_HARD, Long.toHexString(facts.flags()));
        assertEquals(List.of(), problems("arm-unknown-linux-gnueabi", lib, null));
        assertEquals(List.of("library uses the soft-float ABI (EF_ARM_ABI_FLOAT_HARD 0x400 not set in e_flags"
                        + " 0x5000200) but armv7-unknown-linux-gnueabihf needs the hard-float ABI"
                        + " (EF_ARM_ABI_FLOAT_HARD set)"),
                problems("armv7-unknown-linux-gnueabihf", lib, null));
    }

    @Test
    void muslLibraryAndExecutable() throws Exception {
        Path lib = compile("musl-gcc", "libmusl.so", "-shared", "-fPIC");
        ElfFacts facts = assertInstanceOf(ElfFacts.class, BinaryFacts.read(lib));
        assertTrue(facts.needed().contains("libc.so"), facts.needed().toString());
        assertTrue(facts.highestGlibcVersion().isEmpty());
        assertEquals(List.of(), problems("x86_64-unknown-linux-musl", lib, null));
        assertEquals(List.of("library is linked against musl (needs libc.so) but x86_64-unknown-linux-gnu needs"
                + " glibc (libc.so.6)"), problems("x86_64-unknown-linux-gnu", lib, "2.17"));

        // The loader detects musl from PT_INTERP of the running executable: a musl program names ld-musl.
        Path main = Files.writeString(tmp.resolve("main.c"), "int main(void) { return 0; }\n");
        Tools.run(tmp, Tools.require("musl-gcc").toString(), "-o", "prog", main.toString());
        ElfFacts exe = assertInstanceOf(ElfFacts.class, BinaryFacts.read(tmp.resolve("prog")));
        assertTrue(exe.interpreter() != null && exe.interpreter().contains("ld-musl"), String.valueOf(exe.interpreter()));
    }

    @Test
    void mingwDllAndExecutable() throws Exception {
        Path dll = compile("x86_64-w64-mingw32-gcc", "sark_test.dll", "-shared");
        PeFacts facts = assertInstanceOf(PeFacts.class, BinaryFacts.read(dll));
        assertEquals(PeFacts.IMAGE_FILE_MACHINE_AMD64, facts.machine());
        assertTrue(facts.isDll());
        assertTrue(facts.pe32Plus());
        assertTrue(facts.exportedNames().contains("Java_dev_sark_Test_ping"), facts.exportedNames().toString());
        assertEquals("sark_test.dll", facts.exportedDllName());
        assertTrue(facts.importedDlls().stream().anyMatch(d -> d.equalsIgnoreCase("KERNEL32.dll")),
                facts.importedDlls().toString());
        assertEquals(List.of(), problems("x86_64-pc-windows-gnu", dll, null));
        assertEquals(List.of("library is PE machine IMAGE_FILE_MACHINE_AMD64 (0x8664) but aarch64-pc-windows-msvc"
                        + " needs IMAGE_FILE_MACHINE_ARM64 (0xaa64)"),
                problems("aarch64-pc-windows-msvc", dll, null));
        assertEquals(List.of("library is a PE/COFF file (Windows) but x86_64-unknown-linux-gnu needs an ELF shared"
                + " library"), problems("x86_64-unknown-linux-gnu", dll, null));

        Path main = Files.writeString(tmp.resolve("main.c"), "int main(void) { return 0; }\n");
        Tools.run(tmp, Tools.require("x86_64-w64-mingw32-gcc").toString(), "-o", "prog.exe", main.toString());
        Path exe = tmp.resolve("prog.exe");
        PeFacts program = assertInstanceOf(PeFacts.class, BinaryFacts.read(exe));
        assertTrue(!program.isDll());
        List<String> exeProblems = Verify.problems(Platform.fromTriple("x86_64-pc-windows-gnu"), program,
                null, null);
        assertEquals(1, exeProblems.size(), exeProblems.toString());
        assertTrue(exeProblems.get(0).startsWith("library is a PE executable (IMAGE_FILE_DLL 0x2000 not set"),
                exeProblems.get(0));
        assertTrue(exeProblems.get(0).endsWith("but x86_64-pc-windows-gnu needs a DLL"), exeProblems.get(0));
    }

    @Test
    void mingwDllWithoutJniExportsFailsWhenTheLibraryIsNamed() throws Exception {
        Path cc = Tools.require("x86_64-w64-mingw32-gcc");
        Path source = Files.writeString(tmp.resolve("plain.c"),
                "__declspec(dllexport) int plain(void) { return 1; }\n");
        Tools.run(tmp, cc.toString(), "-shared", "-o", "plain.dll", source.toString());
        PeFacts facts = assertInstanceOf(PeFacts.class, BinaryFacts.read(tmp.resolve("plain.dll")));
        assertTrue(facts.hasExportTable());
        Platform windows = Platform.fromTriple("x86_64-pc-windows-gnu");
        assertEquals(List.of(), Verify.problems(windows, facts, null, null));
        List<String> problems = Verify.problems(windows, facts, null, LIB);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("library exports no Java_* symbol in its export table but"
                + " sark_test.dll for x86_64-pc-windows-gnu"), problems.get(0));
    }

    /**
     * LLVM knows every target SARK ships to. Its object files (ET_REL: llc does not link) must show the class,
     * byte order, machine and OS ABI the verifier expects, so that the only problem left is the file type.
     */
    @Test
    void llcObjectsForEveryElfTargetMatchTheVerifiersTable() throws Exception {
        Path llc = Tools.require("llc", "llc-14", "llc-15", "llc-16", "llc-17", "llc-18");
        Path ir = Files.writeString(tmp.resolve("ping.ll"), "define i32 @Java_dev_sark_Test_ping() {\n  ret i32 42\n}\n");
        Map<String, Integer> targets = Map.of(
                "x86_64-unknown-linux-gnu", ElfFacts.EM_X86_64,
                "i686-unknown-linux-gnu", ElfFacts.EM_386,
                "aarch64-unknown-linux-gnu", ElfFacts.EM_AARCH64,
                "riscv64gc-unknown-linux-gnu", ElfFacts.EM_RISCV,
                "powerpc64le-unknown-linux-gnu", ElfFacts.EM_PPC64,
                "s390x-unknown-linux-gnu", ElfFacts.EM_S390,
                "x86_64-unknown-freebsd", ElfFacts.EM_X86_64,
                "aarch64-unknown-freebsd", ElfFacts.EM_AARCH64);
        for (Map.Entry<String, Integer> t : targets.entrySet()) {
            String triple = t.getKey();
            String llvmTriple = triple.replace("riscv64gc", "riscv64");
            Path obj = tmp.resolve(triple + ".o");
            Tools.run(tmp, llc.toString(), "-mtriple=" + llvmTriple, "-filetype=obj", "-relocation-model=pic",
                    "-o", obj.toString(), ir.toString());
            ElfFacts facts = assertInstanceOf(ElfFacts.class, BinaryFacts.read(obj));
            assertEquals(t.getValue(), facts.machine(), triple);
            assertEquals(triple.startsWith("s390x") ? false : true, facts.littleEndian(), triple);
            List<String> problems = Verify.problems(Platform.fromTriple(triple), facts, null, null);
            assertEquals(List.of("library is an ELF relocatable object (ET_REL, e_type 1) but " + triple
                    + " needs a shared library (ET_DYN, e_type 3); is the crate-type \"cdylib\"?"), problems, triple);
        }
    }

    /** GNU ld links 32-bit x86 (elf_i386) and keeps FreeBSD objects unbranded, as lld does for libraries. */
    @Test
    void linkedI686AndUnbrandedFreeBsdLibraries() throws Exception {
        Path llc = Tools.require("llc", "llc-14", "llc-15", "llc-16", "llc-17", "llc-18");
        Path ld = Tools.require("ld.bfd", "ld");
        Path cc = Tools.require("cc");
        ElfFactsTest.assumeLinuxX86_64();
        Path ir = Files.writeString(tmp.resolve("ping.ll"), "define i32 @Java_dev_sark_Test_ping() {\n  ret i32 42\n}\n");

        Tools.run(tmp, llc.toString(), "-mtriple=i686-unknown-linux-gnu", "-filetype=obj", "-relocation-model=pic",
                "-o", "i686.o", ir.toString());
        Tools.run(tmp, ld.toString(), "-m", "elf_i386", "-shared", "-o", "libi686.so", "i686.o");
        Path i686 = tmp.resolve("libi686.so");
        assertEquals(List.of(), problems("i686-unknown-linux-gnu", i686, "2.17"));
        assertEquals(List.of("library is a 32-bit ELF (ELFCLASS32) but x86_64-unknown-linux-gnu needs a 64-bit ELF"
                        + " (ELFCLASS64)", "library is ELF machine EM_386 (3) but x86_64-unknown-linux-gnu needs"
                        + " EM_X86_64 (62)"),
                problems("x86_64-unknown-linux-gnu", i686, null));

        // A stand-in for FreeBSD's C library, only so that the link records DT_NEEDED libc.so.7.
        Path empty = Files.writeString(tmp.resolve("empty.c"), "");
        Tools.run(tmp, cc.toString(), "-shared", "-nostdlib", "-Wl,-soname,libc.so.7", "-o", "libc.so.7",
                empty.toString());
        Tools.run(tmp, llc.toString(), "-mtriple=x86_64-unknown-freebsd", "-filetype=obj", "-relocation-model=pic",
                "-o", "fbsd.o", ir.toString());
        Tools.run(tmp, ld.toString(), "-shared", "-o", "libfbsd.so", "fbsd.o", "./libc.so.7");
        Path bsd = tmp.resolve("libfbsd.so");
        ElfFacts facts = assertInstanceOf(ElfFacts.class, BinaryFacts.read(bsd));
        assertEquals(ElfFacts.ELFOSABI_SYSV, facts.osAbi());
        assertEquals(List.of("libc.so.7"), facts.needed());
        assertEquals(List.of(), problems("x86_64-unknown-freebsd", bsd, null));
        assertEquals(List.of("library needs FreeBSD's libc.so.7 but x86_64-unknown-linux-gnu needs a Linux library"),
                problems("x86_64-unknown-linux-gnu", bsd, null));

        // Without libc.so.7 an unbranded library is not recognisably FreeBSD's.
        Tools.run(tmp, ld.toString(), "-shared", "-o", "libnolibc.so", "fbsd.o");
        List<String> unbranded = problems("x86_64-unknown-freebsd", tmp.resolve("libnolibc.so"), null);
        assertEquals(List.of("library has ELFOSABI_SYSV (0) and does not need libc.so.7, but x86_64-unknown-freebsd"
                + " needs a FreeBSD object (EI_OSABI ELFOSABI_FREEBSD (9), or a DT_NEEDED of FreeBSD's libc.so.7)"),
                unbranded);
    }
}
