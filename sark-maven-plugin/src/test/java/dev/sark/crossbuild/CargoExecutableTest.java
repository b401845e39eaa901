package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code <cargoExecutable>}: a cargo (and the rustc beside it) other than the PATH's. */
class CargoExecutableTest {
    @TempDir
    Path tmp;

    @Test
    void theConfiguredCargoAndTheRustcBesideItAreUsed() throws Exception {
        Path cargo = TestSupport.writeExecutable(tmp.resolve("rust-9.9/bin/cargo"), "#!/bin/sh\nexit 0\n");
        TestSupport.writeExecutable(tmp.resolve("rust-9.9/bin/rustc"), "#!/bin/sh\necho 'rustc 9.9.9 (pinned)'\necho 'host: x86_64-unknown-linux-gnu'\n");
        HostTools tools = new HostTools(new CommandRunner(), tmp, Map.of("PATH", ""), cargo);

        assertEquals(cargo.toString(), tools.cargo());
        assertTrue(tools.cargoAvailable(), "found although the PATH is empty");
        assertEquals("rustc 9.9.9 (pinned)", tools.rustcVersion(null).orElseThrow());
        assertEquals("x86_64-unknown-linux-gnu", tools.hostTriple().orElseThrow());
    }

    @Test
    void aMissingConfiguredCargoIsNamedInTheReason() {
        Path missing = tmp.resolve("nowhere/cargo");
        HostTools tools = new HostTools(new CommandRunner(), tmp, Map.of("PATH", ""), missing);
        assertFalse(tools.cargoAvailable());
        String why = CargoStrategy.missingRust(tools, null, "x86_64-unknown-linux-gnu").orElseThrow();
        assertEquals("<cargoExecutable> " + missing + " does not exist or cannot run", why);
    }
}
