package dev.sark.crossbuild.check;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Hand-made binaries that follow the format specifications, for what this machine cannot compile: big-endian
 * and other foreign ELF files, Mach-O images and PE files for machines without a cross compiler.
 */
final class Fixtures {
    private Fixtures() {
    }

    /** A byte sink with an explicit byte order. */
    static final class Out {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final ByteOrder order;

        Out(ByteOrder order) {
            this.order = order;
        }

        int position() {
            return bytes.size();
        }

        Out u8(int v) {
            bytes.write(v);
            return this;
        }

        Out u16(int v) {
            return put(ByteBuffer.allocate(2).order(order).putShort((short) v).array());
        }

        Out u32(long v) {
            return put(ByteBuffer.allocate(4).order(order).putInt((int) v).array());
        }

        Out u64(long v) {
            return put(ByteBuffer.allocate(8).order(order).putLong(v).array());
        }

        Out word(long v, boolean is64) {
            return is64 ? u64(v) : u32(v);
        }

        Out put(byte[] b) {
            bytes.write(b, 0, b.length);
            return this;
        }

        Out zeros(int n) {
            return put(new byte[n]);
        }

        Out alignTo(int n) {
            while (bytes.size() % n != 0) {
                bytes.write(0);
            }
            return this;
        }

        byte[] toBytes() {
            return bytes.toByteArray();
        }
    }

    /** A NUL-separated string table that remembers where each string went. */
    static final class Strings {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final Map<String, Integer> offsets = new LinkedHashMap<>();

        Strings() {
            bytes.write(0); // offset 0 is the empty string
        }

        int add(String s) {
            return offsets.computeIfAbsent(s, k -> {
                int at = bytes.size();
                byte[] b = k.getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
                bytes.write(0);
                return at;
            });
        }

