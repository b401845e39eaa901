package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs scripts/tests/install-toolchains-test.sh: the installer's Rust version selection (rust-version, a
 * foreign standard library that lags behind the compiler, the failures) against a stand-in apt-cache.
 */
class InstallToolchainsScriptTest {

    @Test
    void installerPicksTheNewestCompilerAndBuildStdForALaggingStandardLibrary() throws IOException, InterruptedException {
        Path script = Path.of("..", "scripts", "tests", "install-toolchains-test.sh").toAbsolutePath().normalize();
        Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), output);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("all checks passed"), output);
    }
}
