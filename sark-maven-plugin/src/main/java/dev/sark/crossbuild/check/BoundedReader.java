package dev.sark.crossbuild.check;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked, endian-explicit reads from a file image held in memory.
 *
 * <p>Every offset and length is a {@code long} and is checked against the image size before it is used, so
 * a malformed or truncated file yields an {@link IOException} that names the file, the format and the
 * structure being read, never an {@link IndexOutOfBoundsException} or an arithmetic overflow. Unsigned
 * 64-bit values that do not fit in a signed {@code long} are rejected as well: no library SARK builds
 * comes anywhere near 2^63 bytes.
 */
final class BoundedReader {

    /** Longest NUL-terminated name read anywhere; real symbol and library names are far shorter. */
    static final int MAX_NAME_LENGTH = 64 * 1024;

    private final ByteBuffer buffer;
    private final long base;
    private final long size;
    private final String source;
    private final String format;

    /** A reader over the whole buffer, in the given byte order. */
    BoundedReader(ByteBuffer buffer, ByteOrder order, String source, String format) {
        this(buffer.duplicate().order(order), 0, buffer.capacity(), source, format);
    }

    private BoundedReader(ByteBuffer orderedBuffer, long base, long size, String source, String format) {
        this.buffer = orderedBuffer;
        this.base = base;
        this.size = size;
        this.source = source;
        this.format = format;
    }

    /** The same bytes read in another byte order (ELF and Mach-O declare theirs in the header). */
    BoundedReader withOrder(ByteOrder order) {
        return new BoundedReader(buffer.duplicate().order(order), base, size, source, format);
    }

    /** The same bytes described as another format, for messages. */
    BoundedReader as(String otherFormat) {
        return new BoundedReader(buffer, base, size, source, otherFormat);
    }

    /** A reader over {@code length} bytes at {@code offset} (a slice of a universal Mach-O file). */
    BoundedReader slice(long offset, long length, String what, String sliceFormat) throws IOException {
        require(offset, length, what);
        return new BoundedReader(buffer, base + offset, length, source, sliceFormat);
    }

    long size() {
        return size;
    }

    ByteOrder order() {
        return buffer.order();
    }

    String source() {
        return source;
    }

    /** An exception for a structural problem, naming the file and the format. */
    IOException malformed(String message) {
        return new IOException(source + ": malformed " + format + " file: " + message);
    }

    /** Checks that {@code length} bytes at {@code offset} lie inside the image. */
    void require(long offset, long length, String what) throws IOException {
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw new IOException(source + ": truncated or malformed " + format + " file: " + what + " at offset "
                    + hex(offset) + " (" + (length < 0 ? "a negative size" : length + " bytes")
                    + ") lies outside the file, which is " + size + " bytes long");
        }
    }

    /**
     * Checks that a table of {@code count} entries of {@code entrySize} bytes at {@code offset} lies inside the
     * image and returns the count as an int. The multiplication cannot overflow: the count is bounded by the
     * image size first, which is also what keeps every loop and every list bounded by the file length.
     */
    int requireTable(long offset, long count, long entrySize, String what) throws IOException {
        if (count < 0 || entrySize <= 0 || count > size / entrySize) {
            throw new IOException(source + ": truncated or malformed " + format + " file: " + what + " claims "
                    + Long.toUnsignedString(count) + " entries of " + entrySize + " bytes, more than the "
                    + size + "-byte file can hold");
        }
        require(offset, count * entrySize, what);
        return (int) count;
    }

    int u8(long offset, String what) throws IOException {
        require(offset, 1, what);
        return buffer.get(index(offset)) & 0xff;
    }

    int u16(long offset, String what) throws IOException {
        require(offset, 2, what);
        return buffer.getShort(index(offset)) & 0xffff;
    }

    long u32(long offset, String what) throws IOException {
        require(offset, 4, what);
        return buffer.getInt(index(offset)) & 0xffffffffL;
    }

    /** A 32-bit field kept as its raw bits (Mach-O cputypes are signed ints with flag bits on top). */
    int s32(long offset, String what) throws IOException {
        require(offset, 4, what);
        return buffer.getInt(index(offset));
    }

    /** An unsigned 64-bit field; values of 2^63 and above are rejected as malformed. */
    long u64(long offset, String what) throws IOException {
        require(offset, 8, what);
        long value = buffer.getLong(index(offset));
        if (value < 0) {
            throw malformed(what + " at offset " + hex(offset) + " is " + Long.toUnsignedString(value)
                    + ", too large for any real file");
        }
        return value;
    }

    /** A 64-bit field kept as its raw bits (ELF dynamic tags are signed). */
    long s64(long offset, String what) throws IOException {
        require(offset, 8, what);
        return buffer.getLong(index(offset));
    }

    /** An address-sized unsigned field: 32 bits in ELFCLASS32 / PE32, 64 bits otherwise. */
    long word(long offset, boolean is64, String what) throws IOException {
        return is64 ? u64(offset, what) : u32(offset, what);
    }

    /** Compares {@code length} bytes at {@code offset} with {@code expected}. */
    boolean startsWith(long offset, byte[] expected) {
        if (offset < 0 || offset > size - expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (buffer.get(index(offset + i)) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The NUL-terminated string at {@code offset}, which must end before {@code end} (the end of its string
     * table, exclusive) and be at most {@link #MAX_NAME_LENGTH} bytes long.
     */
    String cstring(long offset, long end, String what) throws IOException {
        long limit = Math.min(end, size);
        if (offset < 0 || offset >= limit) {
            throw malformed(what + " at offset " + hex(offset) + " lies outside its string table (which ends at "
                    + hex(limit) + ")");
        }
        long max = Math.min(limit, offset + MAX_NAME_LENGTH + 1);
        for (long p = offset; p < max; p++) {
            if (buffer.get(index(p)) == 0) {
                byte[] bytes = new byte[(int) (p - offset)];
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = buffer.get(index(offset + i));
                }
                // Names are ASCII in practice; UTF-8 decoding replaces malformed bytes instead of throwing.
                return new String(bytes, StandardCharsets.UTF_8);
            }
        }
        if (max < limit) {
            throw malformed(what + " at offset " + hex(offset) + " is longer than " + MAX_NAME_LENGTH + " bytes");
        }
        throw malformed(what + " at offset " + hex(offset) + " has no terminating NUL before the end of its"
                + " string table (" + hex(limit) + ")");
    }

    /** The bytes of the whole image, copied (used only for small headers and by the fat writer). */
    byte[] bytes(long offset, int length, String what) throws IOException {
        require(offset, length, what);
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = buffer.get(index(offset + i));
        }
        return out;
    }

    private int index(long offset) {
        // Callers have checked 0 <= offset < size, and base + size <= capacity, an int.
        return (int) (base + offset);
    }

    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
