package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sark.crossbuild.TestSupport.FakeHostTools;
import dev.sark.crossbuild.TestSupport.RecordingLog;
import dev.sark.loader.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives {@link CrossBuilder} with a stand-in strategy whose "cargo" is a shell script: it records each run,
 * prints a few lines, and then, as the per-target mode file says, writes the library and its dep-info and names
 * it in a cargo JSON message ({@code ok}), exits 0 naming no library ({@code nolib}), names a library it did not
 * write ({@code gone}), or prints linker errors and exits 101 ({@code fail}).
 */
class CrossBuilderTest {
    private static final String HOST = "x86_64-unknown-linux-gnu";
    private static final String AARCH64 = "aarch64-unknown-linux-gnu";

    private static final String SCRIPT = String.join("\n",
            "#!/bin/sh",
            "lib=\"$1\"; dep=\"$2\"; src=\"$3\"; runs=\"$4\"; modefile=\"$5\"; triple=\"$6\"",
            "echo \"$triple\" >> \"$runs\"",
            "echo \"${RUSTC_WRAPPER:-none}\" > \"$runs.wrapper\"",
            "mode=ok",
            "artifact() { printf '{\"reason\":\"compiler-artifact\",\"target\":{\"name\":\"sark_demo\",\"kind\":[\"cdylib\"]},\"filenames\":[\"%s\"]}\\n' \"$lib\"; }",
            "[ -f \"$modefile\" ] && mode=$(cat \"$modefile\")",
            "echo '   Compiling sark-demo v0.1.0'",
            "echo 'warning: from stderr' >&2",
            "case \"$mode\" in",
            "  ok)",
            // like cargo: nothing to do when no input changed (the source, another input such as a path
            // dependency's manifest, the flags, a variable a build script watches)
            "    key=$( (cat \"$src\"; cat \"$src.other-input\" 2>/dev/null; echo \"$RUSTFLAGS|$SARK_DEMO_WATCHED\") | cksum)",
            "    if [ -f \"$lib\" ] && [ \"$(cat \"$lib.inputs\" 2>/dev/null)\" = \"$key\" ]; then",
            "      artifact; echo '    Finished release profile'; exit 0",
            "    fi",
            "    mkdir -p \"$(dirname \"$lib\")\"",
            "    echo \"$key\" > \"$lib.inputs\"",
            // a real shared library (the builder checks its headers), different on every run
            "    printf 'int Java_dev_sark_Demo_run%s(void) { return 0; }\\n' \"$(wc -l < \"$runs\")\" > \"$lib.c\"",
            "    case \"$triple\" in aarch64-*) cc=aarch64-linux-gnu-gcc ;; *) cc=cc ;; esac",
            "    \"$cc\" -shared -fPIC -o \"$lib\" \"$lib.c\" && rm -f \"$lib.c\"",
            "    printf '%s: %s\\n' \"$lib\" \"$src\" > \"$dep\"",
            "    artifact",
            "    echo '    Finished release profile'",
            "    exit 0;;",
            "  nolib)",
            "    rm -f \"$lib\"",
            "    echo '    Finished release profile'",
            "    exit 0;;",
            "  gone)",
            "    rm -f \"$lib\"",
            "    artifact",
            "    exit 0;;",
            "  *)",
            "    echo 'error: linking with `cc` failed: exit status: 1'",
            "    echo '  = note: /usr/bin/ld: cannot find -lc'",
            "    echo 'error: could not compile `sark-demo` (lib) due to 1 previous error'",
            "    exit 101;;",
            "esac",
            "");

    @TempDir
    Path tmp;

    private Path source;
    private Path runsFile;
    private Path script;
    private BuildContext context;
    private ScriptStrategy strategy;
    private RecordingLog log;
    private CrossBuilder builder;
    private final TargetOutputs.Layout layout = t -> new TargetOutputs(
            tmp.resolve("out/sark-demo-1.0-" + t.classifier() + ".jar"), tmp.resolve("out/sark/staging/" + t.classifier()));

    /** The stand-in: a CARGO-kind strategy whose command is the script. */
    private final class ScriptStrategy implements BuildStrategy {
        String missingReason;
        String program;
        StrategyKind kind = StrategyKind.CARGO;

        @Override
        public StrategyKind kind() {
            return kind;
        }

        @Override
        public Optional<String> missing(TargetSpec target) {
            return Optional.ofNullable(missingReason);
        }

