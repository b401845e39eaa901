package dev.sark.crossbuild;

import java.util.Locale;

/**
 * The configuration asks for something that cannot be: an unknown triple, a target declared twice, two
 * targets under one classifier, a manifest that is not a cdylib crate. Nothing was built.
 *
 * <p>It carries the {@link Setting} at fault, the value it was given and, for a setting of one target, that
 * target's triple; {@link #problem()} says what is wrong with the value, in the build's own terms. The core
 * never names a pom element or a property: the Maven goals word the error in the pom's terms and add the
 * remedy ({@code dev.sark.maven.ConfigurationErrors}), and report it as an error of the configuration, where
 * a {@link BuildException} is a build that failed.
 */
public class ConfigurationException extends BuildException {
    private static final long serialVersionUID = 1L;

    /** What can be configured wrongly. */
    public enum Setting {
        /** The matrix: the triples declared, or asked for on the command line. */
        TARGETS,
        /** The command line's list of targets to build. */
        TARGET_SELECTION,
        /** How a target is built (auto, cargo, cross, zigbuild, build-std). */
        STRATEGY,
        GLIBC_FLOOR,
        MACOS_MINIMUM,
        CLASSIFIER,
        /** Cargo's feature flags. */
        FEATURES,
        /** Further arguments for cargo. */
        CARGO_ARGUMENTS,
        /** The crate's Cargo.toml. */
        MANIFEST,
        COMPILER_CACHE,
        /** Where the libraries of earlier build jobs were downloaded, for packaging them. */
        PREBUILT_DIRECTORY;

        /** {@code glibc floor}: for messages outside Maven. */
        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    private final Setting setting;
    private final String target;
    private final String value;
    private final String problem;

    /**
     * @param setting the setting at fault
     * @param target  the triple of the target whose setting it is, or null for a setting of the whole build
     * @param value   the value as configured, or null when the problem is the absence or a combination
     * @param problem what is wrong with it, a sentence that follows the value: "is not a glibc version such as
     *                2.17 or 2.28"
     */
    public ConfigurationException(Setting setting, String target, String value, String problem) {
        this(setting, target, value, problem, null);
    }

    public ConfigurationException(Setting setting, String target, String value, String problem, Throwable cause) {
        super((target == null ? "" : "target " + target + ": ") + setting.label() + (value == null ? "" : " '" + value + "'")
                + " " + problem, cause);
        this.setting = setting;
        this.target = target;
        this.value = value;
        this.problem = problem;
    }

    public Setting setting() {
        return setting;
    }

    /** The triple of the target whose setting is at fault, or null for a setting of the whole build. */
    public String target() {
        return target;
    }

    /** The value as configured, or null. */
    public String value() {
        return value;
    }

    /** What is wrong with the value, without naming where it was configured. */
    public String problem() {
        return problem;
    }
}
