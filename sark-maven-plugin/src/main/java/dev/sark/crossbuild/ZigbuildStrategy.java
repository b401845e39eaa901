package dev.sark.crossbuild;

import java.util.Optional;

/**
 * {@code cargo zigbuild}: zig as the C compiler and linker, which brings libc headers and stubs for every
 * target, so no cross gcc or sysroot is needed. A glibc floor becomes cargo-zigbuild's target suffix
 * ({@code aarch64-unknown-linux-gnu.2.17}): the library then links against that glibc's symbol versions.
 */
public final class ZigbuildStrategy implements BuildStrategy {
    private final HostTools tools;

    public ZigbuildStrategy(HostTools tools) {
        this.tools = tools;
    }

    @Override
    public StrategyKind kind() {
        return StrategyKind.ZIGBUILD;
    }

    @Override
    public Optional<String> missing(TargetSpec target) {
        if (!tools.onPath("cargo-zigbuild")) {
            return Optional.of("cargo-zigbuild is not installed: `pip install ziglang cargo-zigbuild`"
                    + " (or `cargo install cargo-zigbuild` plus zig)");
        }
        if (!tools.onPath("zig") && !tools.pythonModuleInstalled("ziglang")) {
            return Optional.of("zig is not installed: `pip install ziglang`");
        }
        return CargoStrategy.missingRust(tools, rustupToolchain(target), target.triple());
    }

    @Override
    public String rustupToolchain(TargetSpec target) {
        return tools.toolchainFor(target.rustupToolchain(), target.triple());
    }

    @Override
    public boolean honoursGlibcFloor(TargetSpec target) {
        return true; // the .2.17 suffix links against zig's stubs of that glibc
    }

    @Override
    public CargoInvocation invocation(TargetSpec target, BuildContext context) {
        String toolchain = rustupToolchain(target);
        return CargoCommand.build(tools.cargo(), toolchain, target, context).withSubcommand("zigbuild")
                .withGlibcFloor(target.glibcFloor()).withEnvironment(CargoStrategy.environment(target, tools.environment()))
                .invocation("zigbuild" + (toolchain == null ? "" : " +" + toolchain));
    }
}
