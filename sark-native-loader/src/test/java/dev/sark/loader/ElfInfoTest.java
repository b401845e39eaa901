package dev.sark.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElfInfoTest {

    static final int EM_PPC = 20;
    static final int EM_X86_64 = 62;
    static final int EM_AARCH64 = 183;

    /** Builds a minimal ELF executable: header, a PT_LOAD, optionally a PT_INTERP, then the interpreter string. */
    static byte[] elf(boolean is64, boolean bigEndian, int machine, int flags, String interp) {
        int ehsize = is64 ? 64 : 52;
        int phentsize = is64 ? 56 : 32;
        int phnum = interp == null ? 1 : 2;
        int interpOff = ehsize + phnum * phentsize;
        byte[] interpBytes = interp == null ? new byte[0] : (interp + "\0").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(interpOff + interpBytes.length).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) (is64 ? 2 : 1), (byte) (bigEndian ? 2 : 1), 1, 0});
        b.position(16);
        b.putShort((short) 2).putShort((short) machine).putInt(1);
        if (is64) {
            b.putLong(0x401000).putLong(ehsize).putLong(0);
        } else {
            b.putInt(0x10000).putInt(ehsize).putInt(0);
        }
        b.putInt(flags).putShort((short) ehsize).putShort((short) phentsize).putShort((short) phnum)
                .putShort((short) 0).putShort((short) 0).putShort((short) 0);
        programHeader(b, is64, 1, 0, 0);
        if (interp != null) {
            programHeader(b, is64, 3, interpOff, interpBytes.length);
        }
        b.put(interpBytes);
        return b.array();
    }

    private static void programHeader(ByteBuffer b, boolean is64, int type, long offset, long size) {
        if (is64) {
            b.putInt(type).putInt(4).putLong(offset).putLong(offset).putLong(offset).putLong(size).putLong(size).putLong(1);
        } else {
            b.putInt(type).putInt((int) offset).putInt((int) offset).putInt((int) offset).putInt((int) size).putInt((int) size)
                    .putInt(4).putInt(1);
        }
    }

    @Test
    void parsesTheRunningJvm() throws IOException {
        assumeTrue(Files.isReadable(Paths.get("/proc/self/exe")), "needs Linux /proc");
        ElfInfo self = ElfInfo.read(Paths.get("/proc/self/exe"));
        assertEquals("64".equals(System.getProperty("sun.arch.data.model")), self.is64Bit());
        assertEquals(ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN, self.isBigEndian());
        String arch = System.getProperty("os.arch");
        if (arch.equals("amd64")) {
            assertEquals(EM_X86_64, self.machine());
        } else if (arch.equals("aarch64")) {
            assertEquals(EM_AARCH64, self.machine());
        }
        String interp = self.interpreter().orElseThrow();
        assertTrue(Files.exists(Paths.get(interp)), "the dynamic loader the JVM runs under exists: " + interp);
        assertEquals(interp.contains("ld-musl"), self.isMusl());
    }

    @Test
    void agreesWithReadelfOnTheRunningJvm() throws Exception {
        Optional<String> readelf = readelfInterpreter(Paths.get("/proc/self/exe").toRealPath());
        assumeTrue(readelf.isPresent(), "readelf not available");
        assertEquals(readelf, ElfInfo.read(Paths.get("/proc/self/exe")).interpreter());
    }

    /** readelf is an independent implementation; tests may spawn processes, the loader may not. */
    private static Optional<String> readelfInterpreter(Path file) {
        try {
            Process p = new ProcessBuilder("readelf", "-l", file.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                return Optional.empty();
            }
            Matcher m = Pattern.compile("Requesting program interpreter: ([^\\]]+)\\]").matcher(out);
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IOException | InterruptedException e) {
            return Optional.empty();
        }
    }

    @Test
    void glibcLoader64BitLittleEndian() throws IOException {
        ElfInfo e = ElfInfo.parse(elf(true, false, EM_X86_64, 0, "/lib64/ld-linux-x86-64.so.2"));
        assertTrue(e.is64Bit());
        assertFalse(e.isBigEndian());
        assertEquals(EM_X86_64, e.machine());
        assertEquals(Optional.of("/lib64/ld-linux-x86-64.so.2"), e.interpreter());
        assertFalse(e.isMusl());
    }

    @Test
    void muslLoaderIsRecognised() throws IOException {
        ElfInfo e = ElfInfo.parse(elf(true, false, EM_AARCH64, 0, "/lib/ld-musl-aarch64.so.1"));
        assertEquals(EM_AARCH64, e.machine());
        assertEquals(Optional.of("/lib/ld-musl-aarch64.so.1"), e.interpreter());
        assertTrue(e.isMusl());
    }

    @Test
    void bigEndian32Bit() throws IOException {
        ElfInfo e = ElfInfo.parse(elf(false, true, EM_PPC, 0x12345678, "/lib/ld.so.1"));
        assertFalse(e.is64Bit());
        assertTrue(e.isBigEndian());
        assertEquals(EM_PPC, e.machine());
        assertEquals(0x12345678, e.flags());
        assertEquals(Optional.of("/lib/ld.so.1"), e.interpreter());
    }

    @Test
    void bigEndian64Bit() throws IOException {
        ElfInfo e = ElfInfo.parse(elf(true, true, 22, 0, "/lib/ld64.so.1"));
        assertTrue(e.is64Bit());
        assertTrue(e.isBigEndian());
        assertEquals(22, e.machine());
        assertEquals(Optional.of("/lib/ld64.so.1"), e.interpreter());
    }

    @Test
    void armFloatAbiFromFlagsOrInterpreter() throws IOException {
        assertTrue(ElfInfo.parse(elf(false, false, ElfInfo.EM_ARM, 0x05000400, "/lib/ld-linux-armhf.so.3")).isArmHardFloat());
        assertTrue(ElfInfo.parse(elf(false, false, ElfInfo.EM_ARM, 0x05000400, "/lib/ld-linux.so.3")).isArmHardFloat(),
                "the EABI flag alone decides");
        assertTrue(ElfInfo.parse(elf(false, false, ElfInfo.EM_ARM, 0x05000000, "/lib/ld-musl-armhf.so.1")).isArmHardFloat(),
                "the loader name alone decides when the flag is unset");
        assertFalse(ElfInfo.parse(elf(false, false, ElfInfo.EM_ARM, 0x05000200, "/lib/ld-linux.so.3")).isArmHardFloat());
        assertFalse(ElfInfo.parse(elf(false, false, ElfInfo.EM_ARM, 0x05000200, "/lib/ld-musl-arm.so.1")).isArmHardFloat());
    }

    @Test
    void staticExecutableHasNoInterpreter() throws IOException {
        ElfInfo e = ElfInfo.parse(elf(true, false, EM_X86_64, 0, null));
        assertEquals(Optional.empty(), e.interpreter());
        assertFalse(e.isMusl());
    }

    @Test
    void readsFilesLikeArrays(@TempDir Path dir) throws IOException {
        byte[] bytes = elf(false, true, EM_PPC, 7, "/lib/ld-musl-powerpc.so.1");
        Path f = Files.write(dir.resolve("exe"), bytes);
        ElfInfo fromFile = ElfInfo.read(f);
        ElfInfo fromArray = ElfInfo.parse(bytes);
        assertEquals(fromArray.interpreter(), fromFile.interpreter());
        assertEquals(fromArray.flags(), fromFile.flags());
        assertTrue(fromFile.isMusl());
    }

    @Test
    void sharedLibraryFromGccHasNoInterpreter(@TempDir Path dir) throws Exception {
        Path so = TestLibraries.compileSharedLibrary(dir, "plain");
        assumeTrue(so != null, "no C compiler");
        ElfInfo e = ElfInfo.read(so);
        assertEquals(Optional.empty(), e.interpreter());
        assertEquals(ElfInfo.read(Paths.get("/proc/self/exe")).machine(), e.machine());
    }

    @Test
    void everyTruncationIsAnIOException() {
        for (byte[] full : new byte[][] {elf(true, false, EM_X86_64, 0, "/lib64/ld-linux-x86-64.so.2"),
                elf(false, true, EM_PPC, 0, "/lib/ld.so.1")}) {
            for (int len = 0; len < full.length; len++) {
                byte[] cut = Arrays.copyOf(full, len);
                IOException e = assertThrows(IOException.class, () -> ElfInfo.parse(cut), "length " + len);
                assertFalse(e.getMessage().isBlank());
            }
        }
    }

    @Test
    void notElfSaysSo() {
        IOException e = assertThrows(IOException.class, () -> ElfInfo.parse("#!/bin/sh\necho hello\n".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(e.getMessage().contains("not an ELF file"), e.getMessage());
    }

    @Test
    void malformedHeadersAreIOExceptions() {
        byte[] badClass = elf(true, false, EM_X86_64, 0, "/x");
        badClass[4] = 9;
        assertTrue(assertThrows(IOException.class, () -> ElfInfo.parse(badClass)).getMessage().contains("ELF class"));

        byte[] badData = elf(true, false, EM_X86_64, 0, "/x");
        badData[5] = 0;
        assertTrue(assertThrows(IOException.class, () -> ElfInfo.parse(badData)).getMessage().contains("data encoding"));

        byte[] smallEntries = elf(true, false, EM_X86_64, 0, "/x");
        ByteBuffer.wrap(smallEntries).order(ByteOrder.LITTLE_ENDIAN).putShort(54, (short) 8);
        assertTrue(assertThrows(IOException.class, () -> ElfInfo.parse(smallEntries)).getMessage().contains("entry size"));

        byte[] farPhoff = elf(true, false, EM_X86_64, 0, "/x");
        ByteBuffer.wrap(farPhoff).order(ByteOrder.LITTLE_ENDIAN).putLong(32, Long.MAX_VALUE - 10);
        assertThrows(IOException.class, () -> ElfInfo.parse(farPhoff));

        byte[] negativePhoff = elf(true, false, EM_X86_64, 0, "/x");
        ByteBuffer.wrap(negativePhoff).order(ByteOrder.LITTLE_ENDIAN).putLong(32, -64);
        assertThrows(IOException.class, () -> ElfInfo.parse(negativePhoff));

        byte[] hugeInterp = elf(true, false, EM_X86_64, 0, "/x");
        // second program header (PT_INTERP) starts at 64 + 56; p_filesz is at +32
        ByteBuffer.wrap(hugeInterp).order(ByteOrder.LITTLE_ENDIAN).putLong(64 + 56 + 32, 1L << 40);
        assertTrue(assertThrows(IOException.class, () -> ElfInfo.parse(hugeInterp)).getMessage().contains("PT_INTERP"));

        byte[] interpBeyondEnd = elf(false, false, ElfInfo.EM_ARM, 0, "/x");
        ByteBuffer.wrap(interpBeyondEnd).order(ByteOrder.LITTLE_ENDIAN).putInt(52 + 32 + 4, 0xfffffff0);
        assertThrows(IOException.class, () -> ElfInfo.parse(interpBeyondEnd));
    }

    @Test
    void randomGarbageNeverThrowsAnythingButIOException() {
        Random random = new Random(42);
        byte[] valid = elf(true, false, EM_X86_64, 0, "/lib64/ld-linux-x86-64.so.2");
        for (int i = 0; i < 20_000; i++) {
            byte[] b;
            if (i % 2 == 0) {
                b = new byte[random.nextInt(300)];
                random.nextBytes(b);
                if (b.length >= 6) { // keep the magic so parsing goes past the first check
                    System.arraycopy(valid, 0, b, 0, 4);
                    b[4] = (byte) (1 + random.nextInt(2));
                    b[5] = (byte) (1 + random.nextInt(2));
                }
            } else {
                b = valid.clone(); // flip a few bytes of a valid file
                for (int k = 0; k < 1 + random.nextInt(4); k++) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt();
                }
            }
            try {
                ElfInfo.parse(b);
            } catch (IOException expected) {
                assertFalse(expected.getMessage().isBlank());
            } catch (RuntimeException e) {
                fail("input " + Arrays.toString(b) + " threw " + e, e);
            }
        }
    }

    @Test
    void interpreterWithPaddingAfterNulIsCut() throws IOException {
        byte[] b = elf(true, false, EM_X86_64, 0, "/lib/ld-musl-x86_64.so.1\0garbage");
        ElfInfo e = ElfInfo.parse(b);
        assertEquals(Optional.of("/lib/ld-musl-x86_64.so.1"), e.interpreter());
        assertTrue(e.isMusl());
    }
}
