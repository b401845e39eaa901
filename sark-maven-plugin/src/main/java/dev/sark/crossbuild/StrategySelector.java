package dev.sark.crossbuild;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Picks the build strategy for a target: the one the pom forces, or with {@code auto} the first that can work. */
public final class StrategySelector {
    private final Map<StrategyKind, BuildStrategy> strategies = new LinkedHashMap<>();

    /** {@code strategies} in the order {@code auto} tries them. */
    public StrategySelector(List<BuildStrategy> strategies) {
        for (BuildStrategy s : strategies) {
            this.strategies.put(s.kind(), s);
        }
    }

    /** The outcome of a selection: a strategy, or why none fits. */
    /**
     * @param strategy the strategy that builds the target, or null when none can
     * @param reasons  why strategies were passed over (for auto, those before the chosen one), or what is missing
     */
    public record Selection(BuildStrategy strategy, List<String> reasons) {
        public Selection {
            reasons = List.copyOf(reasons);
        }
    }

    public Selection select(TargetSpec target) {
        List<String> reasons = new ArrayList<>();
        if (target.strategy() != StrategyKind.AUTO) {
            BuildStrategy forced = strategies.get(target.strategy());
            if (forced == null) {
                reasons.add(target.strategy().pomName() + " is not supported by this version of the plugin");
                return new Selection(null, reasons);
            }
            // What the strategy reports missing (toolchain, std, linker, zig, Docker) would fail the build anyway;
            // saying so up front with the fix beats cargo's error.
            Optional<String> missing = forced.missing(target);
            if (missing.isPresent()) {
                reasons.add(target.strategy().pomName() + ": " + missing.get());
                return new Selection(null, reasons);
            }
            return new Selection(forced, reasons);
        }
        for (BuildStrategy candidate : strategies.values()) {
            if (target.glibcFloor() != null && !candidate.honoursGlibcFloor(target)) {
                reasons.add(candidate.kind().pomName() + ": links against this machine's glibc, not glibc "
                        + target.glibcFloor() + " (<glibcFloor>)");
                continue;
            }
            Optional<String> missing = candidate.missing(target);
            if (missing.isEmpty()) {
                return new Selection(candidate, reasons);
            }
            reasons.add(candidate.kind().pomName() + ": " + missing.get());
        }
        return new Selection(null, reasons);
    }

    /** Every strategy, in the order {@code auto} tries them: plain cargo first, cross (Docker) last. */
    public static StrategySelector standard(HostTools tools, String hostTriple) {
        return new StrategySelector(List.of(new CargoStrategy(tools, hostTriple), new ZigbuildStrategy(tools),
                new BuildStdStrategy(tools), new CrossStrategy(tools)));
    }
}
