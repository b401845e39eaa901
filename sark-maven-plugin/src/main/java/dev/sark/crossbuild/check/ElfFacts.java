package dev.sark.crossbuild.check;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The facts of an ELF file (Linux, FreeBSD) that decide whether it can be loaded on a target: class,
 * byte order, machine, flags, OS ABI, program interpreter, needed libraries, needed symbol versions and
 * exported dynamic symbols.
 *
 * <p>The dynamic information is read the way the dynamic loader reads it: from the {@code PT_DYNAMIC}
 * segment, with the virtual addresses it holds ({@code DT_STRTAB}, {@code DT_VERNEED}, ...) mapped to file
 * offsets through the {@code PT_LOAD} segments. Section headers are used when there are no program headers
 * to go by, and for the dynamic symbol table ({@code SHT_DYNSYM}) whose length only the section header gives
 * directly; a file without section headers (sstrip) has its symbol count taken from {@code DT_HASH} or
 * {@code DT_GNU_HASH} instead. References: the System V gABI, chapter 4 and 5, and the LSB's
 * "Symbol Versioning" for {@code .gnu.version_r}.
 *
 * @param bits              32 or 64, from EI_CLASS ({@link #ELFCLASS32} or {@link #ELFCLASS64})
 * @param byteOrder         the byte order of EI_DATA
 * @param type              e_type: {@link #ET_DYN} for shared libraries and PIE executables
 * @param machine           e_machine, e.g. {@link #EM_X86_64}
 * @param flags             e_flags, unsigned
 * @param osAbi             EI_OSABI: 0 (System V, used by Linux and often by FreeBSD shared libraries), 3 (GNU),
 *                          9 (FreeBSD)
 * @param interpreter       the program interpreter of PT_INTERP ({@code /lib/ld-musl-x86_64.so.1}), or null when
 *                          there is none
 * @param soname            DT_SONAME, or null
 * @param needed            DT_NEEDED entries in file order
 * @param versionsByLibrary needed symbol versions per library that provides them (vn_file -> vernaux names)
 * @param exportedSymbols   names of the dynamic symbols this file exports: defined (st_shndx != SHN_UNDEF), with
 *                          global, weak or GNU-unique binding and default or protected visibility, i.e. what
 *                          {@code dlsym} can find
 * @param freebsdAbiTag     the FreeBSD ABI tag note's value (__FreeBSD_version of the build system), when present
 */
public record ElfFacts(int bits, ByteOrder byteOrder, int type, int machine, long flags, int osAbi,
                       String interpreter, String soname, List<String> needed,
                       Map<String, Set<String>> versionsByLibrary, Set<String> exportedSymbols,
                       OptionalLong freebsdAbiTag) implements BinaryFacts {

    static final byte[] MAGIC = {0x7f, 'E', 'L', 'F'};

    public static final int ELFCLASS32 = 1;
    public static final int ELFCLASS64 = 2;

    public static final int ET_REL = 1;
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;

    public static final int EM_386 = 3;
    public static final int EM_PPC64 = 21;
    public static final int EM_S390 = 22;
    public static final int EM_ARM = 40;
    public static final int EM_X86_64 = 62;
    public static final int EM_AARCH64 = 183;
    public static final int EM_RISCV = 243;

    public static final int ELFOSABI_SYSV = 0;
    public static final int ELFOSABI_GNU = 3;
    public static final int ELFOSABI_FREEBSD = 9;

    /** ARM e_flags bit: the object uses the hard-float procedure call standard (VFP registers). */
    public static final long EF_ARM_ABI_FLOAT_HARD = 0x400;
    /** ARM e_flags bit: the object explicitly uses the soft-float (base) procedure call standard. */
    public static final long EF_ARM_ABI_FLOAT_SOFT = 0x200;

    private static final int PT_LOAD = 1;
    private static final int PT_DYNAMIC = 2;
    private static final int PT_INTERP = 3;
    private static final int PT_NOTE = 4;

    private static final int SHT_DYNAMIC = 6;
    private static final int SHT_NOTE = 7;
    private static final int SHT_NOBITS = 8;
    private static final int SHT_DYNSYM = 11;
    private static final long SHT_GNU_VERNEED = 0x6ffffffeL;
    private static final long SHF_ALLOC = 0x2;

    private static final long DT_NULL = 0;
    private static final long DT_NEEDED = 1;
    private static final long DT_HASH = 4;
    private static final long DT_STRTAB = 5;
    private static final long DT_SYMTAB = 6;
    private static final long DT_STRSZ = 10;
    private static final long DT_SYMENT = 11;
    private static final long DT_SONAME = 14;
    private static final long DT_GNU_HASH = 0x6ffffef5L;
    private static final long DT_VERNEED = 0x6ffffffeL;
    private static final long DT_VERNEEDNUM = 0x6fffffffL;

    private static final int STB_GLOBAL = 1;
    private static final int STB_WEAK = 2;
    private static final int STB_GNU_UNIQUE = 10;
    private static final int STT_SECTION = 3;
    private static final int STT_FILE = 4;
    private static final int STV_DEFAULT = 0;
    private static final int STV_PROTECTED = 3;

    /** {@code GLIBC_2.17}: a numbered glibc version; GLIBC_PRIVATE and GLIBC_ABI_DT_RELR do not match. */
    private static final Pattern GLIBC_VERSION = Pattern.compile("GLIBC_([0-9]+(?:\\.[0-9]+)*)");

    public ElfFacts {
        needed = List.copyOf(needed);
        Map<String, Set<String>> byLibrary = new LinkedHashMap<>();
        versionsByLibrary.forEach((library, versions) ->
                byLibrary.put(library, Collections.unmodifiableSet(new LinkedHashSet<>(versions))));
        versionsByLibrary = Collections.unmodifiableMap(byLibrary);
        exportedSymbols = Collections.unmodifiableSet(new LinkedHashSet<>(exportedSymbols));
    }

    public boolean littleEndian() {
        return byteOrder == ByteOrder.LITTLE_ENDIAN;
    }

    /** Needed symbol versions (vernaux names, e.g. {@code GLIBC_2.17}) in file order, over all libraries. */
    public Set<String> neededVersions() {
        Set<String> all = new LinkedHashSet<>();
        versionsByLibrary.values().forEach(all::addAll);
        return Collections.unmodifiableSet(all);
    }

    /**
     * The highest numbered {@code GLIBC_x.y[.z]} version this file needs, compared numerically
     * (GLIBC_2.17 &lt; GLIBC_2.28 &lt; GLIBC_2.34); GLIBC_PRIVATE and other unnumbered names are ignored.
     */
    public Optional<String> highestGlibcVersion() {
        String best = null;
        for (String version : neededVersions()) {
            Matcher m = GLIBC_VERSION.matcher(version);
            if (m.matches() && (best == null || compareVersions(m.group(1), best.substring(6)) > 0)) {
                best = version;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The newest FreeBSD major release the file asks for: the larger of its ABI tag's and the one that
     * introduced its highest {@code FBSD_1.n} libc symbol version (the run-time linker refuses a library whose
     * symbol versions the system's libc lacks). Empty when it states neither.
     */
    public OptionalInt freebsdRelease() {
        int release = freebsdAbiTag.isPresent() ? FreeBsdRelease.ofAbiTag(freebsdAbiTag.getAsLong()) : -1;
        for (Map.Entry<String, Set<String>> library : versionsByLibrary.entrySet()) {
            for (String version : library.getValue()) {
                release = Math.max(release, FreeBsdRelease.ofSymbolVersion(library.getKey(), version).orElse(-1));
            }
        }
        return release < 0 ? OptionalInt.empty() : OptionalInt.of(release);
    }

    /** Whether the file links glibc: DT_NEEDED libc.so.6 or a GLIBC_x.y symbol version. */
    public boolean needsGlibc() {
        return needed.contains("libc.so.6") || highestGlibcVersion().isPresent();
    }

    /** Whether the file links musl: its interpreter is ld-musl, or it needs musl's libc.so / libc.musl-*. */
    public boolean needsMusl() {
        return (interpreter != null && interpreter.contains("ld-musl")) || needed.contains("libc.so")
                || needed.stream().anyMatch(n -> n.startsWith("libc.musl-"));
    }

    /** Whether the file links FreeBSD's C library: DT_NEEDED libc.so.7 or an FBSD_ symbol version. */
    public boolean needsFreeBsdLibc() {
        return needed.contains("libc.so.7") || neededVersions().stream().anyMatch(v -> v.startsWith("FBSD_"));
    }

    /**
     * {@code glibc 2.17} (or {@code glibc} without symbol versions), {@code musl}, {@code FreeBSD 12} (or
     * {@code FreeBSD} when nothing states a release), or {@code -} for a file that needs no C library.
     */
    @Override
    public String platformRequirement() {
        if (needsGlibc()) {
            return highestGlibcVersion().map(v -> "glibc " + v.substring("GLIBC_".length())).orElse("glibc");
        }
        if (needsMusl()) {
            return "musl";
        }
        OptionalInt release = freebsdRelease();
        if (release.isPresent()) {
            return "FreeBSD " + release.getAsInt();
        }
        return needsFreeBsdLibc() || osAbi == ELFOSABI_FREEBSD ? "FreeBSD" : "-";
    }

    /** Whether the highest numbered GLIBC_ version needed is newer than {@code version} ({@code 2.17}). */
    public boolean needsGlibcNewerThan(String version) {
        return highestGlibcVersion().map(v -> compareVersions(v.substring("GLIBC_".length()), version) > 0)
                .orElse(false);
    }

    /** Compares dotted version numbers numerically: 2.9 &lt; 2.17, 2.17 == 2.17.0. Parts must be digits. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            // Compare as digit strings without leading zeros, so that huge numbers cannot overflow.
            String p = i < x.length ? stripZeros(x[i]) : "";
            String q = i < y.length ? stripZeros(y[i]) : "";
            int c = p.length() != q.length() ? Integer.compare(p.length(), q.length()) : p.compareTo(q);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static String stripZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        String s = digits.substring(i);
        return s.equals("0") ? "" : s;
    }

    @Override
    public String formatName() {
        return "ELF";
    }

    @Override
    public String summary() {
        StringBuilder s = new StringBuilder("ELF ").append(bits()).append("-bit ")
                .append(littleEndian() ? "LSB" : "MSB").append(' ').append(typeName(type)).append(' ')
                .append(machineName(machine)).append(" (").append(machine).append(')');
        if (machine == EM_ARM) {
            s.append((flags & EF_ARM_ABI_FLOAT_HARD) != 0 ? ", hard-float" : ", soft-float");
        }
        if (osAbi != ELFOSABI_SYSV) {
            s.append(", OS ABI ").append(osAbiName(osAbi));
        }
        if (interpreter != null) {
            s.append(", interpreter ").append(interpreter);
        }
        highestGlibcVersion().ifPresent(v -> s.append(", needs ").append(v));
        freebsdAbiTag().ifPresent(v -> s.append(", FreeBSD ABI tag ").append(v));
        return s.toString();
    }

    @Override
    public String toString() {
        return summary();
    }

    /** {@code EM_X86_64} for 62, and so on; {@code EM_<n>} for machines SARK does not know. */
    public static String machineName(int machine) {
        switch (machine) {
            case EM_386:
                return "EM_386";
            case 8:
                return "EM_MIPS";
            case 20:
                return "EM_PPC";
            case EM_PPC64:
                return "EM_PPC64";
            case EM_S390:
                return "EM_S390";
            case EM_ARM:
                return "EM_ARM";
            case 43:
                return "EM_SPARCV9";
            case EM_X86_64:
                return "EM_X86_64";
            case EM_AARCH64:
                return "EM_AARCH64";
            case EM_RISCV:
                return "EM_RISCV";
            case 258:
                return "EM_LOONGARCH";
            default:
                return "EM_" + machine;
        }
    }

    static String typeName(int type) {
        switch (type) {
            case ET_REL:
                return "ET_REL";
            case ET_EXEC:
                return "ET_EXEC";
            case ET_DYN:
                return "ET_DYN";
            case 4:
                return "ET_CORE";
            default:
                return "e_type " + type;
        }
    }

    static String osAbiName(int osAbi) {
        switch (osAbi) {
            case ELFOSABI_SYSV:
                return "ELFOSABI_SYSV (0)";
            case ELFOSABI_GNU:
                return "ELFOSABI_GNU (3)";
            case ELFOSABI_FREEBSD:
                return "ELFOSABI_FREEBSD (9)";
            default:
                return "EI_OSABI " + osAbi;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Reading

    /** A section header, reduced to what is used here. */
    private static final class Section {
        long type;
        long flags;
        long addr;
        long offset;
        long size;
        long link;
        long info;
        long entsize;
        long addralign;
    }

    /** A program header, reduced to what is used here. */
    private static final class Segment {
        long type;
        long offset;
        long vaddr;
        long filesz;
        long align;
    }

    /** A string table: file offset and the offset just past its end. */
    private record StringTable(long start, long end) {
    }

    static ElfFacts parse(BoundedReader raw) throws IOException {
        raw.require(0, 16, "ELF identification (e_ident)");
        int elfClass = raw.u8(4, "EI_CLASS");
        if (elfClass != ELFCLASS32 && elfClass != ELFCLASS64) {
            throw raw.malformed("EI_CLASS is " + elfClass + ", neither 1 (32-bit) nor 2 (64-bit)");
        }
        int data = raw.u8(5, "EI_DATA");
        if (data != 1 && data != 2) {
            throw raw.malformed("EI_DATA is " + data + ", neither 1 (little-endian) nor 2 (big-endian)");
        }
        int osAbi = raw.u8(7, "EI_OSABI");
        BoundedReader in = raw.withOrder(data == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        boolean is64 = elfClass == ELFCLASS64;
        in.require(0, is64 ? 64 : 52, "ELF header");

        int type = in.u16(16, "e_type");
        int machine = in.u16(18, "e_machine");
        long phoff = in.word(is64 ? 32 : 28, is64, "e_phoff");
        long shoff = in.word(is64 ? 40 : 32, is64, "e_shoff");
        long flags = in.u32(is64 ? 48 : 36, "e_flags");
        int phentsize = in.u16(is64 ? 54 : 42, "e_phentsize");
        long phnum = in.u16(is64 ? 56 : 44, "e_phnum");
        int shentsize = in.u16(is64 ? 58 : 46, "e_shentsize");
        long shnum = in.u16(is64 ? 60 : 48, "e_shnum");

        List<Section> sections = readSections(in, is64, shoff, shentsize, shnum);
        if (phnum == 0xffff && !sections.isEmpty()) {
            phnum = sections.get(0).info; // PN_XNUM: the real count is in section 0's sh_info
        }
        List<Segment> segments = readSegments(in, is64, phoff, phentsize, phnum);

        String interpreter = null;
        for (Segment s : segments) {
            if (s.type == PT_INTERP) {
                in.require(s.offset, s.filesz, "PT_INTERP segment");
                interpreter = in.cstring(s.offset, s.offset + s.filesz, "program interpreter (PT_INTERP)");
                break;
            }
        }

        // The dynamic table: from PT_DYNAMIC as the loader does, else from the SHT_DYNAMIC section.
        long dynOffset = -1;
        long dynSize = 0;
        Section dynSection = null;
        for (Section s : sections) {
            if (s.type == SHT_DYNAMIC) {
                dynSection = s;
                break;
            }
        }
        for (Segment s : segments) {
            if (s.type == PT_DYNAMIC) {
                dynOffset = s.offset;
                dynSize = s.filesz;
                break;
            }
        }
        if (dynOffset < 0 && dynSection != null) {
            dynOffset = dynSection.offset;
            dynSize = dynSection.size;
        }

        List<String> needed = new ArrayList<>();
        Map<String, Set<String>> versions = new LinkedHashMap<>();
        Set<String> exports = new LinkedHashSet<>();
        String soname = null;
        if (dynOffset >= 0) {
            Dynamic dyn = Dynamic.read(in, is64, dynOffset, dynSize);

            // The dynamic string table (.dynstr).
            StringTable dynstr = null;
            if (dyn.strtab >= 0) {
                long start = toOffset(in, segments, sections, dyn.strtab, "DT_STRTAB");
                long end = dyn.strsz >= 0 ? start + dyn.strsz : in.size();
                in.require(start, end - start, "dynamic string table (DT_STRTAB, DT_STRSZ)");
                dynstr = new StringTable(start, end);
            } else if (dynSection != null) {
                dynstr = sectionStrings(in, sections, dynSection.link, "string table of the dynamic section");
            }
            if (dynstr == null && (!dyn.needed.isEmpty() || dyn.soname >= 0 || dyn.verneed >= 0)) {
                throw in.malformed("the dynamic section names libraries but has no DT_STRTAB");
            }
            for (long nameOffset : dyn.needed) {
                needed.add(string(in, dynstr, nameOffset, "DT_NEEDED name"));
            }
            if (dyn.soname >= 0) {
                soname = string(in, dynstr, dyn.soname, "DT_SONAME");
            }

            // Needed versions: DT_VERNEED/DT_VERNEEDNUM, else the SHT_GNU_verneed section.
            if (dyn.verneed >= 0) {
                if (dyn.verneednum < 0) {
                    throw in.malformed("the dynamic section has DT_VERNEED but no DT_VERNEEDNUM");
                }
                long offset = toOffset(in, segments, sections, dyn.verneed, "DT_VERNEED");
                readVerneed(in, offset, dyn.verneednum, dynstr, versions);
            }

            // Exported symbols: the SHT_DYNSYM section, else DT_SYMTAB counted through the hash tables.
            Section dynsym = null;
            for (Section s : sections) {
                if (s.type == SHT_DYNSYM) {
                    dynsym = s;
                    break;
                }
            }
            int symSize = is64 ? 24 : 16;
            if (dynsym != null) {
                long entsize = dynsym.entsize == 0 ? symSize : dynsym.entsize;
                if (entsize < symSize) {
                    throw in.malformed("SHT_DYNSYM entries of " + entsize + " bytes are smaller than an ELF"
                            + (is64 ? "64" : "32") + "_Sym (" + symSize + ")");
                }
                StringTable names = sectionStrings(in, sections, dynsym.link, "string table of .dynsym");
                readSymbols(in, is64, dynsym.offset, dynsym.size / entsize, entsize, names, exports);
            } else if (dyn.symtab >= 0 && dynstr != null) {
                long entsize = dyn.syment > 0 ? dyn.syment : symSize;
                if (entsize < symSize) {
                    throw in.malformed("DT_SYMENT " + entsize + " is smaller than an ELF symbol (" + symSize + ")");
                }
                long offset = toOffset(in, segments, sections, dyn.symtab, "DT_SYMTAB");
                long count = -1;
                if (dyn.hash >= 0) {
                    long hash = toOffset(in, segments, sections, dyn.hash, "DT_HASH");
                    count = in.u32(hash + 4, "DT_HASH nchain");
                } else if (dyn.gnuHash >= 0) {
                    count = gnuHashSymbolCount(in, is64, toOffset(in, segments, sections, dyn.gnuHash, "DT_GNU_HASH"));
                }
                if (count >= 0) {
                    readSymbols(in, is64, offset, count, entsize, dynstr, exports);
                }
            }
        }
        if (versions.isEmpty()) {
            // No DT_VERNEED (or no dynamic table at all): the section, which also covers relocatable files.
            for (Section s : sections) {
                if (s.type == SHT_GNU_VERNEED) {
                    StringTable names = sectionStrings(in, sections, s.link, "string table of .gnu.version_r");
                    in.require(s.offset, s.size, ".gnu.version_r section");
                    readVerneed(in, s.offset, s.info, names, versions);
                    break;
                }
            }
        }
        return new ElfFacts(is64 ? 64 : 32, in.order(), type, machine, flags, osAbi, interpreter, soname, needed,
                versions, exports, optionalTag(ElfNotes.freebsdAbiTag(in, noteAreas(segments, sections))));
    }

    private static OptionalLong optionalTag(long tagOrMinusOne) {
        return tagOrMinusOne < 0 ? OptionalLong.empty() : OptionalLong.of(tagOrMinusOne);
    }

    /** The PT_NOTE segments, as the loader sees notes; the SHT_NOTE sections of a file without program headers. */
    private static List<ElfNotes.Area> noteAreas(List<Segment> segments, List<Section> sections) {
        List<ElfNotes.Area> areas = new ArrayList<>();
        for (Segment s : segments) {
            if (s.type == PT_NOTE) {
                areas.add(new ElfNotes.Area(s.offset, s.filesz, s.align));
            }
        }
        if (segments.isEmpty()) {
            for (Section s : sections) {
                if (s.type == SHT_NOTE) {
                    areas.add(new ElfNotes.Area(s.offset, s.size, s.addralign));
                }
            }
        }
        return areas;
    }

    private static List<Section> readSections(BoundedReader in, boolean is64, long shoff, int shentsize, long shnum)
            throws IOException {
        List<Section> sections = new ArrayList<>();
        if (shoff == 0) {
            return sections; // no section headers (stripped with sstrip, or never written)
        }
        int min = is64 ? 64 : 40;
        if (shentsize < min) {
            throw in.malformed("e_shentsize is " + shentsize + ", smaller than a section header (" + min + ")");
        }
        if (shnum == 0) {
            // SHN_LORESERVE or more sections: the real count is in section 0's sh_size.
            in.require(shoff, shentsize, "section header 0");
            shnum = in.word(shoff + (is64 ? 32 : 20), is64, "sh_size of section 0 (section count)");
        }
        int count = in.requireTable(shoff, shnum, shentsize, "section header table");
        for (int i = 0; i < count; i++) {
            long at = shoff + (long) i * shentsize;
            Section s = new Section();
            s.type = in.u32(at + 4, "sh_type");
            s.flags = in.word(at + 8, is64, "sh_flags");
            s.addr = in.word(at + (is64 ? 16 : 12), is64, "sh_addr");
            s.offset = in.word(at + (is64 ? 24 : 16), is64, "sh_offset");
            s.size = in.word(at + (is64 ? 32 : 20), is64, "sh_size");
            s.link = in.u32(at + (is64 ? 40 : 24), "sh_link");
            s.info = in.u32(at + (is64 ? 44 : 28), "sh_info");
            s.entsize = in.word(at + (is64 ? 56 : 36), is64, "sh_entsize");
            s.addralign = in.word(at + (is64 ? 48 : 32), is64, "sh_addralign");
            sections.add(s);
        }
        return sections;
    }

    private static List<Segment> readSegments(BoundedReader in, boolean is64, long phoff, int phentsize, long phnum)
            throws IOException {
        List<Segment> segments = new ArrayList<>();
        if (phnum == 0 || phoff == 0) {
            return segments;
        }
        int min = is64 ? 56 : 32;
        if (phentsize < min) {
            throw in.malformed("e_phentsize is " + phentsize + ", smaller than a program header (" + min + ")");
        }
        int count = in.requireTable(phoff, phnum, phentsize, "program header table");
        for (int i = 0; i < count; i++) {
            long at = phoff + (long) i * phentsize;
            Segment s = new Segment();
            s.type = in.u32(at, "p_type");
            s.offset = in.word(at + (is64 ? 8 : 4), is64, "p_offset");
            s.vaddr = in.word(at + (is64 ? 16 : 8), is64, "p_vaddr");
            s.filesz = in.word(at + (is64 ? 32 : 16), is64, "p_filesz");
            s.align = in.word(at + (is64 ? 48 : 28), is64, "p_align");
            segments.add(s);
        }
        return segments;
    }

    /** The entries of the dynamic table that are used here; -1 marks an absent entry. */
    private static final class Dynamic {
        final List<Long> needed = new ArrayList<>();
        long strtab = -1;
        long strsz = -1;
        long symtab = -1;
        long syment = -1;
        long hash = -1;
        long gnuHash = -1;
        long verneed = -1;
        long verneednum = -1;
        long soname = -1;

        static Dynamic read(BoundedReader in, boolean is64, long offset, long size) throws IOException {
            int entrySize = is64 ? 16 : 8;
            int count = in.requireTable(offset, size / entrySize, entrySize, "dynamic section");
            Dynamic d = new Dynamic();
            for (int i = 0; i < count; i++) {
                long at = offset + (long) i * entrySize;
                // d_tag is signed; the tags used here are all positive. d_val/d_ptr is unsigned.
                long tag = is64 ? in.s64(at, "d_tag") : in.s32(at, "d_tag");
                if (tag == DT_NULL) {
                    break;
                }
                if (tag != DT_NEEDED && tag != DT_STRTAB && tag != DT_STRSZ && tag != DT_SYMTAB && tag != DT_SYMENT
                        && tag != DT_HASH && tag != DT_GNU_HASH && tag != DT_VERNEED && tag != DT_VERNEEDNUM
                        && tag != DT_SONAME) {
                    continue; // not read, so an odd value there (a huge d_val) does no harm
                }
                long value = in.word(at + entrySize / 2, is64, "d_val of dynamic tag " + BoundedReader.hex(tag));
                if (tag == DT_NEEDED) {
                    d.needed.add(value);
                } else if (tag == DT_STRTAB) {
                    d.strtab = value;
                } else if (tag == DT_STRSZ) {
                    d.strsz = value;
                } else if (tag == DT_SYMTAB) {
                    d.symtab = value;
                } else if (tag == DT_SYMENT) {
                    d.syment = value;
                } else if (tag == DT_HASH) {
                    d.hash = value;
                } else if (tag == DT_GNU_HASH) {
                    d.gnuHash = value;
                } else if (tag == DT_VERNEED) {
                    d.verneed = value;
                } else if (tag == DT_VERNEEDNUM) {
                    d.verneednum = value;
                } else {
                    d.soname = value;
                }
            }
            return d;
        }
    }

    /**
     * Maps a virtual address from the dynamic table to a file offset: through the PT_LOAD segment that holds
     * it (file-backed part only), or, in a file without program headers, through the allocated section that
     * holds it.
     */
    private static long toOffset(BoundedReader in, List<Segment> segments, List<Section> sections, long address,
                                 String what) throws IOException {
        boolean anyLoad = false;
        for (Segment s : segments) {
            if (s.type != PT_LOAD) {
                continue;
            }
            anyLoad = true;
            if (address >= s.vaddr && address - s.vaddr < s.filesz) {
                return s.offset + (address - s.vaddr);
            }
        }
        if (!anyLoad) {
            for (Section s : sections) {
                if ((s.flags & SHF_ALLOC) != 0 && s.type != SHT_NOBITS && address >= s.addr
                        && address - s.addr < s.size) {
                    return s.offset + (address - s.addr);
                }
            }
        }
        throw in.malformed(what + " address " + BoundedReader.hex(address)
                + " is not inside the file-backed part of any loadable segment");
    }

    private static StringTable sectionStrings(BoundedReader in, List<Section> sections, long index, String what)
            throws IOException {
        if (index <= 0 || index >= sections.size()) {
            throw in.malformed(what + ": sh_link " + index + " is not a section index (there are "
                    + sections.size() + " sections)");
        }
        Section s = sections.get((int) index);
        in.require(s.offset, s.size, what);
        return new StringTable(s.offset, s.offset + s.size);
    }

    private static String string(BoundedReader in, StringTable table, long offset, String what) throws IOException {
        if (offset < 0 || offset >= table.end - table.start) {
            throw in.malformed(what + " at string table offset " + offset + " lies past the table's "
                    + (table.end - table.start) + " bytes");
        }
        return in.cstring(table.start + offset, table.end, what);
    }

    /**
     * Reads {@code count} Elf_Verneed entries (16 bytes each, the same in both classes: vn_version, vn_cnt,
     * vn_file, vn_aux, vn_next) and their Elf_Vernaux entries (vna_hash, vna_flags, vna_other, vna_name,
     * vna_next). Entries are chained by relative offsets; a zero next ends a chain. The total number of entries
     * visited is bounded by what the file can hold, so a chain that loops back is reported, not followed forever.
     */
    private static void readVerneed(BoundedReader in, long offset, long count, StringTable strings,
                                    Map<String, Set<String>> out) throws IOException {
        if (count == 0) {
            return;
        }
        if (strings == null) {
            throw in.malformed("version needs (.gnu.version_r) without a string table");
        }
        long budget = in.size() / 16;
        if (count > budget) {
            throw in.malformed(count + " version-need entries cannot fit in a " + in.size() + "-byte file");
        }
        long at = offset;
        for (long i = 0; i < count; i++) {
            in.require(at, 16, "Elf_Verneed entry " + i);
            int auxCount = in.u16(at + 2, "vn_cnt");
            String file = string(in, strings, in.u32(at + 4, "vn_file"), "vn_file");
            Set<String> versions = out.computeIfAbsent(file, k -> new LinkedHashSet<>());
            long aux = at + in.u32(at + 8, "vn_aux");
            for (int j = 0; j < auxCount; j++) {
                if (--budget < 0) {
                    throw in.malformed("the version-need chains in .gnu.version_r loop or overlap");
                }
                in.require(aux, 16, "Elf_Vernaux entry " + j + " of " + file);
                versions.add(string(in, strings, in.u32(aux + 8, "vna_name"), "vna_name"));
                long next = in.u32(aux + 12, "vna_next");
                if (next == 0) {
                    break;
                }
                aux += next;
            }
            if (--budget < 0) {
                throw in.malformed("the version-need chains in .gnu.version_r loop or overlap");
            }
            long next = in.u32(at + 12, "vn_next");
            if (next == 0) {
                break;
            }
            at += next;
        }
    }

    private static void readSymbols(BoundedReader in, boolean is64, long offset, long count, long entsize,
                                    StringTable names, Set<String> out) throws IOException {
        int n = in.requireTable(offset, count, entsize, "dynamic symbol table");
        for (int i = 1; i < n; i++) { // symbol 0 is the reserved undefined symbol
            long at = offset + i * entsize;
            long name = in.u32(at, "st_name");
            int info = in.u8(at + (is64 ? 4 : 12), "st_info");
            int other = in.u8(at + (is64 ? 5 : 13), "st_other");
            int shndx = in.u16(at + (is64 ? 6 : 14), "st_shndx");
            int binding = info >> 4;
            int symbolType = info & 0xf;
            int visibility = other & 0x3;
            if (shndx != 0 && name != 0
                    && (binding == STB_GLOBAL || binding == STB_WEAK || binding == STB_GNU_UNIQUE)
                    && (visibility == STV_DEFAULT || visibility == STV_PROTECTED)
                    && symbolType != STT_SECTION && symbolType != STT_FILE) {
                out.add(string(in, names, name, "dynamic symbol name"));
            }
        }
    }

    /**
     * The number of dynamic symbols according to DT_GNU_HASH (which, unlike DT_HASH, does not state it): one
     * past the last symbol of the longest-indexed chain. Layout: nbuckets, symoffset, bloom_size, bloom_shift,
     * bloom[bloom_size] (address-sized words), buckets[nbuckets], chain[] where bit 0 ends a chain.
     */
    private static long gnuHashSymbolCount(BoundedReader in, boolean is64, long offset) throws IOException {
        long nbuckets = in.u32(offset, "DT_GNU_HASH nbuckets");
        long symoffset = in.u32(offset + 4, "DT_GNU_HASH symoffset");
        long bloomSize = in.u32(offset + 8, "DT_GNU_HASH bloom_size");
        int word = is64 ? 8 : 4;
        in.requireTable(offset + 16, bloomSize, word, "DT_GNU_HASH bloom filter");
        long buckets = offset + 16 + bloomSize * word;
        int n = in.requireTable(buckets, nbuckets, 4, "DT_GNU_HASH buckets");
        long last = 0;
        for (int i = 0; i < n; i++) {
            last = Math.max(last, in.u32(buckets + 4L * i, "DT_GNU_HASH bucket"));
        }
        if (last < symoffset) {
            return symoffset; // no hashed symbols: only the unhashed ones below symoffset
        }
        long chains = buckets + 4L * n;
        // Each step reads a 4-byte chain word further on, so the walk ends at the end of the file at the latest.
        long index = last;
        while ((in.u32(chains + 4 * (index - symoffset), "DT_GNU_HASH chain") & 1) == 0) {
            index++;
        }
        return index + 1;
    }
}
