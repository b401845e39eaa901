package dev.sark.loader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Builds a real shared library with the host C compiler, for tests that need System.load to succeed. */
final class TestLibraries {

    private TestLibraries() {
    }

    /**
     * Compiles {@code lib<name>.so} exporting one function; null when there is no C compiler (the caller skips).
     */
    static Path compileSharedLibrary(Path dir, String name) throws IOException, InterruptedException {
        if (!System.getProperty("os.name").startsWith("Linux")) {
            return null;
        }
        Path src = Files.writeString(dir.resolve(name + ".c"), "int " + name + "_answer(void) { return 42; }\n");
        Path so = dir.resolve("lib" + name + ".so");
        Process p;
        try {
            p = new ProcessBuilder("cc", "-shared", "-fPIC", "-o", so.toString(), src.toString()).inheritIO().start();
        } catch (IOException noCompiler) {
            return null;
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            return null;
        }
        return so;
    }
}
