package dev.sark.build;

import java.util.Optional;

/** One way of building a Rust target (plain cargo, cross, cargo-zigbuild, build-std): one class each. */
public interface ToolchainStrategy {
    ToolchainKind kind();

    /**
     * Why this strategy cannot build the target on this machine, with the fix, or empty when it can.
     * Used by {@code auto} to pick a strategy and by {@code sark:doctor} to report.
     */
    Optional<String> missing(TargetSpec target);

    /** The command that builds the target. */
    CargoInvocation invocation(TargetSpec target, BuildContext context);
}
