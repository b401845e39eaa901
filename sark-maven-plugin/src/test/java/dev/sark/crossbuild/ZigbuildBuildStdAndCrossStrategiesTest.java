package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * cross, zigbuild and build-std: what each reports missing, and the command and environment it runs. cross
 * cannot really run here (no Docker engine), so a stand-in {@code cross} on the PATH records what it gets.
 */
class ZigbuildBuildStdAndCrossStrategiesTest {
    private static final String AARCH64 = "aarch64-unknown-linux-gnu";
    private static final String MUSL = "x86_64-unknown-linux-musl";
    private static final String WINDOWS = "x86_64-pc-windows-gnu";

    @TempDir
    Path tmp;
    private Path bin;
    private BuildContext context;

    @BeforeEach
    void setUp() throws IOException {
        bin = Files.createDirectories(tmp.resolve("bin"));
        context = new BuildContext(CrateInfo.read(TestSupport.writeCdylibCrate(tmp.resolve("crate"), "sark-demo")),
                tmp.resolve("cargo-target"), "release", false, false, true);
    }

    /** Host tools whose PATH is only {@code bin}, with a switchable container engine and std source. */
    private final class Tools extends FakeHostTools {
        boolean engine;
        boolean stdSource;
        boolean ziglang;

        Tools(String... triplesWithStd) {
            super(Map.of("PATH", bin.toString()), "rustc 1.95.0 (test)", List.of(triplesWithStd));
        }

        @Override
        public boolean containerEngineRunning() {
            return engine;
        }

        @Override
        public boolean hasStandardLibrarySource(String toolchain) {
            return stdSource;
        }

        @Override
        public Optional<String> toolchainWithStandardLibrarySource(String preferred) {
            return stdSource ? Optional.of(preferred != null ? preferred : "sark-debian") : Optional.empty();
        }

        @Override
        public boolean pythonModuleInstalled(String module) {
            return ziglang && module.equals("ziglang");
        }
    }

    private void plant(String program) throws IOException {
        TestSupport.writeExecutable(bin.resolve(program), "#!/bin/sh\nexit 0\n");
    }

    // ---- cross ----

    @Test
    void crossNeedsTheToolAndARunningContainerEngine() throws IOException {
        Tools tools = new Tools();
        CrossStrategy cross = new CrossStrategy(tools);
        TargetSpec target = TargetSpec.builder(AARCH64).build();
        assertTrue(cross.missing(target).orElseThrow().contains("cargo install cross"));

        plant("cross");
        String noEngine = cross.missing(target).orElseThrow();
        assertTrue(noEngine.contains("no Docker or Podman engine answers"), noEngine);

        tools.engine = true;
        assertEquals(Optional.empty(), cross.missing(target));
    }

    @Test
    void crossesContainerPathsAreTheSameFilesUnderTheBuildsTargetDirectory() throws IOException {
        CrossStrategy cross = new CrossStrategy(new Tools());
        Path inContainer = Path.of("/target/aarch64-unknown-linux-gnu/release/libsark_demo.so");
        Path onHost = context.cargoTargetDir().resolve("aarch64-unknown-linux-gnu/release/libsark_demo.so");

        assertEquals(onHost, cross.hostPath(inContainer, context), "not built yet: where cross writes it");
        Files.createDirectories(onHost.getParent());
        Files.write(onHost, new byte[] {1});
        assertEquals(onHost, cross.hostPath(inContainer, context));
        Path elsewhere = tmp.resolve("shared/libsark_demo.so");
        assertEquals(elsewhere, cross.hostPath(elsewhere, context), "a path outside the mount is the host's own");
    }

