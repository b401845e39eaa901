package dev.sark.crossbuild.check;

import dev.sark.loader.Platform;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The tests' short ways to call {@link LibraryVerifier#problems}: a glibc floor alone, Rust's macOS minimums. */
final class Verify {
    private Verify() {
    }

    static List<String> problems(Platform expected, Path library, GlibcFloor glibcFloor, String libName,
                                 boolean requireJniExports) throws IOException {
        return problems(expected, BinaryFacts.read(library), glibcFloor, libName, requireJniExports);
    }

    /** Without requiring JNI exports in ELF and Mach-O files. */
    static List<String> problems(Platform expected, BinaryFacts facts, GlibcFloor glibcFloor, String libName) {
        return problems(expected, facts, glibcFloor, libName, false);
    }

    static List<String> problems(Platform expected, BinaryFacts facts, GlibcFloor glibcFloor, String libName,
                                 boolean requireJniExports) {
        return LibraryVerifier.problems(expected, facts, PlatformFloors.glibc(glibcFloor), libName, requireJniExports);
    }
}
