package dev.sark.crossbuild;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The targets one run builds: the pom's matrix, or the list given on the command line with {@code -Dsark.targets}. */
public final class TargetMatrix {
    /** In {@code -Dsark.targets}, stands for the machine's own triple. */
    public static final String HOST = "host";

    private TargetMatrix() {
    }

    /**
     * @param declared   the pom's {@code <targets>}, possibly empty (then the host alone is built)
     * @param override   {@code -Dsark.targets=a,b}, or null; a triple the pom declares keeps its settings
     * @param hostTriple the machine's triple, for an empty matrix and for {@code host}
     */
    public static List<TargetSpec> resolve(List<TargetSpec> declared, String override, String hostTriple) {
        Map<String, TargetSpec> byTriple = new LinkedHashMap<>();
        for (TargetSpec t : declared) {
            if (byTriple.putIfAbsent(t.triple(), t) != null) {
                throw new ConfigurationException(ConfigurationException.Setting.TARGETS, null, t.triple(), "is declared"
                        + " twice; keep one");
            }
        }
        if (override == null || override.isBlank()) {
            return declared.isEmpty() ? List.of(TargetSpec.builder(requireHost(hostTriple)).build())
                    : withUniversalSlices(declared);
        }
        List<TargetSpec> chosen = new ArrayList<>();
        for (String item : override.split(",")) {
            String triple = item.trim();
            if (triple.isEmpty()) {
                continue;
            }
            if (triple.equals(HOST)) {
                triple = requireHost(hostTriple);
            }
            TargetSpec spec = byTriple.get(triple);
            chosen.add(spec != null ? spec : TargetSpec.builder(triple).build());
        }
        if (chosen.isEmpty()) {
            throw new ConfigurationException(ConfigurationException.Setting.TARGET_SELECTION, null, override, "names no"
                    + " target: give triples separated by commas");
        }
        return withUniversalSlices(chosen);
    }

    /**
     * A universal macOS library is merged from its two thin slices, so they must be built first: a slice the
     * matrix lacks is added (optional when the universal target is), and each universal target moves after
     * every other target. The rest keeps the pom's order.
     */
    static List<TargetSpec> withUniversalSlices(List<TargetSpec> targets) {
        List<TargetSpec> thin = new ArrayList<>();
        List<TargetSpec> universal = new ArrayList<>();
        for (TargetSpec t : targets) {
            (t.slices().isEmpty() ? thin : universal).add(t);
        }
        for (TargetSpec u : universal) {
            for (String slice : u.slices()) {
                if (thin.stream().noneMatch(t -> t.triple().equals(slice))) {
                    thin.add(TargetSpec.builder(slice).optional(u.optional()).build());
                }
            }
        }
        thin.addAll(universal);
        return List.copyOf(thin);
    }

    /** The triples {@code -Dsark.targets} names, without {@code host}. */
    public static List<String> overrideTriples(String override) {
        List<String> triples = new ArrayList<>();
        if (override != null) {
            for (String item : override.split(",")) {
                String triple = item.trim();
                if (!triple.isEmpty() && !triple.equals(HOST)) {
                    triples.add(triple);
                }
            }
        }
        return triples;
    }

    private static String requireHost(String hostTriple) {
        if (hostTriple == null) {
            throw new BuildException("Cannot tell this machine's target triple: `rustc -vV` did not run. Install Rust"
                    + " with rustup, or declare <targets> explicitly.");
        }
        return hostTriple;
    }
}