        byte[] toBytes() {
            return bytes.toByteArray();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // ELF

    /** A shared object description; build() lays it out as a real linker would (one PT_LOAD, PT_DYNAMIC). */
    static final class Elf {
        boolean is64 = true;
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        int type = ElfFacts.ET_DYN;
        int machine = ElfFacts.EM_X86_64;
        long flags;
        int osAbi;
        String interpreter;
        List<String> needed = new ArrayList<>();
        Map<String, List<String>> versions = new LinkedHashMap<>();
        List<String> exports = new ArrayList<>();
        List<String> imports = new ArrayList<>();
        /** Write section headers (.dynstr, .dynsym, .gnu.version_r, .dynamic); otherwise only program headers. */
        boolean sections = true;
        /** Use DT_GNU_HASH (as modern linkers do) instead of DT_HASH. */
        boolean gnuHash = true;
        /** Contents of a PT_NOTE segment (4-byte aligned), or null for none. */
        byte[] note;
        /** Virtual address of file offset 0: a non-zero base checks that addresses are mapped, not used as offsets. */
        long base = 0x10000;

        Elf machine(int m, boolean sixtyFour, ByteOrder byteOrder) {
            this.machine = m;
            this.is64 = sixtyFour;
            this.order = byteOrder;
            return this;
        }

        Elf needs(String library, String... versionNames) {
            needed.add(library);
            if (versionNames.length > 0) {
                versions.put(library, List.of(versionNames));
            }
            return this;
        }

        Elf exports(String... names) {
            exports.addAll(List.of(names));
            return this;
        }

        byte[] build() {
            Strings dynstr = new Strings();
            needed.forEach(dynstr::add);
            versions.values().forEach(v -> v.forEach(dynstr::add));
            exports.forEach(dynstr::add);
            imports.forEach(dynstr::add);
            int ehsize = is64 ? 64 : 52;
            int phentsize = is64 ? 56 : 32;
            int shentsize = is64 ? 64 : 40;
            int symsize = is64 ? 24 : 16;
            int dynsize = is64 ? 16 : 8;
            int phnum = (interpreter != null ? 3 : 2) + (note != null ? 1 : 0);

            // Offsets of each part, in file order.
            int phoff = ehsize;
            int interpOff = phoff + phnum * phentsize;
            byte[] interp = interpreter == null ? new byte[0] : (interpreter + "\0").getBytes(StandardCharsets.UTF_8);
            int noteOff = align(interpOff + interp.length, 4);
            byte[] noteBytes = note == null ? new byte[0] : note;
            int dynstrOff = align(noteOff + noteBytes.length, 8);
            byte[] strings = dynstr.toBytes();
            int dynsymOff = align(dynstrOff + strings.length, 8);
            int nsyms = 1 + imports.size() + exports.size(); // undefined ones first, as GNU hash requires
            int hashOff = dynsymOff + nsyms * symsize;
            byte[] hash = gnuHash ? gnuHashTable(nsyms, 1 + imports.size()) : sysvHashTable(nsyms);
            int verneedOff = align(hashOff + hash.length, 8);
            int verneedCount = versions.size();
            int auxTotal = versions.values().stream().mapToInt(List::size).sum();
            int verneedSize = 16 * (verneedCount + auxTotal);
            int dynamicOff = align(verneedOff + verneedSize, 8);
            int dynCount = needed.size() + 5 + (verneedCount > 0 ? 2 : 0) + 1;
            int shoff = align(dynamicOff + dynCount * dynsize, 8);
            int shnum = sections ? 5 : 0;
            int fileSize = shoff + shnum * shentsize;

            Out o = new Out(order);
            // e_ident
            o.put(new byte[] {0x7f, 'E', 'L', 'F'}).u8(is64 ? 2 : 1).u8(order == ByteOrder.LITTLE_ENDIAN ? 1 : 2)
                    .u8(1).u8(osAbi).zeros(8);
            o.u16(type).u16(machine).u32(1).word(0, is64).word(phoff, is64).word(sections ? shoff : 0, is64)
                    .u32(flags).u16(ehsize).u16(phentsize).u16(phnum).u16(shentsize).u16(shnum).u16(0);
            // Program headers: PT_LOAD of the whole file, PT_INTERP, PT_DYNAMIC.
            phdr(o, 1, 0, fileSize);
            if (interpreter != null) {
                phdr(o, 3, interpOff, interp.length);
            }
            phdr(o, 2, dynamicOff, dynCount * dynsize);
            if (note != null) {
                phdr(o, 4, noteOff, noteBytes.length, 4);
            }
            o.put(interp).alignTo(4);
            o.put(noteBytes).alignTo(8);
            o.put(strings).alignTo(8);
            // Symbols: the reserved null symbol, undefined imports, then defined exports.
            o.zeros(symsize);
            for (String name : imports) {
                sym(o, dynstr.add(name), 0x12, 0);
            }
            for (String name : exports) {
                sym(o, dynstr.add(name), 0x12, 7); // STB_GLOBAL STT_FUNC in section 7
            }
            o.put(hash).alignTo(8);
            // .gnu.version_r: each Elf_Verneed followed by its Elf_Vernaux entries.
            int i = 0;
            for (Map.Entry<String, List<String>> e : versions.entrySet()) {
                int aux = e.getValue().size();
                boolean last = ++i == verneedCount;
                o.u16(1).u16(aux).u32(dynstr.add(e.getKey())).u32(16).u32(last ? 0 : 16 * (1 + aux));
                for (int j = 0; j < aux; j++) {
                    String v = e.getValue().get(j);
                    o.u32(elfHash(v)).u16(0).u16(2 + j).u32(dynstr.add(v)).u32(j == aux - 1 ? 0 : 16);
                }
            }
            o.alignTo(8);
            // Dynamic table, addresses as the loader sees them (base + offset).
            for (String n : needed) {
                dyn(o, 1, dynstr.add(n));
            }
            dyn(o, 5, base + dynstrOff);
            dyn(o, 10, strings.length);
            dyn(o, 6, base + dynsymOff);
            dyn(o, 11, symsize);
            dyn(o, gnuHash ? 0x6ffffef5L : 4, base + hashOff);
            if (verneedCount > 0) {
                dyn(o, 0x6ffffffeL, base + verneedOff);
                dyn(o, 0x6fffffffL, verneedCount);
            }
            dyn(o, 0, 0);
            o.alignTo(8);
            if (sections) {
                o.zeros(shentsize); // section 0
                shdr(o, 3, 2, base + dynstrOff, dynstrOff, strings.length, 0, 0, 0); // 1 .dynstr
                shdr(o, 11, 2, base + dynsymOff, dynsymOff, (long) nsyms * symsize, 1, 1, symsize); // 2 .dynsym
                shdr(o, 0x6ffffffeL, 2, base + verneedOff, verneedOff, verneedSize, 1, verneedCount, 0); // 3
                shdr(o, 6, 3, base + dynamicOff, dynamicOff, (long) dynCount * dynsize, 1, 0, dynsize); // 4
            }
            byte[] image = o.toBytes();
            if (image.length != fileSize) {
                throw new IllegalStateException("layout error: " + image.length + " != " + fileSize);
            }
            return image;
        }

        private void phdr(Out o, int ptype, long offset, long size) {
            phdr(o, ptype, offset, size, is64 ? 8 : 4);
        }

        private void phdr(Out o, int ptype, long offset, long size, long align) {
            if (is64) {
                o.u32(ptype).u32(4).u64(offset).u64(base + offset).u64(base + offset).u64(size).u64(size).u64(align);
            } else {
                o.u32(ptype).u32(offset).u32(base + offset).u32(base + offset).u32(size).u32(size).u32(4).u32(align);
            }
        }

        private void sym(Out o, int name, int info, int shndx) {
            long value = shndx == 0 ? 0 : base + 0x100;
            if (is64) {
                o.u32(name).u8(info).u8(0).u16(shndx).u64(value).u64(shndx == 0 ? 0 : 4);
            } else {
                o.u32(name).u32(value).u32(shndx == 0 ? 0 : 4).u8(info).u8(0).u16(shndx);
            }
        }

        private void dyn(Out o, long tag, long value) {
            o.word(tag, is64).word(value, is64);
        }

        private void shdr(Out o, long type, long flags, long addr, long offset, long size, int link, int info,
                          long entsize) {
            o.u32(0).u32(type).word(flags, is64).word(addr, is64).word(offset, is64).word(size, is64)
                    .u32(link).u32(info).word(8, is64).word(entsize, is64);
        }

        private byte[] sysvHashTable(int nsyms) {
            Out o = new Out(order);
            o.u32(1).u32(nsyms).u32(nsyms > 1 ? 1 : 0); // one bucket, chain through all symbols
            for (int i = 0; i < nsyms; i++) {
                o.u32(i + 1 < nsyms && i > 0 ? i + 1 : 0);
            }
            return o.toBytes();
        }

        /** One bucket holding every defined symbol (from {@code first} on), bloom filter that says "maybe". */
        private byte[] gnuHashTable(int nsyms, int first) {
            Out o = new Out(order);
            o.u32(1).u32(first).u32(1).u32(6);
            o.word(-1L, is64);
            o.u32(first < nsyms ? first : 0);
            List<String> names = new ArrayList<>(exports);
            for (int i = first; i < nsyms; i++) {
                long h = gnuHash(names.get(i - first)) & ~1L;
                o.u32(i == nsyms - 1 ? h | 1 : h);
            }
            return o.toBytes();
        }
    }

    static int align(int value, int unit) {
        return (value + unit - 1) / unit * unit;
    }

    static long gnuHash(String name) {
        long h = 5381;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h * 33 + (b & 0xff)) & 0xffffffffL;
        }
        return h;
    }