    @Test
    void crossRunsWithTheTargetsArgumentsAndEnvironmentButNoHostLinker() throws Exception {
        Path record = tmp.resolve("cross-record.txt");
        // The stand-in records its arguments and the variables the build passes, one per line.
        TestSupport.writeExecutable(bin.resolve("cross"), String.join("\n",
                "#!/bin/sh",
                "for a in \"$@\"; do echo \"arg=$a\"; done > '" + record + "'",
                "echo \"RUSTFLAGS=$RUSTFLAGS\" >> '" + record + "'",
                "echo \"SARK_EXTRA=$SARK_EXTRA\" >> '" + record + "'",
                "echo \"LINKER=${CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER:-unset}\" >> '" + record + "'",
                "echo '   Compiling sark-demo (in a container)'"));
        TargetSpec target = TargetSpec.builder(AARCH64).linker("aarch64-linux-gnu-gcc")
                .rustflags("-C target-cpu=neoverse-n1").env(Map.of("SARK_EXTRA", "yes")).build();
        Tools tools = new Tools();
        tools.engine = true;

        CargoInvocation invocation = new CrossStrategy(tools).invocation(target, context);

        assertEquals("cross", invocation.label());
        assertEquals("cross", invocation.command().get(0));
        assertFalse(invocation.environment().containsKey("CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER"),
                "the image brings its linker; a host linker path means nothing inside the container");
        // Run it the way the build does, with the stand-in first on the PATH of the child.
        List<String> command = new ArrayList<>(List.of("env", "PATH=" + bin + ":" + System.getenv("PATH")));
        command.addAll(invocation.command());
        List<String> lines = new ArrayList<>();
        CommandRunner.Result r = new CommandRunner().stream(command, invocation.environment(), tmp, lines::add);

        assertEquals(0, r.exitCode(), lines.toString());
        assertTrue(lines.contains("   Compiling sark-demo (in a container)"), lines.toString());
        List<String> recorded = Files.readAllLines(record);
        List<String> args = new ArrayList<>();
        recorded.stream().filter(l -> l.startsWith("arg=")).forEach(l -> args.add(l.substring(4)));
        assertEquals(List.of("build", "--manifest-path", context.crate().manifest().toString(), "--target", AARCH64,
                "--target-dir", context.cargoTargetDir().toString(), "--profile", "release", "--lib", CargoMessages.FORMAT_FLAG), args);
        assertTrue(recorded.get(recorded.size() - 3).startsWith("RUSTFLAGS=")
                && recorded.get(recorded.size() - 3).contains("-C target-cpu=neoverse-n1"), recorded.toString());
        assertTrue(recorded.contains("SARK_EXTRA=yes"), recorded.toString());
        assertTrue(recorded.contains("LINKER=unset"), recorded.toString());
    }

    // ---- zigbuild ----

    @Test
    void zigbuildNeedsCargoZigbuildAndZigAndTheStandardLibrary() throws IOException {
        Tools tools = new Tools();
        ZigbuildStrategy zig = new ZigbuildStrategy(tools);
        TargetSpec target = TargetSpec.builder(AARCH64).build();
        assertTrue(zig.missing(target).orElseThrow().contains("pip install ziglang cargo-zigbuild"));
        plant("cargo-zigbuild");
        assertTrue(zig.missing(target).orElseThrow().contains("zig is not installed"));
        tools.ziglang = true; // pip's ziglang module is enough: cargo-zigbuild finds zig through it
        plant("cargo");
        assertTrue(zig.missing(target).orElseThrow().contains("rustup target add " + AARCH64));
        Tools withStd = new Tools(AARCH64);
        withStd.ziglang = true;
        assertEquals(Optional.empty(), new ZigbuildStrategy(withStd).missing(target));
    }

    @Test
    void zigbuildTurnsTheGlibcFloorIntoTheTargetSuffix() {
        TargetSpec target = TargetSpec.builder(AARCH64).glibcFloor("2.17").build();
        CargoInvocation invocation = new ZigbuildStrategy(new Tools(AARCH64)).invocation(target, context);
        assertEquals(List.of("cargo", "zigbuild", "--manifest-path", context.crate().manifest().toString(),
                "--target", AARCH64 + ".2.17", "--target-dir", context.cargoTargetDir().toString(),
                "--profile", "release", "--lib", CargoMessages.FORMAT_FLAG), invocation.command());
        assertEquals("zigbuild", invocation.label());
    }

    // ---- build-std ----

    @Test
    void buildStdNeedsTheStandardLibrarySource() throws IOException {
        plant("cargo");
        Tools tools = new Tools();
        BuildStdStrategy buildStd = new BuildStdStrategy(tools);
        TargetSpec target = TargetSpec.builder(MUSL).build();
        assertTrue(buildStd.missing(target).orElseThrow().contains("rustup component add rust-src"));
        tools.stdSource = true;
        tools.ziglang = true;
        plant("cargo-zigbuild");
        assertEquals(Optional.empty(), buildStd.missing(target));
    }

    @Test
    void buildStdCompilesTheStandardLibraryLinksMuslWithZigAndKeepsItDynamic() throws IOException {
        plant("cargo");
        plant("cargo-zigbuild");
        Tools tools = new Tools();
        tools.stdSource = true;
        tools.ziglang = true;

        CargoInvocation invocation = new BuildStdStrategy(tools).invocation(TargetSpec.builder(MUSL).build(), context);

        assertEquals(List.of("cargo", "+sark-debian", "zigbuild"), invocation.command().subList(0, 3));
        assertTrue(invocation.command().contains("-Zbuild-std=std,panic_unwind"), invocation.command().toString());
        assertEquals("1", invocation.environment().get("RUSTC_BOOTSTRAP"));
        assertTrue(invocation.environment().get("RUSTFLAGS").contains("-C target-feature=-crt-static"),
                "musl needs -crt-static to produce a cdylib: " + invocation.environment());
        assertEquals("sark-debian", invocation.rustupToolchain());
    }

