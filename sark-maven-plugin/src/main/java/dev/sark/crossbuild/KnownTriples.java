package dev.sark.crossbuild;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the matrix against the triples rustc knows ({@code rustc --print target-list}) before anything is
 * built: a typo such as {@code x86_64-unknown-linux-gnux} must stop the build at once with the nearest real
 * triple, not map to a classifier, reach build-std and end in a linker backtrace.
 */
public final class KnownTriples {
    /** Not a rustc target: the plugin merges it from the two macOS slices. */
    static final String UNIVERSAL2 = "universal2-apple-darwin";

    private final Set<String> known;

    public KnownTriples(Set<String> rustcTargets) {
        this.known = new TreeSet<>(rustcTargets);
        this.known.add(UNIVERSAL2);
    }

    /**
     * @throws BuildException naming every unknown triple with its nearest known one
     */
    public void requireKnown(List<String> triples) {
        List<String> problems = new ArrayList<>();
        for (String triple : triples) {
            // A path to a custom target specification (a .json file) is cargo's to check.
            if (triple != null && !known.contains(triple.trim()) && !triple.endsWith(".json")) {
                problems.add("'" + triple + "' is not a target triple rustc knows" + nearest(triple.trim())
                        .map(n -> "; did you mean " + n + "?").orElse(""));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(ConfigurationException.Setting.TARGETS, null, null, "name"
                    + (problems.size() > 1 ? " triples" : " a triple") + " rustc does not know:\n  - "
                    + String.join("\n  - ", problems) + "\n  `rustc --print target-list` lists the triples this"
                    + " compiler knows (plus " + UNIVERSAL2 + ")");
        }
    }

    /** The known triple closest in edit distance, when it is close enough to be a typo. */
    Optional<String> nearest(String triple) {
        return known.stream().min(Comparator.comparingInt((String k) -> distance(triple, k)).thenComparing(k -> k))
                .filter(k -> distance(triple, k) <= Math.max(3, triple.length() / 4));
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
