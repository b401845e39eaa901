package dev.sark.crossbuild;

import dev.sark.loader.Platform;
import java.util.Map;
import java.util.Optional;

/**
 * {@code cargo build -Zbuild-std}: compiles the standard library from source for targets that have no
 * packaged one (musl, Windows, FreeBSD, macOS from this machine). Needs a toolchain with the std source
 * ({@code rustup component add rust-src}, or Debian's rust-web-src); on a stable compiler
 * {@code RUSTC_BOOTSTRAP=1} unlocks the unstable flag. Links with zig when cargo-zigbuild is installed,
 * else with the target's cross linker; Windows prefers mingw-w64's gcc, because Rust's windows-gnu standard
 * library links {@code libssp_nonshared}, which zig's mingw does not provide.
 */
public final class BuildStdStrategy implements BuildStrategy {
    private final HostTools tools;

    public BuildStdStrategy(HostTools tools) {
        this.tools = tools;
    }

    @Override
    public StrategyKind kind() {
        return StrategyKind.BUILD_STD;
    }

    @Override
    public Optional<String> missing(TargetSpec target) {
        if (!tools.cargoAvailable()) {
            return Optional.of("cargo is not on the PATH: install Rust with rustup");
        }
        if (tools.toolchainWithStandardLibrarySource(target.rustupToolchain()).isEmpty()) {
            return Optional.of("no toolchain carries the standard library's source: `rustup component add rust-src`"
                    + " or `scripts/install-toolchains.sh build-std`");
        }
        if (!useZig(target) && linker(target) == null) {
            return Optional.of(Suggestions.missingLinker(target.platform(), target.linker()));
        }
        return Optional.empty();
    }

    @Override
    public String rustupToolchain(TargetSpec target) {
        return tools.toolchainWithStandardLibrarySource(target.rustupToolchain()).orElse(target.rustupToolchain());
    }

    @Override
    public boolean honoursGlibcFloor(TargetSpec target) {
        return useZig(target);
    }

    @Override
    public CargoInvocation invocation(TargetSpec target, BuildContext context) {
        String toolchain = rustupToolchain(target);
        boolean zig = useZig(target);
        CargoCommand command = CargoCommand.build(tools.cargo(), toolchain, target, context)
                .withFlags("-Zbuild-std=std,panic_unwind");
        if (zig) {
            command = command.withSubcommand("zigbuild").withGlibcFloor(target.glibcFloor());
        }
        Map<String, String> env = CargoStrategy.environment(target, tools.environment());
        env.put("RUSTC_BOOTSTRAP", "1");
        String linker = zig ? null : linker(target);
        if (linker != null) {
            env.put(CargoStrategy.cargoTargetVariable(target.triple(), "LINKER"), linker);
        }
        return command.withEnvironment(env)
                .invocation("build-std" + (zig ? "+zig" : "") + (toolchain == null ? "" : " +" + toolchain));
    }

    private boolean useZig(TargetSpec target) {
        if (target.platform().os() == Platform.Os.WINDOWS && linker(target) != null) {
            return false;
        }
        return tools.zigbuildAvailable();
    }

    private String linker(TargetSpec target) {
        if (target.linker() != null) {
            return tools.onPath(target.linker()) ? target.linker() : null;
        }
        return tools.installedCrossLinker(target.platform()).orElse(null);
    }
}