        @Override
        public CargoInvocation invocation(TargetSpec target, BuildContext ctx) {
            Path lib = libraryPath(target);
            return new CargoInvocation(List.of(program != null ? program : script.toString(), lib.toString(),
                    lib + ".d", source.toString(), runsFile.toString(),
                    modeFile(target.triple()).toString(), target.triple()), CargoStrategy.environment(target, Map.of()),
                    target.rustupToolchain(), "fake-cargo" + (target.rustupToolchain() == null ? "" : " +" + target.rustupToolchain()));
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        Path crateDir = tmp.resolve("crate");
        CrateInfo crate = CrateInfo.read(TestSupport.writeCdylibCrate(crateDir, "sark-demo"));
        source = crateDir.resolve("src/lib.rs");
        runsFile = tmp.resolve("runs.txt");
        script = TestSupport.writeExecutable(tmp.resolve("bin/fake-cargo.sh"), SCRIPT);
        context = new BuildContext(crate, tmp.resolve("cargo-target"), "release", false, false, true);
        strategy = new ScriptStrategy();
        HostTools tools = new FakeHostTools(Map.of("PATH", ""), "rustc 1.95.0 (test)", List.of(HOST));
        log = new RecordingLog();
        builder = new CrossBuilder(context, new StrategySelector(List.of(strategy)), tools, new CommandRunner(), log);
    }

    /** Where the stand-in writes a target's library: anywhere will do, cargo's messages tell the builder. */
    private Path libraryPath(TargetSpec target) {
        return tmp.resolve("cargo-target/" + target.triple() + "/custom-profile/" + target.platform().libraryFileName("sark_demo"));
    }

    private Path modeFile(String triple) {
        return tmp.resolve("mode-" + triple);
    }

    private void mode(String triple, String mode) throws IOException {
        Files.writeString(modeFile(triple), mode);
    }

    private long runs(String triple) throws IOException {
        return Files.exists(runsFile) ? Files.readAllLines(runsFile).stream().filter(triple::equals).count() : 0;
    }

    private static TargetSpec target(String triple) {
        return TargetSpec.builder(triple).build();
    }

    private TargetResult buildOne(TargetSpec target) {
        List<TargetResult> results = builder.buildAll(List.of(target), layout);
        assertEquals(1, results.size());
        return results.get(0);
    }

    /** Edits the source. */
    private void touchSource() throws IOException {
        Files.writeString(source, "// edited\n", StandardOpenOption.APPEND);
    }

    private Path stagedLibrary(TargetSpec t) {
        return layout.outputsFor(t).stagedLibrary(t, "sark_demo");
    }

    private CrossBuilder builderWithSccache() throws IOException {
        Path sccache = TestSupport.writeExecutable(tmp.resolve("cache-bin/sccache"), "#!/bin/sh\nexec \"$@\"\n");
        HostTools tools = new FakeHostTools(Map.of("PATH", sccache.getParent().toString()), "rustc 1.95.0 (test)", List.of(HOST));
        CompilerCache cache = CompilerCache.resolve("sccache", tools, tools.environment());
        return new CrossBuilder(context.withCompilerCache(cache), new StrategySelector(List.of(strategy)), tools,
                new CommandRunner(), log);
    }

    @Test
    void aCompilerCacheWrapsRustcThroughCargosEnvironmentAndShowsInTheCommand() throws IOException {
        TargetResult r = builderWithSccache().buildAll(List.of(target(HOST)), layout).get(0);

        assertEquals(TargetResult.Status.BUILT, r.status(), r.detail());
        String wrapper = tmp.resolve("cache-bin/sccache").toString();
        assertEquals(wrapper, Files.readString(Path.of(runsFile + ".wrapper")).trim());
        assertTrue(r.command().startsWith("RUSTC_WRAPPER=" + wrapper + " "), r.command());
    }

    @Test
    void crossRunsCargoInAContainerSoItGetsNoWrapperFromThisMachine() throws IOException {
        strategy.kind = StrategyKind.CROSS;
        TargetResult r = builderWithSccache().buildAll(List.of(target(HOST)), layout).get(0);

        assertEquals(TargetResult.Status.BUILT, r.status(), r.detail());
        assertEquals("none", Files.readString(Path.of(runsFile + ".wrapper")).trim());
        assertFalse(r.command().contains("RUSTC_WRAPPER"), r.command());
    }

