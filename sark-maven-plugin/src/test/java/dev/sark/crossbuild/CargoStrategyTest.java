package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sark.crossbuild.TestSupport.FakeHostTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CargoStrategyTest {
    private static final String HOST = "x86_64-unknown-linux-gnu";
    private static final String AARCH64 = "aarch64-unknown-linux-gnu";
    private static final String AARCH64_LINKER_VAR = "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER";

    @TempDir
    Path tmp;

    private CrateInfo crate;
    /** The only directory on the PATH of the fake host tools. */
    private Path bin;

    @BeforeEach
    void setUp() throws IOException {
        crate = CrateInfo.read(TestSupport.writeCdylibCrate(tmp.resolve("crate"), "sark-demo"));
        bin = Files.createDirectories(tmp.resolve("bin"));
    }

    private BuildContext context(boolean offline) {
        return new BuildContext(crate, tmp.resolve("cargo-target"), "release", offline, false, true);
    }

    /** Host tools with a stand-in cargo on the PATH and the default toolchain holding these standard libraries. */
    private FakeHostTools toolsWithStd(String... triplesWithStd) throws IOException {
        plant("cargo");
        return new FakeHostTools(Map.of("PATH", bin.toString()), "rustc 1.95.0 (test)", List.of(triplesWithStd));
    }

    private void plant(String program) throws IOException {
        TestSupport.writeExecutable(bin.resolve(program), "#!/bin/sh\nexit 0\n");
    }

    private static void assumeNoLinkerVariableInTheEnvironment() {
        assumeTrue(System.getenv(AARCH64_LINKER_VAR) == null, AARCH64_LINKER_VAR + " is not set in this environment");
    }

    // ---- invocation ----

    @Test
    void invocationBuildsTheLibForTheTargetThroughTheRustupToolchain() throws IOException {
        TargetSpec target = TargetSpec.builder(AARCH64).rustupToolchain("debian").build();
        BuildContext ctx = context(false);

        CargoInvocation inv = new CargoStrategy(toolsWithStd(HOST), HOST).invocation(target, ctx);

        assertEquals(List.of("cargo", "+debian", "build",
                "--manifest-path", crate.manifest().toString(),
                "--target", AARCH64,
                "--target-dir", ctx.cargoTargetDir().toString(),
                "--profile", "release",
                "--lib", CargoMessages.FORMAT_FLAG), inv.command());
        assertTrue(Path.of(inv.command().get(inv.command().indexOf("--manifest-path") + 1)).isAbsolute());
        assertEquals("debian", inv.rustupToolchain());
        assertEquals("cargo +debian", inv.label());
    }

    @Test
    void offlineAddsOfflineAndNoToolchainMeansNoPlus() throws IOException {
        CargoStrategy s = new CargoStrategy(toolsWithStd(HOST), HOST);
        TargetSpec target = TargetSpec.builder(HOST).build();
        List<String> offline = s.invocation(target, context(true)).command();
        CargoInvocation onlineInv = s.invocation(target, context(false));
        List<String> online = onlineInv.command();

        assertEquals("--offline", offline.get(offline.size() - 1));
        assertFalse(online.contains("--offline"));
        assertTrue(online.stream().noneMatch(a -> a.startsWith("+")), online.toString());
        List<String> withoutOffline = new ArrayList<>(offline);
        withoutOffline.remove("--offline");
        assertEquals(online, withoutOffline);
        assertNull(onlineInv.rustupToolchain());
        assertEquals("cargo", onlineInv.label());
    }

    @Test
    void profileIsPassedThrough() throws IOException {
        BuildContext dev = new BuildContext(crate, tmp.resolve("t"), "dev", false, false, true);
        List<String> cmd = new CargoStrategy(toolsWithStd(HOST), HOST).invocation(TargetSpec.builder(HOST).build(), dev)
                .command();
        assertEquals("dev", cmd.get(cmd.indexOf("--profile") + 1));
    }

    @Test
    void environmentSetsLinkerRustflagsAndUserVariables() throws IOException {
        TargetSpec target = TargetSpec.builder(AARCH64)
                .linker("aarch64-linux-gnu-gcc")
                .rustflags("-C target-feature=+crt-static")
                .env(Map.of("CC_aarch64_unknown_linux_gnu", "aarch64-linux-gnu-gcc", "SARK_X", "1"))
                .build();

        Map<String, String> env = new CargoStrategy(toolsWithStd(HOST, AARCH64), HOST).invocation(target, context(false))
                .environment();

        assertEquals("aarch64-linux-gnu-gcc", env.get(AARCH64_LINKER_VAR));
        String inherited = System.getenv("RUSTFLAGS");
        String expectedFlags = inherited == null || inherited.isBlank()
                ? "-C target-feature=+crt-static" : inherited + " -C target-feature=+crt-static";
        assertEquals(expectedFlags + " " + String.join(" ", CargoStrategy.remapFlags(HostEnvironment.current().variables())), env.get("RUSTFLAGS"));
        assertEquals("aarch64-linux-gnu-gcc", env.get("CC_aarch64_unknown_linux_gnu"));
        assertEquals("1", env.get("SARK_X"));
        assertEquals("never", env.get("CARGO_TERM_COLOR"));
    }

    @Test
    void noLinkerFoundNoRustflagsMeansNoSuchVariables() throws IOException {
        assumeNoLinkerVariableInTheEnvironment();
        // the usual cross gcc is not on the (fake) PATH, so there is no linker to set
        Map<String, String> env = new CargoStrategy(toolsWithStd(HOST, AARCH64), HOST)
                .invocation(TargetSpec.builder(AARCH64).build(), context(false)).environment();
        assertFalse(env.containsKey(AARCH64_LINKER_VAR), env.toString());
        assertEquals(String.join(" ", CargoStrategy.remapFlags(HostEnvironment.current().variables())), env.get("RUSTFLAGS"),
                "only the flags that keep build-machine paths out of the library");
        assertTrue(env.keySet().stream().noneMatch(k -> k.endsWith("_LINKER")), env.toString());
    }

    @Test
    void hostTargetGetsNoLinkerVariable() throws IOException {
        plant("x86_64-linux-gnu-gcc");
        Map<String, String> env = new CargoStrategy(toolsWithStd(HOST), HOST)
                .invocation(TargetSpec.builder(HOST).build(), context(false)).environment();
        assertTrue(env.keySet().stream().noneMatch(k -> k.endsWith("_LINKER")), env.toString());
    }

    @Test
    void installedCrossGccIsUsedWhenThePomNamesNoLinker() throws IOException {
        assumeNoLinkerVariableInTheEnvironment();
        FakeHostTools tools = toolsWithStd(HOST, AARCH64);
        plant("aarch64-linux-gnu-gcc");
        CargoStrategy s = new CargoStrategy(tools, HOST);
        TargetSpec target = TargetSpec.builder(AARCH64).build();

        assertEquals(Optional.empty(), s.missing(target));
        assertEquals("aarch64-linux-gnu-gcc", s.invocation(target, context(false)).environment().get(AARCH64_LINKER_VAR));
    }

    @Test
    void explicitLinkerIsTheOneCheckedAndTheOneCargoGets() throws IOException {
        // <linker> and a CARGO_TARGET_*_LINKER in <env>: missing() checks <linker>, so cargo must get it too
        FakeHostTools tools = toolsWithStd(HOST, AARCH64);
        plant("from-linker-element");
        TargetSpec target = TargetSpec.builder(AARCH64).linker("from-linker-element")
                .env(Map.of(AARCH64_LINKER_VAR, "from-env-element")).build();
        CargoStrategy s = new CargoStrategy(tools, HOST);

        assertEquals(Optional.empty(), s.missing(target));
        assertEquals("from-linker-element", s.invocation(target, context(false)).environment().get(AARCH64_LINKER_VAR));
    }

    @Test
    void anotherInstalledToolchainWithTheStdIsPickedWhenTheDefaultLacksIt() throws IOException {
        assumeNoLinkerVariableInTheEnvironment();
        FakeHostTools tools = toolsWithStd(HOST).withToolchain("sark-debian", HOST, AARCH64);
        plant("aarch64-linux-gnu-gcc");
        CargoStrategy s = new CargoStrategy(tools, HOST);
        TargetSpec target = TargetSpec.builder(AARCH64).build();

        assertEquals(Optional.empty(), s.missing(target));
        CargoInvocation inv = s.invocation(target, context(false));
        assertEquals("+sark-debian", inv.command().get(1));
        assertEquals("sark-debian", inv.rustupToolchain());
        assertEquals("cargo +sark-debian", inv.label());
    }

    @Test
    void theDefaultToolchainIsKeptWhenItHasTheStd() throws IOException {
        FakeHostTools tools = toolsWithStd(HOST, AARCH64).withToolchain("sark-debian", AARCH64);
        CargoInvocation inv = new CargoStrategy(tools, HOST).invocation(TargetSpec.builder(AARCH64).build(), context(false));
        assertNull(inv.rustupToolchain());
        assertEquals("build", inv.command().get(1));
    }

    @Test
    void cargoTargetVariableUpperCasesTheTriple() {
        assertEquals("CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER", CargoStrategy.cargoTargetVariable(AARCH64, "LINKER"));
        assertEquals("CARGO_TARGET_ARMV7_UNKNOWN_LINUX_GNUEABIHF_RUNNER",
                CargoStrategy.cargoTargetVariable("armv7-unknown-linux-gnueabihf", "RUNNER"));
    }

    @Test
    void buildMachinePathsAreRemappedSoTheyStayOutOfTheLibrary() {
        List<String> flags = CargoStrategy.remapFlags(Map.of("HOME", "/home/ci", "RUSTUP_HOME", "/opt/rustup"));
        assertEquals(List.of("--remap-path-prefix=/home/ci=/home", "--remap-path-prefix=/home/ci/.cargo=/cargo",
                "--remap-path-prefix=/opt/rustup=/rustup"), flags);
        assertEquals(List.of("--remap-path-prefix=/home/ci=/home", "--remap-path-prefix=/opt/rustup=/rustup"),
                CargoStrategy.remapFlags(Map.of("HOME", "/home/ci", "CARGO_HOME", "/home/c i/cargo", "RUSTUP_HOME", "/opt/rustup")),
                "RUSTFLAGS splits on spaces: a path with one is left out rather than passed broken");
    }

    @Test
    void cargoIsLockedWhenTheWorkspaceHasALockFileAndFrozenOffline() throws IOException {
        TargetSpec target = TargetSpec.builder(HOST).build();
        CargoStrategy cargo = new CargoStrategy(toolsWithStd(HOST), HOST);
        assertFalse(cargo.invocation(target, context(false)).command().contains("--locked"), "no Cargo.lock yet");
        Files.writeString(context(false).crate().workspaceRoot().resolve("Cargo.lock"), "version = 4\n");
        assertTrue(cargo.invocation(target, context(false)).command().contains("--locked"));
        List<String> offline = cargo.invocation(target, context(true)).command();
        assertTrue(offline.contains("--frozen") && !offline.contains("--locked"), offline.toString());
        BuildContext unlocked = new BuildContext(context(false).crate(), tmp.resolve("t"), "release", false, false, false);
        assertFalse(cargo.invocation(target, unlocked).command().contains("--locked"), "<locked>false</locked>");
    }

    @Test
    void displayQuotesValuesWithSpaces() throws IOException {
        TargetSpec target = TargetSpec.builder(HOST).rustflags("-C target-feature=-crt-static").build();
        String display = new CargoStrategy(toolsWithStd(HOST), HOST).invocation(target, context(false)).display();
        assertTrue(display.contains("RUSTFLAGS='"), display);
        assertTrue(display.contains("-C target-feature=-crt-static"), display);
        assertTrue(display.contains("cargo build --manifest-path "), display);
    }

    @Test
    void kind() throws IOException {
        assertEquals(StrategyKind.CARGO, new CargoStrategy(toolsWithStd(HOST), HOST).kind());
    }

    // ---- missing(): real probes of this machine ----

    private HostTools realTools() {
        HostTools real = new HostTools(new CommandRunner(), tmp);
        assumeTrue(real.onPath("cargo") && real.rustcVersion(null).isPresent(), "cargo and rustc installed");
        return real;
    }

    @Test
    void realMachine_hostTargetNeedsNothing() {
        HostTools real = realTools();
        assertEquals(Optional.empty(), new CargoStrategy(real, HOST).missing(TargetSpec.builder(HOST).build()));
    }

    @Test
    void realMachine_targetWithoutStdSuggestsRustupTargetAdd() {
        HostTools real = realTools();
        String triple = "s390x-unknown-linux-gnu";
        assumeTrue(!real.hasStandardLibrary(null, triple) && real.toolchainFor(null, triple) == null,
                "no toolchain on this machine has the s390x std");

        Optional<String> missing = new CargoStrategy(real, HOST).missing(TargetSpec.builder(triple).build());

        assertTrue(missing.isPresent());
        assertTrue(missing.get().contains("rustup target add " + triple), missing.get());
    }

    @Test
    void realMachine_namedToolchainWithoutStdSuggestsRustupPlusToolchain() {
        HostTools real = realTools();
        assumeTrue(real.rustcVersion("stable").isPresent(), "rustup toolchain stable");
        String triple = "s390x-unknown-linux-gnu";
        assumeTrue(!real.hasStandardLibrary("stable", triple), "no s390x std in stable");

        Optional<String> missing = new CargoStrategy(real, HOST).missing(
                TargetSpec.builder(triple).rustupToolchain("stable").build());

        assertTrue(missing.orElseThrow().contains("rustup +stable target add " + triple), missing.get());
    }

    // ---- missing(): planted tools ----

    @Test
    void noCargoOnThePath() {
        HostTools tools = new FakeHostTools(Map.of("PATH", bin.toString()), "rustc 1.95.0", List.of(HOST));
        Optional<String> missing = new CargoStrategy(tools, HOST).missing(TargetSpec.builder(HOST).build());
        assertTrue(missing.orElseThrow().contains("cargo is not on the PATH"), missing.toString());
    }

    @Test
    void rustupToolchainThatDoesNotRun() throws IOException {
        HostTools tools = toolsWithStd(HOST);
        Optional<String> missing = new CargoStrategy(tools, HOST).missing(
                TargetSpec.builder(HOST).rustupToolchain("debian").build());
        assertTrue(missing.orElseThrow().contains("rustup toolchain 'debian' is not installed"), missing.toString());
        assertTrue(missing.get().contains("rustup toolchain link debian"), missing.toString());
    }

    @Test
    void foreignTargetWithStdButNoLinkerSuggestsTheCrossLinker() throws IOException {
        assumeNoLinkerVariableInTheEnvironment();
        HostTools tools = toolsWithStd(HOST, AARCH64);

        String m = new CargoStrategy(tools, HOST).missing(TargetSpec.builder(AARCH64).build()).orElseThrow();

        assertTrue(m.contains("no linker is set for " + AARCH64), m);
        assertTrue(m.contains("<linker>aarch64-linux-gnu-gcc</linker>"), m);
        assertTrue(m.contains("gcc-aarch64-linux-gnu"), m);
        assertTrue(m.contains("zigbuild"), m);
    }

    @Test
    void foreignTargetWhoseConfiguredLinkerIsNotOnThePath() throws IOException {
        HostTools tools = toolsWithStd(HOST, AARCH64);
        String m = new CargoStrategy(tools, HOST).missing(
                TargetSpec.builder(AARCH64).linker("aarch64-linux-gnu-gcc").build()).orElseThrow();
        assertTrue(m.contains("linker 'aarch64-linux-gnu-gcc' is not on the PATH"), m);
        assertTrue(m.contains("apt-get install gcc-aarch64-linux-gnu"), m);
    }

    @Test
    void foreignTargetWithConfiguredLinkerOnThePathIsBuildable() throws IOException {
        HostTools tools = toolsWithStd(HOST, AARCH64);
        plant("aarch64-linux-gnu-gcc");
        assertEquals(Optional.empty(), new CargoStrategy(tools, HOST).missing(
                TargetSpec.builder(AARCH64).linker("aarch64-linux-gnu-gcc").build()));
    }

    @Test
    void linkerGivenThroughTheTargetsEnvIsChecked() throws IOException {
        HostTools tools = toolsWithStd(HOST, AARCH64);
        TargetSpec viaEnv = TargetSpec.builder(AARCH64).env(Map.of(AARCH64_LINKER_VAR, "my-cross-cc")).build();
        CargoStrategy s = new CargoStrategy(tools, HOST);

        assertTrue(s.missing(viaEnv).orElseThrow().contains("'my-cross-cc'"));

        plant("my-cross-cc");
        assertEquals(Optional.empty(), s.missing(viaEnv));
        assertEquals("my-cross-cc", s.invocation(viaEnv, context(false)).environment().get(AARCH64_LINKER_VAR));
    }

    @Test
    void hostTargetNeedsNoCrossLinker() throws IOException {
        assertEquals(Optional.empty(), new CargoStrategy(toolsWithStd(HOST), HOST).missing(TargetSpec.builder(HOST).build()));
    }

    @Test
    void missingStdIsReportedBeforeTheLinker() throws IOException {
        String m = new CargoStrategy(toolsWithStd(HOST), HOST).missing(TargetSpec.builder(AARCH64).build()).orElseThrow();
        assertTrue(m.contains("rustup target add " + AARCH64), m);
    }

    @Test
    void everyMacosBuildSetsItsDeploymentTargetAndOthersDoNot() {
        TargetSpec mac = TargetSpec.builder("aarch64-apple-darwin")
                .env(Map.of("MACOSX_DEPLOYMENT_TARGET", "14.0")).build();
        assertEquals("11.0", CargoStrategy.environment(mac, Map.of()).get("MACOSX_DEPLOYMENT_TARGET"),
                "<macosMinimum> (here the default) wins over <env>, so the check and the build agree");
        assertEquals("10.13", CargoStrategy.environment(TargetSpec.builder("x86_64-apple-darwin").macosMinimum("10.13")
                .build(), Map.of()).get("MACOSX_DEPLOYMENT_TARGET"));
        assertFalse(CargoStrategy.environment(TargetSpec.builder(AARCH64).build(), Map.of())
                .containsKey("MACOSX_DEPLOYMENT_TARGET"));
    }
}
