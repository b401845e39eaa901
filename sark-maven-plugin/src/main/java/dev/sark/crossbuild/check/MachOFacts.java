package dev.sark.crossbuild.check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The facts of a Mach-O file (macOS): either one {@link Thin} image, or a {@link Fat} (universal) file made
 * of thin slices, one per CPU type.
 *
 * <p>Layout (Apple's {@code <mach-o/loader.h>} and {@code <mach-o/fat.h>}): a thin image starts with a
 * {@code mach_header[_64]} in the image's own byte order (little-endian for x86_64 and arm64); a universal
 * file starts with a big-endian {@code fat_header} followed by {@code fat_arch[_64]} entries giving each
 * slice's CPU type, offset, size and alignment (a power of two).
 */
public sealed interface MachOFacts extends BinaryFacts permits MachOFacts.Thin, MachOFacts.Fat {

    long MH_MAGIC = 0xfeedfaceL;
    long MH_MAGIC_64 = 0xfeedfacfL;
    long FAT_MAGIC = 0xcafebabeL;
    long FAT_MAGIC_64 = 0xcafebabfL;

    /** Flag on 64-bit CPU types. */
    int CPU_ARCH_ABI64 = 0x01000000;
    int CPU_TYPE_X86 = 7;
    int CPU_TYPE_X86_64 = CPU_TYPE_X86 | CPU_ARCH_ABI64;
    int CPU_TYPE_ARM = 12;
    int CPU_TYPE_ARM64 = CPU_TYPE_ARM | CPU_ARCH_ABI64;
    int CPU_TYPE_ARM64_32 = CPU_TYPE_ARM | 0x02000000;
    int CPU_TYPE_POWERPC = 18;
    int CPU_TYPE_POWERPC64 = CPU_TYPE_POWERPC | CPU_ARCH_ABI64;

    int MH_OBJECT = 1;
    int MH_EXECUTE = 2;
    int MH_DYLIB = 6;
    int MH_BUNDLE = 8;

    /** The thin images: this one for a thin file, each slice's for a universal one. */
    List<Thin> images();

    /** {@code x86_64}, {@code arm64}, ... (lipo's names) or {@code cputype 0x...}. */
    static String cpuTypeName(int cpuType) {
        switch (cpuType) {
            case CPU_TYPE_X86:
                return "i386";
            case CPU_TYPE_X86_64:
                return "x86_64";
            case CPU_TYPE_ARM:
                return "arm";
            case CPU_TYPE_ARM64:
                return "arm64";
            case CPU_TYPE_ARM64_32:
                return "arm64_32";
            case CPU_TYPE_POWERPC:
                return "ppc";
            case CPU_TYPE_POWERPC64:
                return "ppc64";
            default:
                return "cputype " + BoundedReader.hex(cpuType & 0xffffffffL);
        }
    }

    /** {@code MH_DYLIB (6)} and so on. */
    static String fileTypeName(int fileType) {
        switch (fileType) {
            case MH_OBJECT:
                return "MH_OBJECT (1)";
            case MH_EXECUTE:
                return "MH_EXECUTE (2)";
            case MH_DYLIB:
                return "MH_DYLIB (6)";
            case MH_BUNDLE:
                return "MH_BUNDLE (8)";
            default:
                return "filetype " + fileType;
        }
    }

    /**
     * One Mach-O image: a thin file, or one slice of a universal file.
     *
     * @param is64               whether the header is a mach_header_64 (MH_MAGIC_64)
     * @param littleEndian       the header's byte order
     * @param cpuType            cputype, e.g. {@link #CPU_TYPE_ARM64}
     * @param cpuSubtype         cpusubtype, with its capability bits
     * @param fileType           filetype, e.g. {@link #MH_DYLIB}
     * @param flags              the header's flags
     * @param installName        the LC_ID_DYLIB install name ({@code @rpath/libfoo.dylib}), or null
     * @param dependentLibraries LC_LOAD_DYLIB, LC_LOAD_WEAK_DYLIB and LC_REEXPORT_DYLIB names, in order
     * @param minOs              minimum OS version from LC_BUILD_VERSION or LC_VERSION_MIN_MACOSX ({@code 11.0}),
     *                           or null
     * @param hasSymbolTable     whether the image has an LC_SYMTAB, i.e. whether {@code exportedSymbols} means
     *                           anything
     * @param exportedSymbols    external symbols defined in a section (N_EXT and N_SECT, not private-extern, not
     *                           debug), with the leading underscore of C names removed: {@code Java_dev_sark_Foo_bar},
     *                           as the JVM looks it up
     */
    record Thin(boolean is64, boolean littleEndian, int cpuType, int cpuSubtype, int fileType, long flags,
                String installName, List<String> dependentLibraries, String minOs, boolean hasSymbolTable,
                Set<String> exportedSymbols) implements MachOFacts {
        public Thin {
            dependentLibraries = List.copyOf(dependentLibraries);
            exportedSymbols = Collections.unmodifiableSet(new LinkedHashSet<>(exportedSymbols));
        }

        @Override
        public List<Thin> images() {
            return List.of(this);
        }

        @Override
        public String formatName() {
            return "Mach-O";
        }

        /** {@code macOS 10.12}; {@code macOS (no minimum declared)} without a version load command. */
        @Override
        public String platformRequirement() {
            return minOs != null ? "macOS " + minOs : "macOS (no minimum declared)";
        }

        @Override
        public String summary() {
            return "Mach-O " + (is64 ? "64-bit " : "32-bit ") + cpuTypeName(cpuType) + " " + fileTypeName(fileType)
                    + (minOs != null ? ", minimum OS " + minOs : "");
        }

        @Override
        public String toString() {
            return summary();
        }
    }

    /**
     * A universal (fat) file.
     *
     * @param fat64  whether the header is FAT_MAGIC_64 (64-bit offsets and sizes)
     * @param slices its slices in header order
     */
    record Fat(boolean fat64, List<Slice> slices) implements MachOFacts {
        public Fat {
            slices = List.copyOf(slices);
        }

        /** The first slice of a CPU type. */
        public Optional<Slice> slice(int cpuType) {
            return slices.stream().filter(s -> s.cpuType() == cpuType).findFirst();
        }

        @Override
        public List<Thin> images() {
            List<Thin> images = new ArrayList<>();
            slices.forEach(s -> images.add(s.image()));
            return Collections.unmodifiableList(images);
        }

        @Override
        public String formatName() {
            return "universal Mach-O";
        }

        /** Each slice keeps its own minimum: {@code macOS 10.12 (x86_64), 11.0 (arm64)}. */
        @Override
        public String platformRequirement() {
            List<String> parts = new ArrayList<>();
            for (Slice slice : slices) {
                String minOs = slice.image().minOs();
                parts.add((minOs != null ? minOs : "no minimum") + " (" + cpuTypeName(slice.cpuType()) + ")");
            }
            return "macOS " + String.join(", ", parts);
        }

        @Override
        public String summary() {
            StringBuilder s = new StringBuilder("universal Mach-O with slices");
            slices.forEach(slice -> s.append(' ').append(cpuTypeName(slice.cpuType())));
            return s.toString();
        }

        @Override
        public String toString() {
            return summary();
        }
    }

    /**
     * One fat_arch entry: CPU type and subtype, where the slice lies in the file, its alignment as a power of
     * two ({@code align} 14 means 16 KiB), and the facts of the image found there.
     */
    record Slice(int cpuType, int cpuSubtype, long offset, long size, int align, Thin image) {
        /** Whether {@code offset} is a multiple of 2^align, as the loader and lipo expect. */
        public boolean aligned() {
            return align < 63 && offset % (1L << align) == 0;
        }
    }
}
