package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sark.crossbuild.TestSupport.FakeHostTools;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code sark:doctor} reports a toolchain older than the crate's rust-version with the same fix as the build. */
class DoctorTest {
    private static final String HOST = "x86_64-unknown-linux-gnu";
    private static final String AARCH64 = "aarch64-unknown-linux-gnu";
    private static final String OLD_RUSTC = "rustc 1.85.0 (4d91de4e4 2025-02-17) (built from a source tarball)";

    /** A strategy that can build anything, with the target's own rustup toolchain. */
    private static final BuildStrategy ANY = new BuildStrategy() {
        @Override
        public StrategyKind kind() {
            return StrategyKind.CARGO;
        }

        @Override
        public Optional<String> missing(TargetSpec target) {
            return Optional.empty();
        }

        @Override
        public CargoInvocation invocation(TargetSpec target, BuildContext context) {
            throw new AssertionError("the doctor builds nothing");
        }
    };

    private final FakeHostTools tools = new FakeHostTools(Map.of("PATH", ""), "rustc 1.95.0 (59807616e 2026-04-14)",
            List.of(HOST)).withToolchain("debian-old", AARCH64).withRustc("debian-old", OLD_RUSTC);
    private final List<TargetSpec> targets = List.of(TargetSpec.builder(HOST).build(),
            TargetSpec.builder(AARCH64).rustupToolchain("debian-old").build());

    private Doctor.Report examine(String rustVersion) {
        return new Doctor(tools, new StrategySelector(List.of(ANY)), HOST, rustVersion, "crate/Cargo.toml")
                .examine(targets);
    }

    @Test
    void toolchainOlderThanTheRustVersionIsAFixAndMakesTheTargetUnbuildable() {
        Doctor.Report report = examine("1.95");

        assertFalse(report.allBuildable());
        String text = String.join("\n", report.lines());
        assertTrue(report.lines().contains("  - " + AARCH64 + ": " + Suggestions.toolchainTooOld("debian-old", OLD_RUSTC,
                "1.95", "crate/Cargo.toml")), text);
        assertTrue(report.lines().stream().anyMatch(l -> l.startsWith(AARCH64) && l.contains("cargo (rustc too old)")), text);
        assertFalse(text.contains(HOST + ": toolchain"), "the default toolchain (1.95.0) is new enough: " + text);
    }

    @Test
    void toolchainsThatReachTheRustVersionOrNoRustVersionPass() {
        for (String rustVersion : new String[] {"1.85", null}) {
            Doctor.Report report = examine(rustVersion);
            assertTrue(report.allBuildable(), String.valueOf(rustVersion));
            assertEquals("Every target can be built here.", report.lines().get(report.lines().size() - 1));
        }
    }
}
