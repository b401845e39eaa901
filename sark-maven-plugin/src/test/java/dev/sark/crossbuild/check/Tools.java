package dev.sark.crossbuild.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Finding and running the real tools of this machine (compilers, readelf, llvm); tests skip when one is absent. */
final class Tools {
    private Tools() {
    }

    /** The first of {@code names} found on the PATH, or in /usr/lib/llvm-N/bin for LLVM tools. */
    static Optional<Path> find(String... names) {
        List<Path> dirs = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                dirs.add(Path.of(dir));
            }
        }
        Path usrLib = Path.of("/usr/lib");
        if (Files.isDirectory(usrLib)) {
            try (DirectoryStream<Path> llvm = Files.newDirectoryStream(usrLib, "llvm-*")) {
                llvm.forEach(d -> dirs.add(d.resolve("bin")));
            } catch (IOException ignored) {
                // no LLVM installations
            }
        }
        for (String name : names) {
            for (Path dir : dirs) {
                Path candidate = dir.resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** The tool, or the test is skipped (not failed) with a note naming what is missing. */
    static Path require(String... names) {
        Optional<Path> tool = find(names);
        Assumptions.assumeTrue(tool.isPresent(), () -> String.join(" / ", names) + " is not installed here");
        return tool.get();
    }

    /** Runs a command in {@code dir}, fails the test when it fails, returns its output. */
    static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), () -> "timed out: " + String.join(" ", command));
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + " failed:\n" + text);
        return text;
    }

    /** A tiny JNI-looking C library source. */
    static Path jniSource(Path dir) throws IOException {
        return Files.writeString(dir.resolve("ping.c"), "int Java_dev_sark_Test_ping(void) { return 42; }\n");
    }
}
