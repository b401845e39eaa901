package dev.sark.crossbuild.check;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reads {@link MachOFacts}: thin images and universal (fat) files. */
final class MachOReader {
    private MachOReader() {
    }

    private static final long LC_REQ_DYLD = 0x80000000L;
    private static final long LC_SYMTAB = 0x2;
    private static final long LC_LOAD_DYLIB = 0xc;
    private static final long LC_ID_DYLIB = 0xd;
    private static final long LC_VERSION_MIN_MACOSX = 0x24;
    private static final long LC_BUILD_VERSION = 0x32;
    private static final long LC_LOAD_WEAK_DYLIB = 0x18 | LC_REQ_DYLD;
    private static final long LC_REEXPORT_DYLIB = 0x1f | LC_REQ_DYLD;

    private static final int N_STAB = 0xe0;
    private static final int N_PEXT = 0x10;
    private static final int N_TYPE = 0x0e;
    private static final int N_EXT = 0x01;
    private static final int N_SECT = 0x0e;

    /** A universal header with more entries than this is not one: 0xcafebabe also starts Java class files. */
    static final int MAX_FAT_SLICES = 30;

    static boolean isThinMagic(long magic) {
        return magic == MachOFacts.MH_MAGIC || magic == MachOFacts.MH_MAGIC_64;
    }

    static MachOFacts.Thin parseThin(BoundedReader raw) throws IOException {
        raw.require(0, 28, "mach_header");
        BoundedReader in = raw.withOrder(ByteOrder.LITTLE_ENDIAN);
        long magic = in.u32(0, "magic");
        if (!isThinMagic(magic)) {
            in = raw.withOrder(ByteOrder.BIG_ENDIAN);
            magic = in.u32(0, "magic");
            if (!isThinMagic(magic)) {
                throw in.malformed("magic " + BoundedReader.hex(magic) + " is neither MH_MAGIC nor MH_MAGIC_64");
            }
        }
        boolean is64 = magic == MachOFacts.MH_MAGIC_64;
        int headerSize = is64 ? 32 : 28;
        in.require(0, headerSize, "mach_header");
        int cpuType = in.s32(4, "cputype");
        int cpuSubtype = in.s32(8, "cpusubtype");
        int fileType = (int) in.u32(12, "filetype");
        long ncmds = in.u32(16, "ncmds");
        long sizeofcmds = in.u32(20, "sizeofcmds");
        long flags = in.u32(24, "flags");
        in.require(headerSize, sizeofcmds, "load commands (sizeofcmds)");
        long end = headerSize + sizeofcmds;
        if (ncmds > sizeofcmds / 8) {
            throw in.malformed(ncmds + " load commands cannot fit in sizeofcmds " + sizeofcmds);
        }

        String installName = null;
        String minOs = null;
        List<String> dylibs = new ArrayList<>();
        long symoff = -1;
        long nsyms = 0;
        long stroff = 0;
        long strsize = 0;
        long at = headerSize;
        for (long i = 0; i < ncmds; i++) {
            long cmd = in.u32(at, "load command " + i + " cmd");
            long cmdsize = in.u32(at + 4, "load command " + i + " cmdsize");
            // Each command advances by at least 8 bytes and stays inside sizeofcmds: the loop cannot spin.
            if (cmdsize < 8 || cmdsize > end - at) {
                throw in.malformed("load command " + i + " (cmd " + BoundedReader.hex(cmd) + ") has cmdsize "
                        + cmdsize + ", outside the " + sizeofcmds + " bytes of load commands");
            }
            if (cmd == LC_SYMTAB && cmdsize >= 24) {
                symoff = in.u32(at + 8, "symoff");
                nsyms = in.u32(at + 12, "nsyms");
                stroff = in.u32(at + 16, "stroff");
                strsize = in.u32(at + 20, "strsize");
            } else if ((cmd == LC_ID_DYLIB || cmd == LC_LOAD_DYLIB || cmd == LC_LOAD_WEAK_DYLIB
                    || cmd == LC_REEXPORT_DYLIB) && cmdsize >= 12) {
                // struct dylib_command: the name is an lc_str, an offset from the start of the command.
                String name = in.cstring(at + in.u32(at + 8, "dylib name offset"), at + cmdsize, "dylib name");
                if (cmd == LC_ID_DYLIB) {
                    installName = name;
                } else {
                    dylibs.add(name);
                }
            } else if (cmd == LC_BUILD_VERSION && cmdsize >= 16) {
                minOs = version(in.u32(at + 12, "minos"));
            } else if (cmd == LC_VERSION_MIN_MACOSX && cmdsize >= 12 && minOs == null) {
                minOs = version(in.u32(at + 8, "version"));
            }
            at += cmdsize;
        }

        Set<String> exports = new LinkedHashSet<>();
        if (symoff >= 0) {
            int entry = is64 ? 16 : 12;
            int count = in.requireTable(symoff, nsyms, entry, "symbol table (LC_SYMTAB)");
            in.require(stroff, strsize, "string table (LC_SYMTAB)");
            for (int i = 0; i < count; i++) {
                long sym = symoff + (long) i * entry;
                long strx = in.u32(sym, "n_strx");
                int type = in.u8(sym + 4, "n_type");
                if ((type & N_STAB) != 0 || (type & N_PEXT) != 0 || (type & N_EXT) == 0 || (type & N_TYPE) != N_SECT) {
                    continue;
                }
                if (strx >= strsize) {
                    throw in.malformed("symbol " + i + " name offset " + strx + " is past the string table ("
                            + strsize + " bytes)");
                }
                String name = in.cstring(stroff + strx, stroff + strsize, "symbol name");
                exports.add(name.startsWith("_") ? name.substring(1) : name);
            }
        }
        return new MachOFacts.Thin(is64, in.order() == ByteOrder.LITTLE_ENDIAN, cpuType, cpuSubtype, fileType, flags,
                installName, dylibs, minOs, symoff >= 0, exports);
    }

