package dev.sark.crossbuild.check;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a produced native library says about itself in its headers: enough to tell whether it was built for
 * the target it is about to be packaged for. One implementation per object format; {@link #read(Path)} sniffs
 * the magic number and picks the reader.
 *
 * <p>The readers use no external library and never trust a count or an offset in the file: every table
 * is bounded by the file length before it is read, and anything malformed or truncated is reported as an
 * {@link IOException} naming the file and the structure that is wrong.
 */
public sealed interface BinaryFacts permits ElfFacts, PeFacts, MachOFacts {

    /** Largest file read: the image is held in one array, and no library comes near this. */
    long MAX_FILE_SIZE = Integer.MAX_VALUE - 64;

    /** The object format, as a person would name it: "ELF", "PE/COFF", "Mach-O", "universal Mach-O". */
    String formatName();

    /** One line for logs and {@code sark:doctor}, e.g. {@code ELF 64-bit LSB EM_X86_64 (62), needs GLIBC_2.34}. */
    String summary();

    /**
     * The oldest platform the library asks for, as the build summary shows it: {@code glibc 2.17}, {@code musl},
     * {@code macOS 10.12}, {@code Windows 10} (or {@code Windows subsystem 6.0}), {@code FreeBSD 12}. Read from
     * the file alone; what the target allows is {@link LibraryVerifier}'s business.
     */
    String platformRequirement();

    /**
     * Reads the facts of a library file.
     *
     * @throws IOException when the file cannot be read, is not an ELF, PE or Mach-O file, or is malformed
     */
    static BinaryFacts read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_SIZE) {
            throw new IOException(file + ": " + size + " bytes is too large to be a native library");
        }
        return parse(Files.readAllBytes(file), file.toString());
    }

    /**
     * Reads the facts of a library image held in memory; {@code source} names it in messages.
     *
     * @throws IOException when the bytes are not an ELF, PE or Mach-O file, or are malformed
     */
    static BinaryFacts parse(byte[] image, String source) throws IOException {
        try {
            return Sniffer.sniff(ByteBuffer.wrap(image), source);
        } catch (RuntimeException bug) {
            // The readers check every bound themselves; this only keeps the promise of the API (an
            // IOException for any bad input) should a check have been missed.
            throw new IOException(source + ": malformed file (" + bug + ")", bug);
        }
    }
}
