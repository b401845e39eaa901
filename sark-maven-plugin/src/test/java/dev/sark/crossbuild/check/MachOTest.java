package dev.sark.crossbuild.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MachOFacts and FatMachOWriter. No Mach-O linker is installed here, so dylibs are hand-made (following
 * loader.h and fat.h); LLVM's llc makes real Mach-O objects and llvm-lipo, when present, cross-checks the
 * universal files written here.
 */
class MachOTest {

    @TempDir
    Path tmp;

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes);
    }

    @Test
    void thinDylibFacts() throws IOException {
        byte[] image = Fixtures.machODylib(MachOFacts.CPU_TYPE_ARM64, "Java_dev_sark_Test_ping", "JNI_OnLoad");
        MachOFacts.Thin thin = assertInstanceOf(MachOFacts.Thin.class, BinaryFacts.parse(image, "arm64.dylib"));
        assertEquals(MachOFacts.CPU_TYPE_ARM64, thin.cpuType());
        assertEquals(0x0100000c, thin.cpuType());
        assertEquals(MachOFacts.MH_DYLIB, thin.fileType());
        assertTrue(thin.is64());
        assertTrue(thin.littleEndian());
        assertEquals("@rpath/libsark_test.dylib", thin.installName());
        assertEquals("11.0", thin.minOs());
        assertTrue(thin.hasSymbolTable());
        assertEquals(Set.of("Java_dev_sark_Test_ping", "JNI_OnLoad"), thin.exportedSymbols());
        assertEquals("Mach-O 64-bit arm64 MH_DYLIB (6), minimum OS 11.0", thin.summary());

        Platform arm = Platform.fromTriple("aarch64-apple-darwin");
        assertEquals(List.of(), Verify.problems(arm, thin, null, "sark_test", true));
        assertEquals(List.of("library is Mach-O cputype arm64 (0x100000c) but x86_64-apple-darwin needs x86_64"
                        + " (0x1000007)"),
                Verify.problems(Platform.fromTriple("x86_64-apple-darwin"), thin, null, null));
        assertEquals(List.of("library is a thin arm64 Mach-O but universal2-apple-darwin needs a universal file with"
                        + " x86_64 and arm64 slices"),
                Verify.problems(Platform.fromTriple("universal2-apple-darwin"), thin, null, null));
        assertEquals(List.of("library is a Mach-O file (macOS) but aarch64-unknown-linux-gnu needs an ELF shared"
                + " library"), Verify.problems(Platform.fromTriple("aarch64-unknown-linux-gnu"), thin, null, null));
    }

    @Test
    void machOWithoutJniExportsAndNotADylib() throws IOException {
        byte[] image = Fixtures.machO(MachOFacts.CPU_TYPE_X86_64, 3, MachOFacts.MH_EXECUTE, "x", List.of("main"), 0);
        BinaryFacts facts = BinaryFacts.parse(image, "prog");
        List<String> problems = Verify.problems(Platform.fromTriple("x86_64-apple-darwin"), facts, null,
                "sark_test", true);
        assertEquals(2, problems.size(), problems.toString());
        assertEquals("library is Mach-O MH_EXECUTE (2) but x86_64-apple-darwin needs a dynamic library"
                + " (MH_DYLIB (6))", problems.get(0));
        assertTrue(problems.get(1).startsWith("library exports no Java_* symbol in its symbol table but"
                + " libsark_test.dylib for x86_64-apple-darwin"), problems.get(1));
    }

    @Test
    void fatWriterRoundTripAlignsSlicesAsLipoDoes() throws IOException {
        Path arm = write("arm64.dylib", Fixtures.machODylib(MachOFacts.CPU_TYPE_ARM64, "Java_a_B_c"));
        Path x86 = write("x86_64.dylib", Fixtures.machODylib(MachOFacts.CPU_TYPE_X86_64, "Java_a_B_c"));
        Path out = tmp.resolve("out/libsark_test.dylib");
        // Given arm64 first: the writer still lays out by increasing alignment, x86_64 (2^12) then arm64 (2^14).
        MachOFacts.Fat written = FatMachOWriter.write(out, List.of(arm, x86));

        MachOFacts.Fat fat = assertInstanceOf(MachOFacts.Fat.class, BinaryFacts.read(out));
        assertEquals(2, fat.slices().size());
        MachOFacts.Slice first = fat.slices().get(0);
        MachOFacts.Slice second = fat.slices().get(1);
        assertEquals(MachOFacts.CPU_TYPE_X86_64, first.cpuType());
        assertEquals(3, first.cpuSubtype());
        assertEquals(12, first.align());
        assertEquals(4096, first.offset(), "first slice at the first 4 KiB boundary after the 48-byte header");
        assertEquals(Files.size(x86), first.size());
        assertEquals(MachOFacts.CPU_TYPE_ARM64, second.cpuType());
        assertEquals(14, second.align());
        assertEquals(0, second.offset() % 16384);
        assertTrue(second.offset() >= first.offset() + first.size());
        assertEquals(16384, second.offset());
        assertTrue(first.aligned() && second.aligned());
        assertEquals(Set.of("Java_a_B_c"), second.image().exportedSymbols());
        assertEquals(fat.slices(), written.slices());

        // The header is big-endian FAT_MAGIC; each slice's bytes are the thin file's, unchanged.
        byte[] bytes = Files.readAllBytes(out);
        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        assertEquals(0xcafebabe, header.getInt(0));
        assertEquals(2, header.getInt(4));
        assertArrayEquals(Files.readAllBytes(x86), Arrays.copyOfRange(bytes, 4096, 4096 + (int) Files.size(x86)));
        assertArrayEquals(Files.readAllBytes(arm), Arrays.copyOfRange(bytes, 16384, 16384 + (int) Files.size(arm)));
        assertEquals(16384 + Files.size(arm), bytes.length);

        Platform universal = Platform.fromTriple("universal2-apple-darwin");
        assertEquals(List.of(), Verify.problems(universal, fat, null, "sark_test", true));
        assertEquals(List.of("library is a universal Mach-O with slices x86_64, arm64 but aarch64-apple-darwin needs"
                + " a thin arm64 Mach-O"), Verify.problems(Platform.fromTriple("aarch64-apple-darwin"), fat,
                null, null));

        // The same inputs in the other order give the same file.
        Path again = tmp.resolve("again.dylib");
        FatMachOWriter.write(again, List.of(x86, arm));
        assertArrayEquals(bytes, Files.readAllBytes(again));
    }

    @Test
    void universalWithOneArchitectureMissing() throws IOException {
        Path x86 = write("x86_64.dylib", Fixtures.machODylib(MachOFacts.CPU_TYPE_X86_64, "Java_a_B_c"));
        MachOFacts.Fat fat = FatMachOWriter.write(tmp.resolve("one.dylib"), List.of(x86));
        assertEquals(List.of("library is a universal Mach-O with slices x86_64 but universal2-apple-darwin needs x86_64"
                        + " and arm64 slices (missing arm64)"),
                Verify.problems(Platform.fromTriple("universal2-apple-darwin"), fat, null, null));
    }

    @Test
    void fatWriterRejectsNonMachOInputsAndDuplicates() throws IOException {
        Path arm = write("arm64.dylib", Fixtures.machODylib(MachOFacts.CPU_TYPE_ARM64));
        Path arm2 = write("arm64-again.dylib", Fixtures.machODylib(MachOFacts.CPU_TYPE_ARM64, "Java_x_Y_z"));
        Path elf = write("lib.so", new Fixtures.Elf().build());
        Path text = write("notes.txt", "hello, this is not a library".getBytes());
        Path out = tmp.resolve("u.dylib");

        IOException duplicate = assertThrows(IOException.class, () -> FatMachOWriter.write(out, List.of(arm, arm2)));
        assertTrue(duplicate.getMessage().contains("are both arm64 images"), duplicate.getMessage());
        IOException notMachO = assertThrows(IOException.class, () -> FatMachOWriter.write(out, List.of(arm, elf)));
        assertTrue(notMachO.getMessage().contains("lib.so is an ELF file, not a thin Mach-O image"),
                notMachO.getMessage());
        IOException garbage = assertThrows(IOException.class, () -> FatMachOWriter.write(out, List.of(text)));
        assertTrue(garbage.getMessage().contains("not an ELF, PE or Mach-O file"), garbage.getMessage());
        Path fat = tmp.resolve("fat.dylib");
        FatMachOWriter.write(fat, List.of(arm));
        IOException nested = assertThrows(IOException.class, () -> FatMachOWriter.write(out, List.of(fat)));
        assertTrue(nested.getMessage().contains("already a universal file"), nested.getMessage());
        assertThrows(IOException.class, () -> FatMachOWriter.write(out, List.of()));
        assertTrue(Files.notExists(out), "nothing is written when an input is rejected");
        try (var files = Files.list(tmp)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void fat64HeaderIsRead() throws IOException {
        byte[] slice = Fixtures.machODylib(MachOFacts.CPU_TYPE_ARM64, "Java_a_B_c");
        int offset = 16384;
        ByteBuffer b = ByteBuffer.allocate(offset + slice.length).order(ByteOrder.BIG_ENDIAN);
        b.putInt((int) MachOFacts.FAT_MAGIC_64).putInt(1);
        b.putInt(MachOFacts.CPU_TYPE_ARM64).putInt(0).putLong(offset).putLong(slice.length).putInt(14).putInt(0);
        b.put(offset, slice);
        MachOFacts.Fat fat = assertInstanceOf(MachOFacts.Fat.class, BinaryFacts.parse(b.array(), "fat64"));
        assertTrue(fat.fat64());
        assertEquals(offset, fat.slices().get(0).offset());
        assertEquals(MachOFacts.CPU_TYPE_ARM64, fat.slices().get(0).image().cpuType());
    }

    @Test
    void sliceWhoseHeaderContradictsItsFatEntryIsMalformed() throws IOException {
        Path arm = write("arm64.dylib", Fixtures.machODylib(MachOFacts.CPU_TYPE_ARM64));
        Path x86 = write("x86_64.dylib", Fixtures.machODylib(MachOFacts.CPU_TYPE_X86_64));
        Path out = tmp.resolve("u.dylib");
        FatMachOWriter.write(out, List.of(arm, x86));
        byte[] bytes = Files.readAllBytes(out);
        ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).putInt(8, MachOFacts.CPU_TYPE_ARM64); // entry 0 says arm64
        IOException e = assertThrows(IOException.class, () -> BinaryFacts.parse(bytes, "u.dylib"));
        assertTrue(e.getMessage().contains("is listed as arm64 but its header says x86_64"), e.getMessage());
    }

    @Test
    void javaClassFileIsNotTakenForAUniversalBinary() throws IOException {
        byte[] clazz = {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 0, 0, 61, 0, 0, 0, 0};
        IOException e = assertThrows(IOException.class, () -> BinaryFacts.parse(clazz, "Foo.class"));
        assertTrue(e.getMessage().contains("not an ELF, PE or Mach-O file"), e.getMessage());
        assertTrue(e.getMessage().contains("Java class file"), e.getMessage());
    }

    /** llc writes real Mach-O objects; llvm-lipo reads what FatMachOWriter writes and extracts the same slices. */
    @Test
    void llvmMachOObjectsAndLlvmLipoCrossCheck() throws Exception {
        Path llc = Tools.require("llc", "llc-14", "llc-15", "llc-16", "llc-17", "llc-18");
        Path ir = Files.writeString(tmp.resolve("ping.ll"), "define i32 @Java_dev_sark_Test_ping() {\n  ret i32 42\n}\n");
        Tools.run(tmp, llc.toString(), "-mtriple=x86_64-apple-macosx10.12", "-filetype=obj", "-o", "x86_64.o",
                ir.toString());
        Tools.run(tmp, llc.toString(), "-mtriple=arm64-apple-macosx11.0", "-filetype=obj", "-o", "arm64.o",
                ir.toString());
        MachOFacts.Thin x86 = assertInstanceOf(MachOFacts.Thin.class, BinaryFacts.read(tmp.resolve("x86_64.o")));
        MachOFacts.Thin arm = assertInstanceOf(MachOFacts.Thin.class, BinaryFacts.read(tmp.resolve("arm64.o")));
        assertEquals(MachOFacts.CPU_TYPE_X86_64, x86.cpuType());
        assertEquals(MachOFacts.CPU_TYPE_ARM64, arm.cpuType());
        assertEquals(MachOFacts.MH_OBJECT, arm.fileType());
        assertEquals("10.12", x86.minOs());
        assertEquals("11.0", arm.minOs());
        assertTrue(arm.exportedSymbols().contains("Java_dev_sark_Test_ping"), arm.exportedSymbols().toString());

        Path out = tmp.resolve("universal.o");
        MachOFacts.Fat fat = FatMachOWriter.write(out, List.of(tmp.resolve("arm64.o"), tmp.resolve("x86_64.o")));
        List<String> problems = Verify.problems(Platform.fromTriple("universal2-apple-darwin"), fat, null,
                "sark_test", true);
        assertEquals(List.of("library's x86_64 slice is Mach-O MH_OBJECT (1) but universal2-apple-darwin needs a"
                        + " dynamic library (MH_DYLIB (6))", "library's arm64 slice is Mach-O MH_OBJECT (1) but"
                        + " universal2-apple-darwin needs a dynamic library (MH_DYLIB (6))"), problems);

        Path lipo = Tools.require("llvm-lipo", "llvm-lipo-14", "llvm-lipo-15", "llvm-lipo-16", "llvm-lipo-17",
                "llvm-lipo-18", "lipo");
        String info = Tools.run(tmp, lipo.toString(), "-info", out.toString());
        assertTrue(info.contains("x86_64 arm64"), info);
        for (String arch : List.of("x86_64", "arm64")) {
            Tools.run(tmp, lipo.toString(), out.toString(), "-thin", arch, "-output", arch + ".thin");
            assertArrayEquals(Files.readAllBytes(tmp.resolve(arch + ".o")),
                    Files.readAllBytes(tmp.resolve(arch + ".thin")), arch);
        }
        // And the other way round: what llvm-lipo writes reads back with the same slices.
        Tools.run(tmp, lipo.toString(), "-create", "-output", "bylipo.o", "x86_64.o", "arm64.o");
        MachOFacts.Fat byLipo = assertInstanceOf(MachOFacts.Fat.class, BinaryFacts.read(tmp.resolve("bylipo.o")));
        assertEquals(Set.of(MachOFacts.CPU_TYPE_X86_64, MachOFacts.CPU_TYPE_ARM64),
                Set.of(byLipo.slices().get(0).cpuType(), byLipo.slices().get(1).cpuType()));
        for (MachOFacts.Slice s : byLipo.slices()) {
            assertTrue(s.aligned(), s.toString());
            assertTrue(s.image().exportedSymbols().contains("Java_dev_sark_Test_ping"));
        }
    }
}
