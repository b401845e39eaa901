package dev.sark.opa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Native diagnostics reach Java as exception messages, never the process's stderr. */
class NativeDiagnosticsTest {

    @Test
    void panicsErrorsPrintsAndRegorusWarningsWriteNothingToStderr(@TempDir Path dir) throws IOException, InterruptedException {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), QuietNativeMain.class.getName())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), "stdout: " + lines + "\nstderr: " + stderr);
        assertEquals("", stderr, "the native library wrote to stderr");
        String panic = lines.stream().filter(l -> l.startsWith("panic=")).findFirst().orElseThrow();
        assertTrue(panic.contains("native panic: quiet panic (at "), panic);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("builtin=") && l.contains("to_number")), lines.toString());
        assertTrue(lines.contains("allowed=true"), lines.toString());
        assertEquals(4, lines.stream().filter(l -> l.startsWith("warned=")).count(), lines.toString());
    }
}