    @Test
    void buildStdLinksWindowsWithMingwWhenItIsInstalled() throws IOException {
        plant("cargo");
        plant("cargo-zigbuild");
        plant("x86_64-w64-mingw32-gcc");
        Tools tools = new Tools();
        tools.stdSource = true;
        tools.ziglang = true;

        CargoInvocation invocation = new BuildStdStrategy(tools).invocation(TargetSpec.builder(WINDOWS).build(), context);

        assertEquals("build", invocation.command().get(2), "zig's mingw lacks libssp_nonshared: plain cargo build");
        assertEquals("x86_64-w64-mingw32-gcc",
                invocation.environment().get("CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER"));
        assertFalse(invocation.environment().get("RUSTFLAGS").contains("crt-static"), "no musl flag for Windows");
    }

    @Test
    void autoBuildsATargetWhoseStandardLibraryTheToolchainLacksWithBuildStdFromThatToolchain() throws IOException {
        // What scripts/install-toolchains.sh leaves when Debian's arm64 std lags behind the amd64 compiler: the
        // linked toolchain has the x86_64 and armv7 standard libraries and the std source, no aarch64 std.
        plant("cargo");
        plant("aarch64-linux-gnu-gcc");
        plant("arm-linux-gnueabihf-gcc");
        String host = "x86_64-unknown-linux-gnu";
        String armv7 = "armv7-unknown-linux-gnueabihf";
        Tools tools = new Tools(host);
        tools.withToolchain("sark-debian", host, armv7);
        tools.stdSource = true;
        StrategySelector selector = StrategySelector.standard(tools, host);

        TargetSpec aarch64 = TargetSpec.builder(AARCH64).build();
        StrategySelector.Selection lagging = selector.select(aarch64);
        assertEquals(StrategyKind.BUILD_STD, lagging.strategy().kind(), lagging.reasons().toString());
        assertEquals("sark-debian", lagging.strategy().rustupToolchain(aarch64));
        assertTrue(lagging.reasons().get(0).contains("the standard library for " + AARCH64 + " is not installed"),
                lagging.reasons().toString());
        CargoInvocation invocation = lagging.strategy().invocation(aarch64, context);
        assertEquals(List.of("cargo", "+sark-debian", "build"), invocation.command().subList(0, 3));
        assertTrue(invocation.command().contains("-Zbuild-std=std,panic_unwind"), invocation.command().toString());

        TargetSpec arm = TargetSpec.builder(armv7).build();
        StrategySelector.Selection packaged = selector.select(arm);
        assertEquals(StrategyKind.CARGO, packaged.strategy().kind(), packaged.reasons().toString());
        assertEquals("sark-debian", packaged.strategy().rustupToolchain(arm));
        assertEquals(List.of("cargo", "+sark-debian", "build"),
                packaged.strategy().invocation(arm, context).command().subList(0, 3));
    }

    @Test
    void autoPassesOverStrategiesThatCannotHonourAGlibcFloor() throws IOException {
        plant("cargo");
        plant("aarch64-linux-gnu-gcc");
        String host = "x86_64-unknown-linux-gnu";
        Tools tools = new Tools(host, AARCH64);
        StrategySelector selector = StrategySelector.standard(tools, host);

        // without a floor plain cargo can build it, and does
        assertEquals(StrategyKind.CARGO, selector.select(TargetSpec.builder(AARCH64).build()).strategy().kind());

        // with one, plain cargo (this machine's glibc) is passed over, and says why
        TargetSpec floored = TargetSpec.builder(AARCH64).glibcFloor("2.17").build();
        StrategySelector.Selection noZig = selector.select(floored);
        assertEquals(null, noZig.strategy(), noZig.reasons().toString());
        assertTrue(noZig.reasons().get(0).contains("cargo: links against this machine's glibc, not glibc 2.17"),
                noZig.reasons().toString());

        plant("cargo-zigbuild");
        plant("zig");
        StrategySelector.Selection zig = selector.select(floored);
        assertEquals(StrategyKind.ZIGBUILD, zig.strategy().kind(), zig.reasons().toString());
        assertTrue(zig.strategy().invocation(floored, context).command().contains(AARCH64 + ".2.17"));

        // a forced strategy is the pom's decision: the library check then holds it to the floor
        TargetSpec forced = TargetSpec.builder(AARCH64).glibcFloor("2.17").strategy(StrategyKind.CARGO).build();
        assertEquals(StrategyKind.CARGO, selector.select(forced).strategy().kind());
    }
}
