package dev.sark.maven;

import dev.sark.crossbuild.ConfigurationException;
import dev.sark.crossbuild.ConfigurationException.Setting;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * Words a {@link ConfigurationException} of the core in the pom's terms (the element or property where the
 * value was written) and adds the remedy: the core knows what is wrong, only the goals know how the user
 * wrote it.
 */
final class ConfigurationErrors {
    private ConfigurationErrors() {
    }

    /** The error Maven reports as a configuration error (nothing was built). */
    static MojoExecutionException toMojo(ConfigurationException e) {
        return new MojoExecutionException(describe(e), e);
    }

    /**
     * {@code Configuration error, nothing was built: target T: <glibcFloor>2.x</glibcFloor> is not a glibc version
     * such as 2.17 or 2.28} and, on the next line, the fix.
     */
    static String describe(ConfigurationException e) {
        String where = e.target() == null ? "" : "target " + e.target() + ": ";
        return "Configuration error, nothing was built: " + where + written(e.setting(), e.value()) + " " + e.problem() + "\n  fix: "
                + remedy(e.setting());
    }

    /** The setting as the pom or the command line writes it, with its value when there is one. */
    static String written(Setting setting, String value) {
        return switch (setting) {
            case TARGETS -> value == null ? "<targets> (or -Dsark.targets)" : "<target>" + value + "</target>";
            case TARGET_SELECTION -> "-Dsark.targets='" + value + "'";
            case STRATEGY -> element("strategy", value);
            case GLIBC_FLOOR -> element("glibcFloor", value);
            case MACOS_MINIMUM -> element("macosMinimum", value);
            case CLASSIFIER -> element("classifier", value);
            case FEATURES -> "<allFeatures>true</allFeatures> and <noDefaultFeatures>true</noDefaultFeatures>";
            case CARGO_ARGUMENTS -> "<cargoArgs><arg>" + value + "</arg></cargoArgs>";
            case MANIFEST -> "<manifestPath> " + value;
            case COMPILER_CACHE -> element("compilerCache", value);
            case PREBUILT_DIRECTORY -> "-Dsark.prebuilt=" + value;
        };
    }

    private static String element(String name, String value) {
        return value == null ? "<" + name + ">" : "<" + name + ">" + value + "</" + name + ">";
    }

    /** What to write instead, and where the setting is documented. */
    static String remedy(Setting setting) {
        return switch (setting) {
            case TARGETS -> "list each triple once in <targets> or -Dsark.targets (docs/configuration.md has the"
                    + " default matrix and the triples the plugin packages)";
            case TARGET_SELECTION -> "name triples separated by commas, `host` for this machine:"
                    + " -Dsark.targets=host,aarch64-unknown-linux-gnu";
            case STRATEGY -> "write one of <strategy>auto</strategy>, cargo, cross, zigbuild or build-std in the"
                    + " <target>, or leave it out for auto";
            case GLIBC_FLOOR -> "give a linux-gnu <target> a <glibcFloor> such as 2.17, and no other target one";
            case MACOS_MINIMUM -> "give x86_64-apple-darwin or aarch64-apple-darwin a <macosMinimum> such as 11.0,"
                    + " and no other target one";
            case CLASSIFIER -> "set <classifier> in the <target> to letters, digits, '.', '_' and '-', unique in"
                    + " the matrix";
            case FEATURES -> "keep one of <allFeatures> and <noDefaultFeatures> (in the plugin's <configuration> or"
                    + " the <target>)";
            case CARGO_ARGUMENTS -> "remove it from <cargoArgs> (the plugin's <configuration> or the <target>); the"
                    + " summary and target/sark/cross-build.json report what cargo built";
            case MANIFEST -> "set <manifestPath> to the crate's Cargo.toml (default: ${project.basedir}/Cargo.toml)";
            case COMPILER_CACHE -> "write <compilerCache>sccache</compilerCache>, or none and set RUSTC_WRAPPER"
                    + " yourself";
            case PREBUILT_DIRECTORY -> "set -Dsark.prebuilt to the directory the matrix jobs' artifacts were"
                    + " downloaded to (see .github/workflows/natives.yml)";
        };
    }
}
