package dev.sark.crossbuild.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input of every kind ends in an IOException with a clear message: never another exception, a hang or OOM. */
class MalformedInputTest {

    @TempDir
    Path tmp;

    @Test
    void garbageIsNotAnElfPeOrMachOFile() throws IOException {
        Path text = Files.writeString(tmp.resolve("libfoo.so"), "<!DOCTYPE html><html>404</html>");
        IOException e = assertThrows(IOException.class, () -> BinaryFacts.read(text));
        assertEquals(text + ": not an ELF, PE or Mach-O file (it starts with 3c 21 44 4f 43 54 59 50)", e.getMessage());
        IOException empty = assertThrows(IOException.class,
                () -> BinaryFacts.read(Files.write(tmp.resolve("empty.so"), new byte[0])));
        assertTrue(empty.getMessage().endsWith("the file is empty: not an ELF, PE or Mach-O file"), empty.getMessage());
        IOException tiny = assertThrows(IOException.class, () -> BinaryFacts.parse(new byte[] {1, 2}, "two"));
        assertTrue(tiny.getMessage().contains("not an ELF, PE or Mach-O file"), tiny.getMessage());
        IOException ar = assertThrows(IOException.class,
                () -> BinaryFacts.parse("!<arch>\n/               0".getBytes(StandardCharsets.US_ASCII), "libfoo.a"));
        assertTrue(ar.getMessage().contains("is an ar archive (a static library"), ar.getMessage());
    }

    @Test
    void truncatedHeadersAreReportedAsTruncated() {
        byte[] elf = new Fixtures.Elf().exports("Java_a_B_c").build();
        IOException e = assertThrows(IOException.class, () -> BinaryFacts.parse(Arrays.copyOf(elf, 40), "lib.so"));
        assertEquals("lib.so: truncated or malformed ELF file: ELF header at offset 0x0 (64 bytes) lies outside the"
                + " file, which is 40 bytes long", e.getMessage());
        IOException tables = assertThrows(IOException.class,
                () -> BinaryFacts.parse(Arrays.copyOf(elf, 200), "lib.so"));
        assertTrue(tables.getMessage().startsWith("lib.so: truncated or malformed ELF file:"), tables.getMessage());

        byte[] macho = Fixtures.machODylib(MachOFacts.CPU_TYPE_ARM64, "Java_a_B_c");
        IOException m = assertThrows(IOException.class, () -> BinaryFacts.parse(Arrays.copyOf(macho, 100), "x.dylib"));
        assertTrue(m.getMessage().contains("truncated or malformed Mach-O file: load commands"), m.getMessage());

        byte[] pe = Fixtures.pe(PeFacts.IMAGE_FILE_MACHINE_AMD64, true, true, "x.dll", List.of("Java_a_B_c"));
        IOException p = assertThrows(IOException.class, () -> BinaryFacts.parse(Arrays.copyOf(pe, 0x210), "x.dll"));
        assertTrue(p.getMessage().contains("truncated or malformed PE file: export directory"), p.getMessage());
    }

    @Test
    void absurdCountsAreBoundedByTheFileLength() {
        byte[] elf = new Fixtures.Elf().exports("Java_a_B_c").build();
        ByteBuffer b = ByteBuffer.wrap(elf.clone()).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(56, (short) 0xfffe); // e_phnum
        IOException e = assertThrows(IOException.class, () -> BinaryFacts.parse(b.array(), "lib.so"));
        assertTrue(e.getMessage().contains("program header table claims 65534 entries of 56 bytes, more than the"),
                e.getMessage());

        ByteBuffer big = ByteBuffer.wrap(elf.clone()).order(ByteOrder.LITTLE_ENDIAN);
        big.putLong(40, Long.MAX_VALUE - 3); // e_shoff near 2^63: no overflow in offset arithmetic
        assertThrows(IOException.class, () -> BinaryFacts.parse(big.array(), "lib.so"));
        big.putLong(40, -8); // 2^64 - 8, read as unsigned
        IOException huge = assertThrows(IOException.class, () -> BinaryFacts.parse(big.array(), "lib.so"));
        assertTrue(huge.getMessage().contains("too large for any real file"), huge.getMessage());

        byte[] fat = new byte[64];
        ByteBuffer.wrap(fat).putInt(0xcafebabf).putInt(20); // FAT_MAGIC_64 has no class-file ambiguity
        IOException f = assertThrows(IOException.class, () -> BinaryFacts.parse(fat, "u.dylib"));
        assertTrue(f.getMessage().contains("fat_arch table claims 20 entries of 32 bytes"), f.getMessage());
    }

    @Test
    void machOLoadCommandOfSizeZeroCannotSpin() {
        byte[] macho = Fixtures.machODylib(MachOFacts.CPU_TYPE_ARM64, "Java_a_B_c");
        ByteBuffer.wrap(macho).order(ByteOrder.LITTLE_ENDIAN).putInt(32 + 4, 0); // first cmdsize
        IOException e = assertThrows(IOException.class, () -> BinaryFacts.parse(macho, "x.dylib"));
        assertTrue(e.getMessage().contains("has cmdsize 0"), e.getMessage());
    }

