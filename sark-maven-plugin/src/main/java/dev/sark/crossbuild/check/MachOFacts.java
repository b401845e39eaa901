package dev.sark.crossbuild.check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
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

    /** One Mach-O image: a thin file, or one slice of a universal file. */
    final class Thin implements MachOFacts {
        private final boolean is64;
        private final boolean littleEndian;
        private final int cpuType;
        private final int cpuSubtype;
        private final int fileType;
        private final long flags;
        private final String installName;
        private final List<String> dependentLibraries;
        private final String minOs;
        private final Set<String> exportedSymbols;
        private final boolean hasSymbolTable;

        Thin(boolean is64, boolean littleEndian, int cpuType, int cpuSubtype, int fileType, long flags,
             String installName, List<String> dependentLibraries, String minOs, boolean hasSymbolTable,
             Set<String> exportedSymbols) {
            this.is64 = is64;
            this.littleEndian = littleEndian;
            this.cpuType = cpuType;
            this.cpuSubtype = cpuSubtype;
            this.fileType = fileType;
            this.flags = flags;
            this.installName = installName;
            this.dependentLibraries = List.copyOf(dependentLibraries);
            this.minOs = minOs;
            this.hasSymbolTable = hasSymbolTable;
            this.exportedSymbols = Collections.unmodifiableSet(new LinkedHashSet<>(exportedSymbols));
        }

        /** Whether the header is a mach_header_64 (MH_MAGIC_64). */
        public boolean is64() {
            return is64;
        }

        public boolean littleEndian() {
            return littleEndian;
        }

        /** cputype, e.g. {@link #CPU_TYPE_ARM64}. */
        public int cpuType() {
            return cpuType;
        }

        /** cpusubtype, with its capability bits. */
        public int cpuSubtype() {
            return cpuSubtype;
        }

        /** filetype, e.g. {@link #MH_DYLIB}. */
        public int fileType() {
            return fileType;
        }

        public long flags() {
            return flags;
        }

        /** The LC_ID_DYLIB install name ({@code @rpath/libfoo.dylib}), or null. */
        public String installName() {
            return installName;
        }

        /** LC_LOAD_DYLIB, LC_LOAD_WEAK_DYLIB and LC_REEXPORT_DYLIB names, in order. */
        public List<String> dependentLibraries() {
            return dependentLibraries;
        }

        /** Minimum OS version from LC_BUILD_VERSION or LC_VERSION_MIN_MACOSX ({@code 11.0}), or null. */
        public String minOs() {
            return minOs;
        }

        /** Whether the image has an LC_SYMTAB, i.e. whether {@link #exportedSymbols()} means anything. */
        public boolean hasSymbolTable() {
            return hasSymbolTable;
        }

        /**
         * External symbols defined in a section (N_EXT and N_SECT, not private-extern, not debug), with the
         * leading underscore of C names removed: {@code Java_dev_sark_Foo_bar}, as the JVM looks it up.
         */
        public Set<String> exportedSymbols() {
            return exportedSymbols;
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

        @Override
        public boolean equals(Object other) {
            if (this == other) {
                return true;
            }
            if (!(other instanceof Thin)) {
                return false;
            }
            Thin o = (Thin) other;
            return is64 == o.is64 && littleEndian == o.littleEndian && cpuType == o.cpuType
                    && cpuSubtype == o.cpuSubtype && fileType == o.fileType && flags == o.flags
                    && Objects.equals(installName, o.installName)
                    && Objects.equals(dependentLibraries, o.dependentLibraries) && Objects.equals(minOs, o.minOs)
                    && hasSymbolTable == o.hasSymbolTable && Objects.equals(exportedSymbols, o.exportedSymbols);
        }

        @Override
        public int hashCode() {
            return Objects.hash(is64, littleEndian, cpuType, cpuSubtype, fileType, flags, installName,
                    dependentLibraries, minOs, hasSymbolTable, exportedSymbols);
        }
    }

    /** A universal (fat) file: its slices in header order. */
    final class Fat implements MachOFacts {
        private final boolean fat64;
        private final List<Slice> slices;

        Fat(boolean fat64, List<Slice> slices) {
            this.fat64 = fat64;
            this.slices = List.copyOf(slices);
        }

        /** Whether the header is FAT_MAGIC_64 (64-bit offsets and sizes). */
        public boolean fat64() {
            return fat64;
        }

        public List<Slice> slices() {
            return slices;
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

        @Override
        public boolean equals(Object other) {
            if (this == other) {
                return true;
            }
            if (!(other instanceof Fat)) {
                return false;
            }
            Fat o = (Fat) other;
            return fat64 == o.fat64 && Objects.equals(slices, o.slices);
        }

        @Override
        public int hashCode() {
            return Objects.hash(fat64, slices);
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
