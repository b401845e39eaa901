package dev.sark.crossbuild.check;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Recognises the object format from the first bytes of a file and hands the image to its reader. */
final class Sniffer {
    private Sniffer() {
    }

    /** Dispatches on the magic number. Unguarded, so that tests see any runtime exception a reader lets slip. */
    static BinaryFacts sniff(ByteBuffer image, String source) throws IOException {
        BoundedReader in = new BoundedReader(image, ByteOrder.LITTLE_ENDIAN, source, "binary");
        long size = in.size();
        if (size == 0) {
            throw new IOException(source + ": the file is empty: not an ELF, PE or Mach-O file");
        }
        if (in.startsWith(0, ElfFacts.MAGIC)) {
            return ElfFacts.parse(in.as("ELF"));
        }
        if (in.startsWith(0, PeFacts.MZ)) {
            return PeFacts.parse(in.as("PE"));
        }
        if (size >= 4) {
            long littleEndian = in.u32(0, "magic number");
            long bigEndian = in.withOrder(ByteOrder.BIG_ENDIAN).u32(0, "magic number");
            if (MachOReader.isThinMagic(littleEndian) || MachOReader.isThinMagic(bigEndian)) {
                return MachOReader.parseThin(in.as("Mach-O"));
            }
            if (bigEndian == MachOFacts.FAT_MAGIC || bigEndian == MachOFacts.FAT_MAGIC_64) {
                return MachOReader.parseFat(in.withOrder(ByteOrder.BIG_ENDIAN).as("universal Mach-O"));
            }
        }
        if (in.startsWith(0, "!<arch>\n".getBytes(StandardCharsets.US_ASCII))) {
            throw new IOException(source + ": is an ar archive (a static library such as .a or .lib), not an ELF,"
                    + " PE or Mach-O shared library; is the crate's crate-type \"cdylib\"?");
        }
        StringBuilder start = new StringBuilder();
        for (int i = 0; i < Math.min(8, size); i++) {
            start.append(i == 0 ? "" : " ").append(String.format("%02x", in.u8(i, "magic number")));
        }
        throw new IOException(source + ": not an ELF, PE or Mach-O file (it starts with " + start + ")");
    }
}