    @Test
    void versionNeedChainThatLoopsIsReported() throws IOException {
        Fixtures.Elf spec = new Fixtures.Elf().needs("libc.so.6", "GLIBC_2.2.5", "GLIBC_2.17");
        byte[] image = spec.build();
        ElfFacts ok = (ElfFacts) BinaryFacts.parse(image, "lib.so");
        assertEquals(2, ok.neededVersions().size());
        // Find the Elf_Vernaux of GLIBC_2.2.5 (vna_next = 16) and make vn_cnt huge with a vna_next that stays
        // inside the file: the walk must end on its budget, not run for 65535 * n steps over overlapping entries.
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        int verneed = findVerneed(b);
        b.putShort(verneed + 2, (short) 0xffff); // vn_cnt
        b.putInt(verneed + 16 + 12, 1); // first vna_next: 1 byte further, overlapping
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            IOException e = assertThrows(IOException.class, () -> BinaryFacts.parse(image, "lib.so"));
            assertTrue(e.getMessage().contains("truncated or malformed") || e.getMessage().contains("malformed"),
                    e.getMessage());
        });
    }

    /** The offset of .gnu.version_r in a fixture: from section 3's header (see Fixtures.Elf). */
    private static int findVerneed(ByteBuffer b) {
        long shoff = b.getLong(40);
        return (int) b.getLong((int) shoff + 3 * 64 + 24);
    }

    /**
     * Every prefix of real and hand-made libraries, and thousands of randomly corrupted copies, either parse or
     * fail with an IOException. Sniffer.sniff is used directly, so that the safety net of BinaryFacts.parse
     * (which turns a RuntimeException into an IOException) cannot hide a missed bound check.
     */
    @Test
    void truncationAndCorruptionOnlyEverGiveIOException() throws Exception {
        List<byte[]> samples = new ArrayList<>();
        samples.add(new Fixtures.Elf().needs("libc.so.6", "GLIBC_2.17").exports("Java_a_B_c").build());
        Fixtures.Elf be32 = new Fixtures.Elf().machine(ElfFacts.EM_ARM, false, ByteOrder.BIG_ENDIAN)
                .needs("libc.so.6", "GLIBC_2.4").exports("Java_a_B_c");
        be32.sections = false;
        samples.add(be32.build());
        Fixtures.Elf sysv = new Fixtures.Elf().exports("Java_a_B_c", "x");
        sysv.gnuHash = false;
        sysv.sections = false;
        samples.add(sysv.build());
        samples.add(Fixtures.pe(PeFacts.IMAGE_FILE_MACHINE_AMD64, true, true, "x.dll", List.of("Java_a_B_c", "b")));
        samples.add(Fixtures.pe(PeFacts.IMAGE_FILE_MACHINE_I386, false, true, "x.dll", List.of("Java_a_B_c")));
        byte[] arm = Fixtures.machO(MachOFacts.CPU_TYPE_ARM64, 0, MachOFacts.MH_DYLIB, "@rpath/x", List.of("Java_a"), 64);
        byte[] x86 = Fixtures.machO(MachOFacts.CPU_TYPE_X86_64, 3, MachOFacts.MH_DYLIB, "@rpath/x", List.of("Java_a"), 64);
        samples.add(arm);
        Path a = Files.write(tmp.resolve("a"), arm);
        Path x = Files.write(tmp.resolve("x"), x86);
        FatMachOWriter.write(tmp.resolve("u"), List.of(a, x));
        samples.add(Files.readAllBytes(tmp.resolve("u")));
        Path cc = Tools.find("cc").orElse(null);
        if (cc != null) {
            Path src = Tools.jniSource(tmp);
            Process p = new ProcessBuilder(cc.toString(), "-shared", "-fPIC", "-o", "libreal.so", src.toString())
                    .directory(tmp.toFile()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() == 0) {
                samples.add(Files.readAllBytes(tmp.resolve("libreal.so")));
            }
        }

        Random random = new Random(20240601);
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (byte[] sample : samples) {
                for (int length = 0; length < sample.length; length++) {
                    // Every prefix of small samples; a spread of prefixes of big ones.
                    if (sample.length > 4096 && length > 512 && length % 97 != 0) {
                        continue;
                    }
                    parseOrIOException(Arrays.copyOf(sample, length));
                }
                for (int round = 0; round < 1500; round++) {
                    byte[] copy = sample.clone();
                    int flips = 1 + random.nextInt(8);
                    for (int i = 0; i < flips; i++) {
                        int at = random.nextInt(Math.min(copy.length, random.nextBoolean() ? 512 : copy.length));
                        copy[at] = random.nextInt(4) == 0 ? (byte) 0xff : (byte) random.nextInt(256);
                    }
                    parseOrIOException(copy);
                }
            }
        });
    }

    private static void parseOrIOException(byte[] image) {
        try {
            Sniffer.sniff(ByteBuffer.wrap(image), "sample");
        } catch (IOException expected) {
            assertTrue(expected.getMessage().startsWith("sample: "), expected.getMessage());
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            fail("a malformed file gave " + e + " instead of an IOException", e);
        }
    }
}
