package dev.sark.crossbuild;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the pom passes through to cargo: features and extra arguments, for every target ({@code <features>} at
 * the top of the configuration) or for one ({@code <features>} inside a {@code <target>}).
 *
 * @param features          cargo features to turn on (merged: the build's and the target's)
 * @param noDefaultFeatures {@code --no-default-features}; null when not set (a target's setting wins over the build's)
 * @param allFeatures       {@code --all-features}; null when not set
 * @param args              further cargo arguments, the build's first, then the target's
 */
public record CargoOptions(List<String> features, Boolean noDefaultFeatures, Boolean allFeatures, List<String> args) {
    public static final CargoOptions NONE = new CargoOptions(List.of(), null, null, List.of());

    public CargoOptions {
        features = clean(features);
        args = args == null ? List.of() : List.copyOf(args.stream().filter(a -> a != null && !a.isBlank()).map(String::trim).toList());
        if (Boolean.TRUE.equals(allFeatures) && Boolean.TRUE.equals(noDefaultFeatures)) {
            // cargo accepts both, but the result (all features) hides that the pom asked for two opposite things
            throw new ConfigurationException(ConfigurationException.Setting.FEATURES, null, null, "ask for all features"
                    + " and for no default features at once, which contradict each other; keep one");
        }
    }

    /** The build-wide options with {@code target}'s on top. */
    public CargoOptions with(CargoOptions target) {
        List<String> mergedFeatures = new ArrayList<>(features);
        mergedFeatures.addAll(target.features);
        List<String> mergedArgs = new ArrayList<>(args);
        mergedArgs.addAll(target.args);
        return new CargoOptions(mergedFeatures,
                target.noDefaultFeatures != null ? target.noDefaultFeatures : noDefaultFeatures,
                target.allFeatures != null ? target.allFeatures : allFeatures, mergedArgs);
    }

    /** The cargo arguments these options stand for. */
    public List<String> arguments() {
        List<String> out = new ArrayList<>();
        if (!features.isEmpty()) {
            out.add("--features");
            out.add(String.join(",", features));
        }
        if (Boolean.TRUE.equals(noDefaultFeatures)) {
            out.add("--no-default-features");
        }
        if (Boolean.TRUE.equals(allFeatures)) {
            out.add("--all-features");
        }
        out.addAll(args);
        return out;
    }

    /** Features as cargo takes them: separated by commas or spaces, in the pom's order, each once. */
    private static List<String> clean(List<String> features) {
        Set<String> out = new LinkedHashSet<>();
        if (features != null) {
            for (String f : features) {
                if (f != null) {
                    for (String one : f.split("[,\\s]+")) {
                        if (!one.isBlank()) {
                            out.add(one.trim());
                        }
                    }
                }
            }
        }
        return List.copyOf(out);
    }
}
