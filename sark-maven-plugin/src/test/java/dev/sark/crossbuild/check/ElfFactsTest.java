package dev.sark.crossbuild.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ElfFacts against this machine's own binaries (the java launcher, libjvm.so), readelf, and hand-made files. */
class ElfFactsTest {

    @TempDir
    Path tmp;

    static void assumeLinuxX86_64() {
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"),
                "needs Linux");
        Assumptions.assumeTrue(System.getProperty("os.arch").equals("amd64"), "needs an x86_64 JVM");
    }

    static Path libjvm() {
        Path lib = Path.of(System.getProperty("java.home"), "lib", "server", "libjvm.so");
        Assumptions.assumeTrue(Files.isRegularFile(lib), "no " + lib);
        return lib;
    }

    static ElfFacts elf(Path file) throws IOException {
        return assertInstanceOf(ElfFacts.class, BinaryFacts.read(file));
    }

    @Test
    void theJavaLauncherIsAnX86_64GlibcExecutableWithAnInterpreter() throws IOException {
        assumeLinuxX86_64();
        ElfFacts exe = elf(Path.of("/proc/self/exe"));
        assertEquals(64, exe.bits());
        assertTrue(exe.littleEndian());
        assertEquals(ElfFacts.EM_X86_64, exe.machine());
        assertTrue(exe.interpreter() != null && exe.interpreter().contains("ld-linux-x86-64"), exe.interpreter());
        assertTrue(exe.needed().contains("libc.so.6"), exe.needed().toString());
        String highest = exe.highestGlibcVersion().orElseThrow();
        assertTrue(ElfFacts.compareVersions(highest.substring(6), "2.2.5") > 0, highest);
        assertTrue(exe.neededVersions().contains(highest));
    }

    @Test
    void libjvmExportsTheInvocationApiAndNeedsGlibcVersions() throws IOException {
        assumeLinuxX86_64();
        ElfFacts jvm = elf(libjvm());
        assertEquals(ElfFacts.EM_X86_64, jvm.machine());
        assertEquals(ElfFacts.ET_DYN, jvm.type());
        assertNull(jvm.interpreter(), "a shared library has no PT_INTERP");
        assertEquals("libjvm.so", jvm.soname());
        assertTrue(jvm.exportedSymbols().contains("JNI_CreateJavaVM"));
        assertTrue(jvm.exportedSymbols().contains("JNI_GetCreatedJavaVMs"));
        assertTrue(jvm.versionsByLibrary().getOrDefault("libc.so.6", Set.of()).contains("GLIBC_2.2.5"),
                jvm.versionsByLibrary().toString());
        String highest = jvm.highestGlibcVersion().orElseThrow();
        assertTrue(ElfFacts.compareVersions(highest.substring(6), "2.2.5") > 0, highest);
        assertTrue(jvm.summary().startsWith("ELF 64-bit LSB ET_DYN EM_X86_64 (62)"), jvm.summary());
    }

    /** readelf (binutils) is an independent reader: needed libraries, versions and exports must agree exactly. */
    @Test
    void agreesWithReadelfOnLibjvmAndTheLauncher() throws Exception {
        assumeLinuxX86_64();
        Path readelf = Tools.require("readelf");
        for (Path file : List.of(libjvm(), Path.of("/proc/self/exe").toRealPath())) {
            ElfFacts facts = elf(file);
            String dynamic = Tools.run(tmp, readelf.toString(), "-d", "-W", file.toString());
            Set<String> needed = new LinkedHashSet<>();
            Matcher m = Pattern.compile("\\(NEEDED\\)\\s+Shared library: \\[(.*)]").matcher(dynamic);
            while (m.find()) {
                needed.add(m.group(1));
            }
            assertEquals(List.copyOf(needed), facts.needed(), file.toString());

            String versions = Tools.run(tmp, readelf.toString(), "-V", "-W", file.toString());
            String needs = versions.substring(Math.max(0, versions.indexOf(".gnu.version_r")));
            Set<String> versionNames = new TreeSet<>();
            m = Pattern.compile("Name: (\\S+)\\s+Flags").matcher(needs);
            while (m.find()) {
                versionNames.add(m.group(1));
            }
            assertEquals(versionNames, new TreeSet<>(facts.neededVersions()), file.toString());

            String symbols = Tools.run(tmp, readelf.toString(), "--dyn-syms", "-W", file.toString());
            Set<String> exported = new TreeSet<>();
            for (String line : symbols.split("\n")) {
                String[] f = line.trim().split("\\s+");
                // Num: Value Size Type Bind Vis Ndx Name
                if (f.length >= 8 && f[0].endsWith(":") && !f[6].equals("UND")
                        && Set.of("GLOBAL", "WEAK", "UNIQUE").contains(f[4])
                        && Set.of("DEFAULT", "PROTECTED").contains(f[5])
                        && !f[3].equals("SECTION") && !f[3].equals("FILE")) {
                    exported.add(f[7].replaceAll("@.*", ""));
                }
            }
            assertEquals(exported, new TreeSet<>(facts.exportedSymbols()), file.toString());
        }
    }

    /**
     * sstrip-style files have no section headers: the reader then counts dynamic symbols through DT_GNU_HASH and
     * must find exactly what the section headers said.
     */
    @Test
    void libjvmWithoutSectionHeadersReadsTheSameThroughTheHashTable() throws IOException {
        assumeLinuxX86_64();
        byte[] image = Files.readAllBytes(libjvm());
        ElfFacts withSections = (ElfFacts) BinaryFacts.parse(image, "libjvm.so");
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(40, 0); // e_shoff
        b.putShort(60, (short) 0); // e_shnum
        b.putShort(62, (short) 0); // e_shstrndx
        ElfFacts without = (ElfFacts) BinaryFacts.parse(image, "libjvm.so without sections");
        assertEquals(withSections.needed(), without.needed());
        assertEquals(withSections.versionsByLibrary(), without.versionsByLibrary());
        assertEquals(withSections.exportedSymbols(), without.exportedSymbols());
        assertTrue(without.exportedSymbols().size() > 100);
    }

    @Test
    void glibcVersionsCompareNumericallyAndIgnorePrivateOnes() {
        ElfFacts facts = new ElfFacts(64, ByteOrder.LITTLE_ENDIAN, ElfFacts.ET_DYN, 62, 0, 0, null,
                null, List.of("libc.so.6"), Map.of("libc.so.6", Set.of("GLIBC_2.9", "GLIBC_2.17", "GLIBC_2.3.4",
                "GLIBC_PRIVATE", "GLIBC_ABI_DT_RELR", "GLIBC_2.28")), Set.of(), OptionalLong.empty());
        assertEquals("GLIBC_2.28", facts.highestGlibcVersion().orElseThrow());
        assertTrue(ElfFacts.compareVersions("2.17", "2.28") < 0);
        assertTrue(ElfFacts.compareVersions("2.28", "2.34") < 0);
        assertTrue(ElfFacts.compareVersions("2.9", "2.17") < 0);
        assertTrue(ElfFacts.compareVersions("2.3.4", "2.3") > 0);
        assertEquals(0, ElfFacts.compareVersions("2.17", "2.17.0"));
        assertEquals(0, ElfFacts.compareVersions("2.017", "2.17"));
        assertTrue(ElfFacts.compareVersions("2.99999999999999999999", "2.3") > 0);
        ElfFacts none = new ElfFacts(64, ByteOrder.LITTLE_ENDIAN, ElfFacts.ET_DYN, 62, 0, 0, null,
                null, List.of(), Map.of("libc.so.6", Set.of("GLIBC_PRIVATE")), Set.of(), OptionalLong.empty());
        assertTrue(none.highestGlibcVersion().isEmpty());
    }

    @Test
    void handMadeBigEndianS390xLibraryIsReadInItsByteOrder() throws IOException {
        Fixtures.Elf spec = new Fixtures.Elf().machine(ElfFacts.EM_S390, true, ByteOrder.BIG_ENDIAN)
                .needs("libc.so.6", "GLIBC_2.2", "GLIBC_2.17").needs("libgcc_s.so.1", "GCC_3.0")
                .exports("Java_dev_sark_Test_ping", "JNI_OnLoad");
        spec.imports.add("malloc");
        ElfFacts facts = (ElfFacts) BinaryFacts.parse(spec.build(), "s390x.so");
        assertEquals(64, facts.bits());
        assertFalse(facts.littleEndian());
        assertEquals(ElfFacts.EM_S390, facts.machine());
        assertEquals(List.of("libc.so.6", "libgcc_s.so.1"), facts.needed());
        assertEquals(Map.of("libc.so.6", Set.of("GLIBC_2.2", "GLIBC_2.17"), "libgcc_s.so.1", Set.of("GCC_3.0")),
                facts.versionsByLibrary());
        assertEquals(Set.of("Java_dev_sark_Test_ping", "JNI_OnLoad"), facts.exportedSymbols());
        assertEquals("GLIBC_2.17", facts.highestGlibcVersion().orElseThrow());
    }

    @Test
    void handMade32BitFilesReadWithEveryTableStyle() throws IOException {
        for (boolean sections : new boolean[] {true, false}) {
            for (boolean gnuHash : new boolean[] {true, false}) {
                for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                    Fixtures.Elf spec = new Fixtures.Elf().machine(ElfFacts.EM_ARM, false, order)
                            .needs("libc.so.6", "GLIBC_2.4").exports("Java_a_B_c", "Java_a_B_d");
                    spec.flags = 0x05000400;
                    spec.sections = sections;
                    spec.gnuHash = gnuHash;
                    spec.interpreter = "/lib/ld-linux-armhf.so.3";
                    spec.imports.add("free");
                    String what = "sections=" + sections + " gnuHash=" + gnuHash + " " + order;
                    ElfFacts facts = (ElfFacts) BinaryFacts.parse(spec.build(), what);
                    assertEquals(32, facts.bits(), what);
                    assertEquals(order == ByteOrder.LITTLE_ENDIAN, facts.littleEndian(), what);
                    assertEquals(0x05000400L, facts.flags(), what);
                    assertEquals("/lib/ld-linux-armhf.so.3", facts.interpreter(), what);
                    assertEquals(List.of("libc.so.6"), facts.needed(), what);
                    assertEquals(Set.of("GLIBC_2.4"), facts.neededVersions(), what);
                    assertEquals(Set.of("Java_a_B_c", "Java_a_B_d"), facts.exportedSymbols(), what);
                }
            }
        }
    }

    @Test
    void freeBsdBrandIsRead() throws IOException {
        Fixtures.Elf spec = new Fixtures.Elf().needs("libc.so.7", "FBSD_1.0");
        spec.osAbi = ElfFacts.ELFOSABI_FREEBSD;
        ElfFacts facts = (ElfFacts) BinaryFacts.parse(spec.build(), "freebsd.so");
        assertEquals(ElfFacts.ELFOSABI_FREEBSD, facts.osAbi());
        assertTrue(facts.summary().contains("ELFOSABI_FREEBSD (9)"), facts.summary());
        assertTrue(facts.highestGlibcVersion().isEmpty());
    }
}