    static long elfHash(String name) {
        long h = 0;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h << 4) + (b & 0xff);
            long g = h & 0xf0000000L;
            if (g != 0) {
                h ^= g >>> 24;
            }
            h &= ~g & 0xffffffffL;
        }
        return h;
    }

    // ------------------------------------------------------------------------------------------------
    // Mach-O

    /**
     * A thin 64-bit little-endian Mach-O image: mach_header_64, LC_ID_DYLIB, LC_BUILD_VERSION (macOS), LC_SYMTAB,
     * then nlist_64 entries (the exports, defined in section 1, and an undefined {@code _malloc}), the string
     * table and {@code padding} bytes of "code" so that slices have a realistic size.
     */
    static byte[] machO(int cpuType, int cpuSubtype, int fileType, String installName, List<String> exports,
                        int padding) {
        return machO(cpuType, cpuSubtype, fileType, installName, exports, padding, 0);
    }

    /** As above with LC_BUILD_VERSION's minos packed as xxxx.yy.zz ({@code 0x000d0000} is 13.0); 0 for the default. */
    static byte[] machO(int cpuType, int cpuSubtype, int fileType, String installName, List<String> exports,
                        int padding, int minos) {
        Out o = new Out(ByteOrder.LITTLE_ENDIAN);
        byte[] name = (installName + "\0").getBytes(StandardCharsets.UTF_8);
        int idSize = align(24 + name.length, 8);
        int sizeofcmds = idSize + 24 + 24;
        int symoff = 32 + sizeofcmds;
        List<String> symbols = new ArrayList<>(new TreeSet<>(exports));
        symbols.add("malloc");
        Strings strings = new Strings();
        symbols.forEach(s -> strings.add("_" + s));
        byte[] strtab = strings.toBytes();
        int stroff = symoff + 16 * symbols.size();

        o.u32(MachOFacts.MH_MAGIC_64).u32(cpuType).u32(cpuSubtype).u32(fileType).u32(3).u32(sizeofcmds)
                .u32(0x00100085).u32(0);
        o.u32(0xd).u32(idSize).u32(24).u32(2).u32(0x10000).u32(0x10000).put(name);
        o.alignTo(8);
        // LC_BUILD_VERSION: macOS, minos Rust's default for the CPU (10.12 on x86_64, else 11.0), sdk 12.0
        o.u32(0x32).u32(24).u32(1).u32(minos != 0 ? minos : cpuType == MachOFacts.CPU_TYPE_X86_64 ? 0x000a0c00 : 0x000b0000)
                .u32(0x000c0000).u32(0);
        o.u32(0x2).u32(24).u32(symoff).u32(symbols.size()).u32(stroff).u32(strtab.length);
        for (String s : symbols) {
            boolean defined = !s.equals("malloc");
            o.u32(strings.add("_" + s)).u8(defined ? 0x0f : 0x01).u8(defined ? 1 : 0).u16(0)
                    .u64(defined ? 0x4000 : 0);
        }
        o.put(strtab);
        byte[] code = new byte[padding];
        for (int i = 0; i < padding; i++) {
            code[i] = (byte) (i * 31 + cpuType);
        }
        o.put(code);
        return o.toBytes();
    }

    static byte[] machODylib(int cpuType, String... exports) {
        return machO(cpuType, cpuType == MachOFacts.CPU_TYPE_X86_64 ? 3 : 0, MachOFacts.MH_DYLIB,
                "@rpath/libsark_test.dylib", List.of(exports), 5000);
    }

    // ------------------------------------------------------------------------------------------------
    // PE

    /**
     * A PE image with one section {@code .edata} holding the export directory: MS-DOS header with e_lfanew 0x40,
     * PE signature, COFF header, PE32+ or PE32 optional header with 16 data directories, section table, and
     * the section at file offset 0x200, RVA 0x1000.
     */
    static byte[] pe(int machine, boolean pe32Plus, boolean dll, String dllName, List<String> exports) {
        List<String> names = new ArrayList<>(new TreeSet<>(exports)); // the name table is sorted
        int rva = 0x1000;
        // .edata content: directory, address table, name pointers, ordinals, DLL name, names.
        int functionsAt = 40;
        int namesAt = functionsAt + 4 * names.size();
        int ordinalsAt = namesAt + 4 * names.size();
        int stringsAt = ordinalsAt + 2 * names.size();
        Out strings = new Out(ByteOrder.LITTLE_ENDIAN);
        List<Integer> nameOffsets = new ArrayList<>();
        strings.put((dllName + "\0").getBytes(StandardCharsets.US_ASCII));
        for (String n : names) {
            nameOffsets.add(strings.position());
            strings.put((n + "\0").getBytes(StandardCharsets.US_ASCII));
        }
        Out edata = new Out(ByteOrder.LITTLE_ENDIAN);
        edata.u32(0).u32(0).u16(0).u16(0).u32(rva + stringsAt).u32(1).u32(names.size()).u32(names.size())
                .u32(rva + functionsAt).u32(rva + namesAt).u32(rva + ordinalsAt);
        for (int i = 0; i < names.size(); i++) {
            edata.u32(0x2000 + 16 * i); // code RVAs (in a section not present; never followed)
        }
        for (int off : nameOffsets) {
            edata.u32(rva + stringsAt + off);
        }
        for (int i = 0; i < names.size(); i++) {
            edata.u16(i);
        }
        edata.put(strings.toBytes());
        byte[] section = edata.toBytes();
        int rawSize = align(Math.max(section.length, 1), 0x200);

        int optionalSize = pe32Plus ? 240 : 224;
        Out o = new Out(ByteOrder.LITTLE_ENDIAN);
        o.put(new byte[] {'M', 'Z'}).zeros(0x3c - 2).u32(0x40);
        o.put(new byte[] {'P', 'E', 0, 0});
        o.u16(machine).u16(1).u32(0).u32(0).u32(0).u16(optionalSize)
                .u16(0x0002 | (pe32Plus ? 0x0020 : 0x0100) | (dll ? 0x2000 : 0));
        int optionalStart = o.position();
        o.u16(pe32Plus ? 0x20b : 0x10b).u8(14).u8(0).u32(rawSize).u32(0).u32(0).u32(0).u32(0x1000);
        if (pe32Plus) {
            o.u64(0x180000000L);
        } else {
            o.u32(0x1000).u32(0x10000000);
        }
        o.u32(0x1000).u32(0x200).u16(6).u16(0).u16(0).u16(0).u16(6).u16(0).u32(0)
                .u32(0x2000).u32(0x200).u32(0).u16(3).u16(0x160);
        if (pe32Plus) {
            o.u64(0x100000).u64(0x1000).u64(0x100000).u64(0x1000);
        } else {
            o.u32(0x100000).u32(0x1000).u32(0x100000).u32(0x1000);
        }
        o.u32(0).u32(16);
        o.u32(names.isEmpty() && dllName == null ? 0 : rva).u32(section.length); // export directory
        o.zeros(15 * 8);
        if (o.position() - optionalStart != optionalSize) {
            throw new IllegalStateException("optional header is " + (o.position() - optionalStart) + " bytes");
        }
        o.put(".edata\0\0".getBytes(StandardCharsets.US_ASCII)).u32(section.length).u32(rva).u32(rawSize)
                .u32(0x200).u32(0).u32(0).u16(0).u16(0).u32(0x40000040);
        o.alignTo(0x200);
        o.put(section);
        o.alignTo(0x200);
        return o.toBytes();
    }
}
