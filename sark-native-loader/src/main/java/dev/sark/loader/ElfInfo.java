package dev.sark.loader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The few facts of an ELF file the loader needs: the program interpreter ({@code PT_INTERP}, which names
 * the C library's dynamic loader) and the header flags (which carry the 32-bit ARM float ABI).
 *
 * <p>Read by hand instead of running {@code ldd} or {@code getconf}: the loader must not spawn processes
 * (slow, and forbidden in some sandboxes), and only the header and program headers are needed.
 * Any malformed input ends in an {@link IOException} that says what is wrong, never in another exception,
 * because callers fall back to a default when detection fails.
 */
final class ElfInfo {

    static final int EM_ARM = 40;
    /** ARM EABI: the executable uses the hard-float calling convention. */
    static final int EF_ARM_ABI_FLOAT_HARD = 0x400;

    private static final int PT_INTERP = 3;
    /** Interpreter paths are short; a huge size means a corrupt or hostile file. */
    private static final int MAX_INTERP = 4096;
    /** PN_XNUM and above means the real count is elsewhere; executables never need that many. */
    private static final int MAX_PHNUM = 0xfff0;

    private final boolean is64;
    private final boolean bigEndian;
    private final int machine;
    private final int flags;
    private final String interpreter;

    private ElfInfo(boolean is64, boolean bigEndian, int machine, int flags, String interpreter) {
        this.is64 = is64;
        this.bigEndian = bigEndian;
        this.machine = machine;
        this.flags = flags;
        this.interpreter = interpreter;
    }

    /** Random access to the bytes of a file; lets tests use byte arrays and production use a channel. */
    interface Source {
        /** Reads up to {@code dst.remaining()} bytes at {@code position}; returns -1 at the end. */
        int read(ByteBuffer dst, long position) throws IOException;
    }

    static ElfInfo read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return parse(ch::read, file.toString());
        }
    }

    static ElfInfo parse(byte[] bytes) throws IOException {
        return parse((dst, pos) -> {
            if (pos >= bytes.length) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), bytes.length - pos);
            dst.put(bytes, (int) pos, n);
            return n;
        }, "byte array");
    }

    static ElfInfo parse(Source src, String name) throws IOException {
        ByteBuffer ident = readFully(src, 0, 16, name, "ELF identification");
        if (ident.get(0) != 0x7f || ident.get(1) != 'E' || ident.get(2) != 'L' || ident.get(3) != 'F') {
            throw new IOException(name + " is not an ELF file (bad magic number)");
        }
        int elfClass = ident.get(4);
        int data = ident.get(5);
        if (elfClass != 1 && elfClass != 2) {
            throw new IOException(name + ": unknown ELF class " + elfClass);
        }
        if (data != 1 && data != 2) {
            throw new IOException(name + ": unknown ELF data encoding " + data);
        }
        boolean is64 = elfClass == 2;
        ByteOrder order = data == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;

        // Header after e_ident: e_type(2) e_machine(2) e_version(4) e_entry e_phoff e_shoff (word size),
        // e_flags(4) e_ehsize(2) e_phentsize(2) e_phnum(2) ...
        int headerSize = is64 ? 64 : 52;
        ByteBuffer h = readFully(src, 0, headerSize, name, "ELF header").order(order);
        int machine = Short.toUnsignedInt(h.getShort(18));
        long phoff = is64 ? h.getLong(32) : Integer.toUnsignedLong(h.getInt(28));
        int flags = h.getInt(is64 ? 48 : 36);
        int phentsize = Short.toUnsignedInt(h.getShort(is64 ? 54 : 42));
        int phnum = Short.toUnsignedInt(h.getShort(is64 ? 56 : 44));

        String interpreter = null;
        if (phnum > 0) {
            int minEntry = is64 ? 56 : 32;
            if (phentsize < minEntry) {
                throw new IOException(name + ": program header entry size " + phentsize + " is smaller than " + minEntry);
            }
            if (phnum >= MAX_PHNUM) {
                throw new IOException(name + ": implausible program header count " + phnum);
            }
            for (int i = 0; i < phnum; i++) {
                long at = phoff + (long) i * phentsize;
                ByteBuffer ph = readFully(src, at, minEntry, name, "program header " + i).order(order);
                if (ph.getInt(0) != PT_INTERP) {
                    continue;
                }
                long offset = is64 ? ph.getLong(8) : Integer.toUnsignedLong(ph.getInt(4));
                long size = is64 ? ph.getLong(32) : Integer.toUnsignedLong(ph.getInt(16));
                if (size <= 0 || size > MAX_INTERP) {
                    throw new IOException(name + ": PT_INTERP segment has implausible size " + Long.toUnsignedString(size));
                }
                interpreter = cString(readFully(src, offset, (int) size, name, "PT_INTERP segment"));
                break;
            }
        }
        return new ElfInfo(is64, order == ByteOrder.BIG_ENDIAN, machine, flags, interpreter);
    }

    private static ByteBuffer readFully(Source src, long position, int length, String name, String what) throws IOException {
        // Offsets come from the file; wrap-around would turn into an IllegalArgumentException in FileChannel.
        if (position < 0 || position > Long.MAX_VALUE - length) {
            throw new IOException(name + ": " + what + " lies at an impossible offset " + Long.toUnsignedString(position));
        }
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            int n = src.read(buf, position + buf.position());
            if (n < 0) {
                throw new IOException(name + " is truncated: " + what + " needs " + length + " bytes at offset "
                        + position + ", file ends earlier");
            }
        }
        return buf.flip();
    }

    /** The segment holds a NUL-terminated path; bytes after the NUL, if any, are padding. */
    private static String cString(ByteBuffer b) {
        int len = 0;
        while (len < b.limit() && b.get(len) != 0) {
            len++;
        }
        return new String(b.array(), 0, len, StandardCharsets.ISO_8859_1);
    }

    boolean is64Bit() {
        return is64;
    }

    boolean isBigEndian() {
        return bigEndian;
    }

    int machine() {
        return machine;
    }

    int flags() {
        return flags;
    }

    /** The dynamic loader path, empty for static executables. */
    Optional<String> interpreter() {
        return Optional.ofNullable(interpreter);
    }

    /** musl's loader is always named ld-musl-ARCH.so.1, glibc's never contains "musl". */
    boolean isMusl() {
        return interpreter != null && interpreter.contains("ld-musl");
    }

    /**
     * Whether a 32-bit ARM executable uses the hard-float ABI: the EABI flag, or the loader name
     * ({@code ld-linux-armhf.so.3}, {@code ld-musl-armhf.so.1}) for toolchains that leave the flag unset.
     */
    boolean isArmHardFloat() {
        return (flags & EF_ARM_ABI_FLOAT_HARD) != 0 || (interpreter != null && interpreter.contains("armhf"));
    }
}
