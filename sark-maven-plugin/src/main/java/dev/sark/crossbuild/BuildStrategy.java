package dev.sark.crossbuild;

import java.nio.file.Path;
import java.util.Optional;

/** One way of building a Rust target (plain cargo, cross, cargo-zigbuild, build-std): one class each. */
public interface BuildStrategy {
    StrategyKind kind();

    /**
     * Why this strategy cannot build the target on this machine, with the fix, or empty when it can.
     * Used by {@code auto} to pick a strategy and by {@code sark:doctor} to report.
     */
    Optional<String> missing(TargetSpec target);

    /**
     * The rustup toolchain the target is built with ({@code cargo +NAME}), or null for the default one: whose
     * compiler the build checks against the crate's rust-version before it runs anything.
     */
    default String rustupToolchain(TargetSpec target) {
        return target.rustupToolchain();
    }

    /**
     * Whether the library this strategy links for the target needs no glibc newer than its
     * {@code <glibcFloor>}: true for strategies that link through zig against that glibc's symbols, false
     * for those that link against whatever glibc the build machine (or container) has. {@code auto} passes
     * over a strategy that cannot honour a target's floor.
     */
    default boolean honoursGlibcFloor(TargetSpec target) {
        return false;
    }

    /** The command that builds the target. */
    CargoInvocation invocation(TargetSpec target, BuildContext context);

    /**
     * Where a file cargo reported in its messages lies on this machine: where cargo said for strategies that
     * run cargo here; cross's cargo runs in a container and names paths inside it.
     */
    default Path hostPath(Path reported, BuildContext context) {
        return reported;
    }
}
