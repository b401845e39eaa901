package dev.sark.crossbuild.check;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a universal (fat) Mach-O file from thin images, as {@code lipo -create} does, so that a
 * {@code universal2-apple-darwin} library can be assembled on any build machine.
 *
 * <p>Layout: a big-endian {@code fat_header} (FAT_MAGIC 0xcafebabe, nfat_arch), one 20-byte
 * {@code fat_arch} per slice (cputype, cpusubtype, offset, size, align), then each slice at an offset that
 * is a multiple of 2^align. Like lipo, ARM slices are aligned to 2^14 (16 KiB, the arm64 page size) and
 * others to 2^12 (4 KiB), and slices are laid out by increasing alignment (x86_64 before arm64), which keeps
 * the padding small.
 */
public final class FatMachOWriter {

    /** Alignment (as a power of two) of ARM slices: 16 KiB pages. */
    public static final int ARM_ALIGN = 14;
    /** Alignment (as a power of two) of other slices: 4 KiB pages. */
    public static final int DEFAULT_ALIGN = 12;

    private static final int FAT_HEADER_SIZE = 8;
    private static final int FAT_ARCH_SIZE = 20;

    private FatMachOWriter() {
    }

    /** One input: its path, bytes and facts, and where it goes. */
    private static final class Input {
        final Path path;
        final byte[] bytes;
        final MachOFacts.Thin facts;
        final int align;
        long offset;

        Input(Path path, byte[] bytes, MachOFacts.Thin facts) {
            this.path = path;
            this.bytes = bytes;
            this.facts = facts;
            this.align = (facts.cpuType() & 0xff) == MachOFacts.CPU_TYPE_ARM ? ARM_ALIGN : DEFAULT_ALIGN;
        }
    }

    /**
     * Writes {@code out} from thin Mach-O images (replacing it atomically where the file system allows) and
     * returns the facts of the written file, read back.
     *
     * @throws IOException when there is no input, an input is not a thin Mach-O image (ELF, PE, another
     *                     universal file, garbage), two inputs have the same CPU type, the result would not fit
     *                     32-bit offsets, or writing fails
     */
    public static MachOFacts.Fat write(Path out, List<Path> thinSlices) throws IOException {
        if (thinSlices == null || thinSlices.isEmpty()) {
            throw new IOException("cannot write universal library " + out + ": no thin slices given");
        }
        List<Input> inputs = new ArrayList<>();
        Map<Integer, Path> byCpu = new HashMap<>();
        for (Path path : thinSlices) {
            long size = Files.size(path);
            if (size > BinaryFacts.MAX_FILE_SIZE) {
                throw new IOException(path + ": " + size + " bytes is too large to be a native library");
            }
            byte[] bytes = Files.readAllBytes(path);
            BinaryFacts facts = BinaryFacts.parse(bytes, path.toString());
            if (!(facts instanceof MachOFacts.Thin)) {
                String what = facts instanceof MachOFacts.Fat ? "already a universal file (" + facts.summary() + ")"
                        : (facts instanceof ElfFacts ? "an " : "a ") + facts.formatName() + " file";
                throw new IOException(path + " is " + what + ", not a thin Mach-O image; a universal library is made"
                        + " from thin x86_64 and arm64 libraries");
            }
            Input input = new Input(path, bytes, (MachOFacts.Thin) facts);
            Path other = byCpu.putIfAbsent(input.facts.cpuType(), path);
            if (other != null) {
                throw new IOException(other + " and " + path + " are both "
                        + MachOFacts.cpuTypeName(input.facts.cpuType()) + " images; a universal file holds one slice"
                        + " per CPU type");
            }
            inputs.add(input);
        }
        // Increasing alignment, then CPU type, so that the output does not depend on the order of the inputs.
        inputs.sort(Comparator.<Input>comparingInt(i -> i.align).thenComparingInt(i -> i.facts.cpuType()));

        long position = FAT_HEADER_SIZE + (long) FAT_ARCH_SIZE * inputs.size();
        for (Input input : inputs) {
            input.offset = alignUp(position, input.align);
            position = input.offset + input.bytes.length;
            if (position > 0xffffffffL) {
                throw new IOException("cannot write universal library " + out + ": " + position
                        + " bytes do not fit the 32-bit offsets of a fat header");
            }
        }

        ByteBuffer header = ByteBuffer.allocate(FAT_HEADER_SIZE + FAT_ARCH_SIZE * inputs.size())
                .order(ByteOrder.BIG_ENDIAN);
        header.putInt((int) MachOFacts.FAT_MAGIC).putInt(inputs.size());
        for (Input input : inputs) {
            header.putInt(input.facts.cpuType())
                    .putInt(input.facts.cpuSubtype())
                    .putInt((int) input.offset)
                    .putInt(input.bytes.length)
                    .putInt(input.align);
        }

        Path target = out.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(temp)) {
                os.write(header.array());
                long written = header.capacity();
                for (Input input : inputs) {
                    writeZeros(os, input.offset - written);
                    os.write(input.bytes);
                    written = input.offset + input.bytes.length;
                }
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }

        BinaryFacts written = BinaryFacts.read(target);
        if (!(written instanceof MachOFacts.Fat)) {
            throw new IOException(target + ": the universal file just written reads back as " + written.summary());
        }
        return (MachOFacts.Fat) written;
    }

    private static long alignUp(long value, int log2) {
        long unit = 1L << log2;
        return (value + unit - 1) & -unit;
    }

    private static void writeZeros(OutputStream os, long count) throws IOException {
        byte[] zeros = new byte[(int) Math.min(count, 1 << 14)];
        for (long left = count; left > 0; left -= zeros.length) {
            os.write(zeros, 0, (int) Math.min(zeros.length, left));
        }
    }
}