    @Test
    void successfulBuildWritesTheJarAndStagesTheLibrary() throws IOException {
        TargetSpec t = target(HOST);
        TargetResult r = buildOne(t);

        assertEquals(TargetResult.Status.BUILT, r.status(), r.detail());
        assertEquals(layout.outputsFor(t).jar(), r.jar());
        assertTrue(Files.isRegularFile(r.jar()));
        assertEquals(stagedLibrary(t), r.library());
        assertEquals(tmp.resolve("out/sark/staging/linux-x86_64/resources/dev/sark/native/linux-x86_64/libsark_demo.so"),
                r.library());
        byte[] built = Files.readAllBytes(libraryPath(t));
        assertArrayEquals(built, Files.readAllBytes(r.library()));
        assertTrue(Files.size(r.library()) > 0);
        assertTrue(BuildSummary.size(r).endsWith("KiB"), BuildSummary.size(r));
        try (ZipFile zip = new ZipFile(r.jar().toFile());
             InputStream in = zip.getInputStream(zip.getEntry("dev/sark/native/linux-x86_64/libsark_demo.so"))) {
            assertArrayEquals(built, in.readAllBytes());
        }
        assertEquals("fake-cargo", r.tool());
        assertTrue(r.seconds() >= 0);
        assertFalse(r.breaksBuild(false));
        assertEquals(1, runs(HOST));
    }

    @Test
    void secondRunWithNothingChangedAsksCargoAndPackagesNothing() throws IOException {
        TargetSpec t = target(HOST);
        TargetResult first = buildOne(t);
        byte[] jarBytes = Files.readAllBytes(first.jar());
        FileTime jarTime = Files.getLastModifiedTime(first.jar());

        TargetResult second = buildOne(t);

        assertEquals(TargetResult.Status.UP_TO_DATE, second.status(), second.detail());
        assertEquals(2, runs(HOST), "cargo decides what is stale, so it runs every time");
        assertEquals(first.jar(), second.jar());
        assertEquals(first.library(), second.library());
        assertArrayEquals(jarBytes, Files.readAllBytes(second.jar()));
        assertEquals(jarTime, Files.getLastModifiedTime(second.jar()), "the JAR is not rewritten");
        assertTrue(log.messages().stream().anyMatch(m -> m.contains("up to date")), log.lines.toString());
    }