    /** X.Y.Z packed as xxxx.yy.zz in nibbles; a zero patch is left out ({@code 11.0}, {@code 10.13.4}). */
    static String version(long packed) {
        long major = packed >>> 16;
        long minor = (packed >>> 8) & 0xff;
        long patch = packed & 0xff;
        return major + "." + minor + (patch != 0 ? "." + patch : "");
    }

    /** Reads a universal file; {@code in} must be big-endian. */
    static MachOFacts.Fat parseFat(BoundedReader in) throws IOException {
        in.require(0, 8, "fat_header");
        long magic = in.u32(0, "fat magic");
        boolean fat64 = magic == MachOFacts.FAT_MAGIC_64;
        long count = in.u32(4, "nfat_arch");
        if (magic == MachOFacts.FAT_MAGIC && count > MAX_FAT_SLICES) {
            throw new IOException(in.source() + ": not an ELF, PE or Mach-O file (it starts with 0xcafebabe but"
                    + " declares " + count + " slices; it is probably a Java class file)");
        }
        if (count == 0) {
            throw in.malformed("the universal header lists no slices");
        }
        int entrySize = fat64 ? 32 : 20;
        int n = in.requireTable(8, count, entrySize, "fat_arch table");
        List<MachOFacts.Slice> slices = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long at = 8 + (long) i * entrySize;
            int cpuType = in.s32(at, "fat_arch cputype");
            int cpuSubtype = in.s32(at + 4, "fat_arch cpusubtype");
            long offset = fat64 ? in.u64(at + 8, "fat_arch offset") : in.u32(at + 8, "fat_arch offset");
            long size = fat64 ? in.u64(at + 16, "fat_arch size") : in.u32(at + 12, "fat_arch size");
            long align = in.u32(at + (fat64 ? 24 : 16), "fat_arch align");
            String name = MachOFacts.cpuTypeName(cpuType);
            if (align > 31) {
                throw in.malformed("slice " + i + " (" + name + ") has align 2^" + align);
            }
            if (offset < 8 + (long) n * entrySize) {
                throw in.malformed("slice " + i + " (" + name + ") at offset " + offset + " overlaps the fat header");
            }
            BoundedReader slice = in.slice(offset, size, "slice " + i + " (" + name + ")", "Mach-O slice " + name);
            if (size < 4 || !(isThinMagic(slice.withOrder(ByteOrder.LITTLE_ENDIAN).u32(0, "slice magic"))
                    || isThinMagic(slice.withOrder(ByteOrder.BIG_ENDIAN).u32(0, "slice magic")))) {
                throw in.malformed("slice " + i + " (" + name + ") at offset " + offset
                        + " is not a thin Mach-O image");
            }
            MachOFacts.Thin image = parseThin(slice);
            if (image.cpuType() != cpuType) {
                throw in.malformed("slice " + i + " is listed as " + name + " but its header says "
                        + MachOFacts.cpuTypeName(image.cpuType()));
            }
            slices.add(new MachOFacts.Slice(cpuType, cpuSubtype, offset, size, (int) align, image));
        }
        return new MachOFacts.Fat(fat64, slices);
    }
}
