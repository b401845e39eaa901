package dev.sark.crossbuild;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code sark:doctor}: for each target, which strategy would build it and what the machine has for it,
 * with the fix for each missing piece (a toolchain older than the crate's rust-version too). Reads the same probes and the same {@link Suggestions} as the build.
 */
public final class Doctor {
    private final HostTools tools;
    private final StrategySelector selector;
    private final String hostTriple;
    private final String rustVersion;
    private final String crate;

    public Doctor(HostTools tools, StrategySelector selector, String hostTriple) {
        this(tools, selector, hostTriple, null, null);
    }

    /**
     * {@code rustVersion}: the crate's rust-version (null: none declared, nothing to check), which the compiler
     * of each target's toolchain must reach; {@code crate} names the crate in the fix.
     */
    public Doctor(HostTools tools, StrategySelector selector, String hostTriple, String rustVersion, String crate) {
        this.tools = tools;
        this.selector = selector;
        this.hostTriple = hostTriple;
        this.rustVersion = rustVersion;
        this.crate = crate;
    }

    /** One target's verdict: the strategy that would build it, whether it can be built here, and the fixes. */
    public record TargetCheck(String triple, String strategy, boolean buildable, List<String> fixes) {
    }

    /**
     * The report, and whether every target has a strategy that can build it.
     *
     * @param lines        the table and the fixes, as printed
     * @param allBuildable whether every target can be built here
     * @param targets      per target, for the result file
     */
    public record Report(List<String> lines, boolean allBuildable, List<TargetCheck> targets) {
        public Report {
            lines = List.copyOf(lines);
            targets = List.copyOf(targets);
        }
    }

    public Report examine(List<TargetSpec> targets) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TARGET", "STRATEGY", "CARGO", "TOOLCHAIN", "STD", "LINKER", "ZIG", "DOCKER"});
        Set<String> fixes = new LinkedHashSet<>();
        List<TargetCheck> checks = new ArrayList<>();
        boolean allBuildable = true;
        String zig = tools.zigbuildAvailable() ? "yes" : "missing";
        String docker = tools.containerEngineRunning() ? "running" : (tools.onPath("docker") ? "no engine" : "missing");
        for (TargetSpec target : targets) {
            if (!target.slices().isEmpty()) {
                // built by no strategy: merged from the two thin macOS libraries of the same matrix
                rows.add(new String[] {target.triple(), "merge", "-", "-", "-", "-", "-", "-"});
                checks.add(new TargetCheck(target.triple(), "merge", true, List.of()));
                continue;
            }
            StrategySelector.Selection selection = selector.select(target);
            int fixesBefore = fixes.size();
            boolean buildable = selection.strategy() != null;
            String strategy = buildable ? selection.strategy().kind().pomName() : "NONE";
            if (buildable) {
                // the same check the build makes before it runs cargo
                String used = selection.strategy().rustupToolchain(target);
                String rustc = tools.rustcVersion(used).orElse("unknown");
                if (RustVersion.olderThan(rustc, rustVersion)) {
                    buildable = false;
                    strategy += " (rustc too old)";
                    fixes.add(target.triple() + ": " + Suggestions.toolchainTooOld(used, rustc, rustVersion, crate));
                }
            }
            allBuildable &= buildable;
            String toolchain = tools.toolchainFor(target.rustupToolchain(), target.triple());
            boolean std = tools.hasStandardLibrary(toolchain, target.triple());
            rows.add(new String[] {target.triple(), strategy, tools.cargoAvailable() ? "yes" : "missing",
                toolchain == null ? "default" : toolchain, std ? "yes" : "missing", linkerColumn(target), zig, docker});
            if (selection.strategy() == null) {
                selection.reasons().forEach(r -> fixes.add(target.triple() + ": " + r));
            } else if (buildable && !std) {
                fixes.add(target.triple() + ": for plain cargo, "
                        + Suggestions.missingStandardLibrary(target.triple(), toolchain));
            }
            List<String> own = new ArrayList<>(fixes).subList(fixesBefore, fixes.size());
            checks.add(new TargetCheck(target.triple(), strategy, buildable,
                    own.stream().map(f -> f.substring(target.triple().length() + 2)).toList()));
        }
        List<String> lines = new ArrayList<>(Table.render(rows));
        if (fixes.isEmpty()) {
            lines.add("Every target can be built here.");
        } else {
            lines.add("");
            lines.add("To fix:");
            fixes.forEach(f -> lines.add("  - " + f));
        }
        return new Report(lines, allBuildable, checks);
    }

    private String linkerColumn(TargetSpec target) {
        if (target.triple().equals(hostTriple)) {
            return "host cc";
        }
        String linker = target.linker() != null ? target.linker()
                : CrossTargetTable.of(target.platform()).map(CrossTargetTable.Entry::linker).orElse(null);
        if (linker == null) {
            return "none known";
        }
        Optional<Path> found = tools.findOnPath(linker);
        return found.isPresent() ? linker : linker + " missing";
    }
}