    @Test
    void anInputOnlyCargoKnowsAboutRebuildsAndIsPackaged() throws IOException {
        // Stands for what a check of our own would miss: a path dependency's Cargo.toml outside the crate's
        // directory, a variable a build script watches with rerun-if-env-changed, option_env!.
        TargetSpec t = target(HOST);
        buildOne(t);
        Files.writeString(Path.of(source + ".other-input"), "[dependencies]\nchanged = true\n");

        TargetResult r = buildOne(t);

        assertEquals(TargetResult.Status.BUILT, r.status(), r.detail());
        String symbols = new String(Files.readAllBytes(r.library()), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(symbols.contains("Java_dev_sark_Demo_run2"), "the packaged library is the rebuilt one");
        assertTrue(new String(Files.readAllBytes(r.jar()), java.nio.charset.StandardCharsets.ISO_8859_1).length() > 0);
    }

    @Test
    void touchingASourceRebuilds() throws Exception {
        TargetSpec t = target(HOST);
        buildOne(t);
        touchSource();

        TargetResult r = buildOne(t);

        assertEquals(TargetResult.Status.BUILT, r.status(), r.detail());
        assertEquals(2, runs(HOST));
        // the stand-in library's exported function carries the run number: the staged library is the new one
        String symbols = new String(Files.readAllBytes(r.library()), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(symbols.contains("Java_dev_sark_Demo_run2"), "the staged library is not the rebuilt one");
        // and now it is up to date again
        assertEquals(TargetResult.Status.UP_TO_DATE, buildOne(t).status());
        assertEquals(3, runs(HOST));
    }

    @Test
    void changedTargetSettingsRebuild() throws IOException {
        buildOne(TargetSpec.builder(HOST).rustflags("-C opt-level=s").build());
        TargetResult r = buildOne(TargetSpec.builder(HOST).rustflags("-C opt-level=z").build());
        assertEquals(TargetResult.Status.BUILT, r.status());
        assertEquals(2, runs(HOST));
    }

    @Test
    void deletedJarRebuilds() throws IOException {
        TargetSpec t = target(HOST);
        Files.delete(buildOne(t).jar());
        TargetResult r = buildOne(t);
        assertEquals(TargetResult.Status.BUILT, r.status());
        assertTrue(Files.isRegularFile(r.jar()));
        assertEquals(2, runs(HOST));
    }

    @Test
    void failedBuildAfterASuccessfulOneKeepsTheGoodJarButPackagesNothing() throws Exception {
        TargetSpec t = target(HOST);
        TargetResult ok = buildOne(t);
        Path jar = ok.jar();
        byte[] good = Files.readAllBytes(jar);
        mode(HOST, "fail");
        touchSource();

        TargetResult failed = buildOne(t);

        assertEquals(TargetResult.Status.FAILED, failed.status());
        assertTrue(failed.breaksBuild(false));
        assertArrayEquals(good, Files.readAllBytes(jar), "a good JAR is only replaced by one that passed its checks");
        assertNull(failed.jar(), "nothing to attach");
        assertNull(failed.library());
        String d = failed.detail();
        assertTrue(d.contains("target " + HOST + " failed (exit code 101)"), d);
        assertTrue(d.contains("command: " + strategy.invocation(t, context).display()), d);
        assertTrue(d.contains("error: could not compile `sark-demo` (lib) due to 1 previous error"), d);
        assertTrue(d.contains("cannot find -lc"), d);
        assertTrue(d.contains("fix: "), d);
        assertTrue(d.contains("<linker>"), "the linking-with-cc fix: " + d);
        assertTrue(failed.tail().contains("error: linking with `cc` failed: exit status: 1"), failed.tail().toString());

        // cargo's own output dir still has the old library, but nothing stale is taken as up to date
        assertTrue(Files.exists(libraryPath(t)));
        TargetResult again = buildOne(t);
        assertEquals(TargetResult.Status.FAILED, again.status());
        assertEquals(3, runs(HOST));

        mode(HOST, "ok");
        assertEquals(TargetResult.Status.BUILT, buildOne(t).status());
        assertEquals(4, runs(HOST));
    }

    @Test
    void toolThatSucceedsWithoutALibraryFails() throws IOException {
        TargetSpec t = target(HOST);
        mode(HOST, "nolib");

        TargetResult r = buildOne(t);

        assertEquals(TargetResult.Status.FAILED, r.status());
        assertTrue(r.detail().contains("reported no library libsark_demo.so"), r.detail());
        assertTrue(r.detail().contains("a cdylib named sark_demo"), r.detail());
        assertFalse(Files.exists(layout.outputsFor(t).jar()));
        assertFalse(Files.exists(stagedLibrary(t)));
    }

    @Test
    void aReportedLibraryThatIsNotThereFails() throws IOException {
        TargetSpec t = target(HOST);
        mode(HOST, "gone");

        TargetResult r = buildOne(t);

        assertEquals(TargetResult.Status.FAILED, r.status());
        assertTrue(r.detail().contains(libraryPath(t) + ", which does not exist"), r.detail());
        assertFalse(Files.exists(layout.outputsFor(t).jar()));
    }

    @Test
    void cargosMessagesStayOutOfTheLog() throws IOException {
        TargetResult r = buildOne(target(HOST));

        assertEquals(TargetResult.Status.BUILT, r.status(), r.detail());
        assertTrue(log.lines.stream().anyMatch(l -> l.contains("Compiling sark-demo")), log.lines.toString());
        assertTrue(log.lines.stream().noneMatch(l -> l.contains("compiler-artifact")), log.lines.toString());
    }

    @Test
    void optionalTargetFailureDoesNotBreakTheBuildNorStopTheOthers() throws IOException {
        mode(AARCH64, "fail");
        TargetSpec optionalArm = TargetSpec.builder(AARCH64).optional(true).build();

        List<TargetResult> results = builder.buildAll(List.of(optionalArm, target(HOST)), layout);

        assertEquals(2, results.size());
        assertEquals(AARCH64, results.get(0).target().triple());
        assertEquals(TargetResult.Status.FAILED, results.get(0).status());
        assertFalse(results.get(0).breaksBuild(false));
        assertTrue(results.get(0).breaksBuild(true), "-Dsark.requireAll makes optional targets required");
        assertFalse(results.get(1).breaksBuild(true), "a built target never breaks the build");
        assertEquals(TargetResult.Status.BUILT, results.get(1).status(), "a failed target does not stop the next");
        assertTrue(results.stream().noneMatch(r -> r.breaksBuild(false)));

        TargetResult required = buildOne(target(AARCH64));
        assertEquals(TargetResult.Status.FAILED, required.status());
        assertTrue(required.breaksBuild(false));
    }

    @Test
    void twoTargetsWithTheSameClassifierAreRejectedBeforeAnyBuild() {
        List<TargetSpec> targets = List.of(target(HOST), TargetSpec.builder(AARCH64).classifier("linux-x86_64").build());

        BuildException e = assertThrows(BuildException.class, () -> builder.buildAll(targets, layout));

        assertTrue(e.getMessage().contains(HOST) && e.getMessage().contains(AARCH64), e.getMessage());
        assertTrue(e.getMessage().contains("'linux-x86_64'"), e.getMessage());
        assertFalse(Files.exists(runsFile), "nothing was built");
    }

    @Test
    void toolOutputReachesTheLogPrefixedWithTheTriple() {
        buildOne(target(HOST));

        List<String> messages = log.messages();
        assertTrue(messages.contains("[" + HOST + "]    Compiling sark-demo v0.1.0"), messages.toString());
        assertTrue(messages.contains("[" + HOST + "] warning: from stderr"), messages.toString());
        assertTrue(messages.contains("[" + HOST + "]     Finished release profile"), messages.toString());
        assertTrue(messages.stream().noneMatch(m -> m.startsWith("   Compiling")), "every tool line is prefixed");
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("(1/1) " + HOST + ": cargo via fake-cargo")), messages.toString());
    }

