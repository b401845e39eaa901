package dev.sark.crossbuild;

import dev.sark.crossbuild.TestSupport.FakeHostTools;
import dev.sark.loader.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The doctor's report, the build summary and every fix text, each pinned by a file under src/test/snapshots. */
class UserFacingTextSnapshotTest {
    private static final String HOST = "x86_64-unknown-linux-gnu";
    private static final List<String> MATRIX = List.of(HOST, "aarch64-unknown-linux-gnu", "armv7-unknown-linux-gnueabihf",
            "x86_64-unknown-linux-musl", "aarch64-unknown-linux-musl", "x86_64-unknown-freebsd", "x86_64-pc-windows-gnu",
            "x86_64-apple-darwin", "aarch64-apple-darwin", "universal2-apple-darwin");

    @TempDir
    Path tmp;

    @Test
    void doctorOnABareMachine() throws IOException {
        // nothing on the PATH (no cargo, linkers, zig or docker); the default toolchain has the host's std only
        FakeHostTools tools = new FakeHostTools(Map.of("PATH", ""), "rustc 1.95.0 (59807616e 2026-04-14)", List.of(HOST)) {
            // every probe answers from here, not from this machine
            @Override
            public boolean zigbuildAvailable() {
                return false;
            }

            @Override
            public boolean containerEngineRunning() {
                return false;
            }

            @Override
            public boolean hasStandardLibrarySource(String toolchain) {
                return false;
            }

            @Override
            public boolean pythonModuleInstalled(String module) {
                return false;
            }
        };
        List<TargetSpec> targets = MATRIX.stream().map(t -> TargetSpec.builder(t).build()).toList();

        Doctor.Report report = new Doctor(tools, StrategySelector.standard(tools, HOST), HOST, "1.95", "crate/Cargo.toml")
                .examine(targets);

        Snapshot.assertMatches("doctor-bare-machine", report.lines());
    }

    @Test
    void buildSummaryOfEveryStatus() throws IOException {
        Path small = Files.write(tmp.resolve("libsmall.so"), new byte[2048]);
        Path big = Files.write(tmp.resolve("libbig.so"), new byte[3 * 1024 * 1024]);
        List<TargetResult> results = List.of(
                TargetResult.packaged(TargetSpec.builder(HOST).build(), false, "zigbuild", 12.34, small,
                        tmp.resolve("a.jar"), "glibc 2.17"),
                TargetResult.packaged(TargetSpec.builder("aarch64-unknown-linux-gnu").optional(true).build(), true,
                        "zigbuild +sark-debian", 0.05, big, tmp.resolve("b.jar"), "glibc 2.17"),
                TargetResult.failed(TargetSpec.builder("x86_64-unknown-linux-musl").optional(true).build(),
                        "build-std+zig +sark-debian", 3.0, "boom", List.of()),
                TargetResult.unavailable(TargetSpec.builder("x86_64-pc-windows-gnu").build(), "no linker"));

        Snapshot.assertMatches("build-summary", BuildSummary.render(results));
    }

    @Test
    void everyFixTheBuildSuggests() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String triple : MATRIX.subList(0, MATRIX.size() - 1)) { // universal2 is merged, never compiled
            Platform platform = TargetSpec.builder(triple).build().platform();
            lines.add("## " + triple);
            lines.add("missing linker: " + Suggestions.missingLinker(platform, null));
            lines.add("missing std: " + Suggestions.missingStandardLibrary(triple, "sark-debian"));
        }
        lines.add("## toolchain too old");
        lines.add(Suggestions.toolchainTooOld("sark-debian", "rustc 1.85.0 (4d91de4e4 2025-02-17)", "1.95", "crate/Cargo.toml"));
        lines.add("## fixes for cargo's output (aarch64-unknown-linux-gnu)");
        Platform aarch64 = TargetSpec.builder("aarch64-unknown-linux-gnu").build().platform();
        for (String pattern : Suggestions.knownPatterns()) {
            lines.add(pattern + " -> " + String.join(" | ", Suggestions.forOutput(List.of("error: " + pattern), aarch64)));
        }
        lines.add("## exit codes");
        for (int code : new int[] {1, 101, 137, 139, 143}) {
            lines.add(code + " -> " + Suggestions.exitCodeMeaning(code).orElse("(nothing to add)"));
        }
        Snapshot.assertMatches("suggestions", lines);
    }
}
