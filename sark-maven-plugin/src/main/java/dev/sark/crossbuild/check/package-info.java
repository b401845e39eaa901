/**
 * Checks of produced native libraries before they are packaged (design section 4): readers for ELF
 * ({@link dev.sark.crossbuild.check.ElfFacts}), PE/COFF ({@link dev.sark.crossbuild.check.PeFacts}) and Mach-O
 * ({@link dev.sark.crossbuild.check.MachOFacts}) headers, chosen by {@link dev.sark.crossbuild.check.BinaryFacts#read},
 * the {@link dev.sark.crossbuild.check.LibraryVerifier} that compares what a library is with what its target
 * ({@link dev.sark.loader.Platform}) needs, and the {@link dev.sark.crossbuild.check.FatMachOWriter} that assembles
 * a universal macOS library from thin ones.
 *
 * <p>No Maven types and no external libraries: files are read into memory and parsed with explicitly ordered
 * {@link java.nio.ByteBuffer}s through a reader that checks every offset and count against the file length,
 * so malformed input is an {@link java.io.IOException}, never a runtime exception, a hang or a huge allocation.
 */
package dev.sark.crossbuild.check;