    @Test
    void targetNoStrategyCanBuildIsUnavailableAndItsGoodJarIsKept() throws IOException {
        TargetSpec t = target(HOST);
        TargetResult ok = buildOne(t);
        strategy.missingReason = "the linker is gone";

        TargetResult r = buildOne(t);

        assertEquals(TargetResult.Status.UNAVAILABLE, r.status());
        assertTrue(r.detail().contains("the linker is gone"), r.detail());
        assertTrue(r.breaksBuild(false));
        assertTrue(Files.exists(ok.jar()), "the earlier good JAR stays (it is not attached)");
        assertNull(r.jar());
        assertEquals(1, runs(HOST));
        assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("WARN") && l.contains("cannot be built here")), log.lines.toString());
    }

    @Test
    void forcedToolchainWithAMissingPieceIsUnavailableWithTheFix() throws IOException {
        strategy.missingReason = "linker 'x' is not on the PATH";
        TargetResult r = buildOne(TargetSpec.builder(HOST).strategy(StrategyKind.CARGO).build());
        assertEquals(TargetResult.Status.UNAVAILABLE, r.status());
        assertTrue(r.detail().contains("linker 'x' is not on the PATH"), r.detail());
        assertEquals(0, runs(HOST));
    }

    @Test
    void forcedToolchainThePluginDoesNotHaveIsUnavailable() throws IOException {
        TargetResult r = buildOne(TargetSpec.builder(HOST).strategy(StrategyKind.CROSS).build());
        assertEquals(TargetResult.Status.UNAVAILABLE, r.status());
        assertTrue(r.detail().contains("cross"), r.detail());
        assertEquals(0, runs(HOST));
    }

    @Test
    void hostResultIsTheProducedResultForTheRunningPlatform() throws IOException {
        mode(AARCH64, "fail");
        List<TargetResult> results = builder.buildAll(List.of(target(AARCH64), target(HOST)), layout);

        assertEquals(HOST, LibraryPackager.hostResult(results, Platform.fromTriple(HOST)).orElseThrow().target().triple());
        assertEquals(Optional.empty(), LibraryPackager.hostResult(results, Platform.fromTriple(AARCH64)));
    }

    @Test
    void toolThatCannotBeStartedFailsOnlyItsTarget() throws IOException {
        strategy.program = tmp.resolve("bin/not-installed").toString();
        List<TargetResult> results = builder.buildAll(List.of(target(AARCH64), target(HOST)), layout);
        assertEquals(TargetResult.Status.FAILED, results.get(0).status());
        assertTrue(results.get(0).detail().contains("not-installed"), results.get(0).detail());
        assertEquals(2, results.size());
    }

    // ---- rust-version: a toolchain older than the crate's is reported with the fix before cargo runs ----

    private static final String OLD_RUSTC = "rustc 1.85.0 (4d91de4e4 2025-02-17) (built from a source tarball)";

    /** Rewrites the crate with {@code packageLines} in its [package] and builds it with {@code tools}. */
    private void crateAndToolchains(String packageLines, FakeHostTools tools) throws IOException {
        CrateInfo crate = CrateInfo.read(TestSupport.writeCdylibCrate(tmp.resolve("crate"), "sark-demo", packageLines));
        context = new BuildContext(crate, tmp.resolve("cargo-target"), "release", false, false, true);
        builder = new CrossBuilder(context, new StrategySelector(List.of(strategy)), tools, new CommandRunner(), log);
    }

    private static FakeHostTools toolchains() {
        return new FakeHostTools(Map.of("PATH", ""), "rustc 1.95.0 (59807616e 2026-04-14)", List.of(HOST));
    }

    @Test
    void toolchainOlderThanTheRustVersionFailsTheTargetWithTheFixAndRunsNothing() throws IOException {
        crateAndToolchains("rust-version = \"1.95\"\n", toolchains().withRustc("debian-old", OLD_RUSTC));
        TargetSpec t = TargetSpec.builder(HOST).rustupToolchain("debian-old").build();

        TargetResult r = buildOne(t);

        assertEquals(TargetResult.Status.FAILED, r.status(), r.detail());
        assertTrue(r.breaksBuild(false));
        String d = r.detail();
        for (String part : List.of("target " + HOST + ": ", "toolchain debian-old is " + OLD_RUSTC,
                "older than rust-version 1.95 of sark-demo", "scripts/install-toolchains.sh", "`rustup update`",
                "set <rustupToolchain> to a toolchain with rustc 1.95 or newer")) {
            assertTrue(d.contains(part), "the message should say '" + part + "': " + d);
        }
        assertFalse(d.contains("exit code"), "no cargo run, no cargo error: " + d);
        assertEquals(0, runs(HOST), "cargo must not run");
        assertFalse(Files.exists(layout.outputsFor(t).jar()));
        assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("WARN") && l.contains("older than rust-version")),
                log.lines.toString());
    }

    @Test
    void toolchainAtOrAboveTheRustVersionBuilds() throws IOException {
        crateAndToolchains("rust-version = \"1.95\"\n", toolchains()
                .withRustc("equal", "rustc 1.95.0 (59807616e 2026-04-14)")
                .withRustc("newer", "rustc 1.96.0 (ac68faa20 2026-05-25) (built from a source tarball)")
                .withRustc("nightly", "rustc 1.97.0-nightly (e50aa6fba 2026-05-19)"));
        for (String toolchain : List.of("equal", "newer", "nightly")) {
            TargetResult r = buildOne(TargetSpec.builder(HOST).rustupToolchain(toolchain).build());
            assertEquals(TargetResult.Status.BUILT, r.status(), toolchain + ": " + r.detail());
        }
        assertEquals(3, runs(HOST));
    }

    @Test
    void crateWithoutRustVersionIsNotChecked() throws IOException {
        crateAndToolchains("", toolchains().withRustc(null, "rustc 1.56.0 (09c42c458 2021-10-18)"));
        TargetResult r = buildOne(target(HOST));
        assertEquals(TargetResult.Status.BUILT, r.status(), r.detail());
        assertEquals(1, runs(HOST));
    }

    @Test
    void rustVersionInheritedFromTheWorkspaceIsCheckedAndNoStaleLibraryStays() throws IOException {
        TargetSpec t = target(HOST);
        TargetResult before = buildOne(t);
        assertEquals(TargetResult.Status.BUILT, before.status(), before.detail());
        // the workspace then declares a rust-version that the default toolchain does not reach
        Files.writeString(tmp.resolve("Cargo.toml"),
                "[workspace]\nmembers = [\"crate\"]\n\n[workspace.package]\nrust-version = \"1.95\"\n");
        crateAndToolchains("rust-version.workspace = true\n", toolchains().withRustc(null, OLD_RUSTC));

        TargetResult r = buildOne(t);

        assertEquals(TargetResult.Status.FAILED, r.status(), r.detail());
        assertTrue(r.detail().contains("toolchain (default) is " + OLD_RUSTC + ", older than rust-version 1.95"),
                r.detail());
        assertNull(r.jar(), "nothing to attach; the earlier JAR stays on disk until a checked one replaces it");
        assertEquals(1, runs(HOST));
    }
}
