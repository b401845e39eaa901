package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sark.crossbuild.TestSupport.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CargoTestTest {
    @TempDir
    Path tmp;

    @Test
    void theCommandCarriesLockFeaturesAndTheTestBinarysFlagsLast() throws Exception {
        CrateInfo crate = CrateInfo.read(TestSupport.writeCdylibCrate(tmp.resolve("c"), "demo"));
        Files.writeString(tmp.resolve("c/Cargo.lock"), "version = 4\n");
        BuildContext context = new BuildContext(crate, tmp.resolve("t"), "test", false, false, true)
                .withCargoOptions(new CargoOptions(List.of("extra"), null, null, List.of("--", "--nocapture")));
        assertEquals(List.of("cargo", "test", "--manifest-path", crate.manifest().toString(), "--target-dir",
                tmp.resolve("t").toString(), "--locked", "--features", "extra", "--", "--nocapture"),
                new CargoTest(context, new CommandRunner(), new RecordingLog()).invocation().command());
    }

    @Test
    void aFailingRustTestFailsWithTheCommandTheTestAndTheFix() throws Exception {
        assumeTrue(new CommandRunner().capture(List.of("cargo", "--version"), java.util.Map.of(), tmp) != null, "cargo");
        Path manifest = TestSupport.writeCdylibCrate(tmp.resolve("c"), "demo");
        Files.writeString(tmp.resolve("c/src/lib.rs"), "#[test]\nfn answer_is_42() { assert_eq!(41, 42); }\n");
        BuildContext context = new BuildContext(CrateInfo.read(manifest), tmp.resolve("t"), "test", true, false, true);
        RecordingLog log = new RecordingLog();

        BuildException e = assertThrows(BuildException.class, () -> new CargoTest(context, new CommandRunner(), log).run().throwIfFailed());

        assertTrue(e.getMessage().startsWith("cargo test failed (exit code 101)"), e.getMessage());
        assertTrue(e.getMessage().contains("command: CARGO_TERM_COLOR=never cargo test --manifest-path"), e.getMessage());
        assertTrue(e.getMessage().contains("answer_is_42"), e.getMessage());
        assertTrue(e.getMessage().contains("-DskipTests"), e.getMessage());
        assertTrue(log.messages().stream().anyMatch(m -> m.startsWith("[cargo test] ")), log.lines.toString());
    }
}
