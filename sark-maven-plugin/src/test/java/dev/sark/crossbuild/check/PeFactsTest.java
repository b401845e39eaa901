package dev.sark.crossbuild.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sark.loader.Platform;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** PeFacts on hand-made images (ARM64 and i386, which MinGW here does not build); MinGW DLLs are in RealLibrariesTest. */
class PeFactsTest {

    @Test
    void arm64DllExportsAreReadThroughTheSectionTable() throws IOException {
        byte[] image = Fixtures.pe(PeFacts.IMAGE_FILE_MACHINE_ARM64, true, true, "sark_test.dll",
                List.of("Java_dev_sark_Test_ping", "JNI_OnLoad"));
        PeFacts pe = assertInstanceOf(PeFacts.class, BinaryFacts.parse(image, "sark_test.dll"));
        assertEquals(0xaa64, pe.machine());
        assertTrue(pe.isDll());
        assertTrue(pe.pe32Plus());
        assertTrue(pe.hasExportTable());
        assertEquals("sark_test.dll", pe.exportedDllName());
        assertEquals(Set.of("Java_dev_sark_Test_ping", "JNI_OnLoad"), pe.exportedNames());
        assertEquals(List.of(), pe.importedDlls());
        assertEquals("PE/COFF PE32+ IMAGE_FILE_MACHINE_ARM64 (0xaa64) DLL, 2 exports, subsystem 6.0", pe.summary());

        assertEquals(List.of(), Verify.problems(Platform.fromTriple("aarch64-pc-windows-msvc"), pe, null,
                "sark_test", true));
        assertEquals(List.of("library is PE machine IMAGE_FILE_MACHINE_ARM64 (0xaa64) but x86_64-pc-windows-msvc needs"
                        + " IMAGE_FILE_MACHINE_AMD64 (0x8664)"),
                Verify.problems(Platform.fromTriple("x86_64-pc-windows-msvc"), pe, null, "sark_test"));
    }

    @Test
    void i386DllWithDecoratedJniExportsPasses() throws IOException {
        byte[] image = Fixtures.pe(PeFacts.IMAGE_FILE_MACHINE_I386, false, true, "sark_test.dll",
                List.of("_Java_dev_sark_Test_ping@8"));
        PeFacts pe = assertInstanceOf(PeFacts.class, BinaryFacts.parse(image, "sark_test.dll"));
        assertFalse(pe.pe32Plus());
        assertEquals(List.of(), Verify.problems(Platform.fromTriple("i686-pc-windows-msvc"), pe, null,
                "sark_test", true));
    }

    @Test
    void dllWithoutExportTable() throws IOException {
        byte[] image = Fixtures.pe(PeFacts.IMAGE_FILE_MACHINE_AMD64, true, true, null, List.of());
        PeFacts pe = assertInstanceOf(PeFacts.class, BinaryFacts.parse(image, "empty.dll"));
        assertFalse(pe.hasExportTable());
        assertNull(pe.exportedDllName());
        Platform windows = Platform.fromTriple("x86_64-pc-windows-msvc");
        // No export table: only checked when JNI exports are required.
        assertEquals(List.of(), Verify.problems(windows, pe, null, "sark_test"));
        List<String> required = Verify.problems(windows, pe, null, "sark_test", true);
        assertEquals(1, required.size(), required.toString());
        assertTrue(required.get(0).startsWith("library exports no Java_* symbol in an export table (it has none)"),
                required.get(0));
    }

    @Test
    void mzWithoutPeSignatureIsAnMsDosProgram() {
        byte[] image = Fixtures.pe(PeFacts.IMAGE_FILE_MACHINE_AMD64, true, true, "x.dll", List.of("a"));
        image[0x41] = 'X';
        IOException e = assertThrows(IOException.class, () -> BinaryFacts.parse(image, "x.dll"));
        assertTrue(e.getMessage().contains("an MS-DOS program, not a Windows DLL"), e.getMessage());
    }

    @Test
    void exportDirectoryOutsideEverySectionIsMalformed() {
        byte[] image = Fixtures.pe(PeFacts.IMAGE_FILE_MACHINE_AMD64, true, true, "x.dll", List.of("a"));
        // Data directory 0 (export table) of the PE32+ optional header: 0x40 + 24 + 112.
        ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).putInt(0x40 + 24 + 112, 0x900000);
        IOException e = assertThrows(IOException.class, () -> BinaryFacts.parse(image, "x.dll"));
        assertTrue(e.getMessage().contains("export directory RVA 0x900000 is not inside any section"), e.getMessage());
    }
}
