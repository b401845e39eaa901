package dev.sark.crossbuild;

import dev.sark.crossbuild.ConfigurationException.Setting;
import dev.sark.crossbuild.check.GlibcFloor;
import dev.sark.crossbuild.check.PlatformFloors;
import dev.sark.loader.Platform;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One entry of the target matrix, validated: what to build and how. Immutable, free of Maven types. */
public final class TargetSpec {
    private static final List<String> UNIVERSAL2_SLICES = List.of("x86_64-apple-darwin", "aarch64-apple-darwin");

    private final Platform platform;
    private final StrategyKind strategy;
    private final String rustupToolchain;
    private final String linker;
    private final String classifier;
    private final String rustflags;
    private final CargoOptions cargoOptions;
    private final Map<String, String> env;
    private final boolean optional;
    private final GlibcFloor glibcFloor;
    private final String macosMinimum;

    private TargetSpec(Builder b) {
        this.platform = platform(b.triple);
        this.strategy = b.strategy;
        this.rustupToolchain = blankToNull(b.rustupToolchain);
        this.linker = blankToNull(b.linker);
        this.classifier = b.classifier == null || b.classifier.isBlank() ? platform.classifier() : b.classifier.trim();
        this.rustflags = blankToNull(b.rustflags);
        this.cargoOptions = b.cargoOptions;
        this.env = Collections.unmodifiableMap(new LinkedHashMap<>(b.env));
        this.optional = b.optional;
        String floor = blankToNull(b.glibcFloor);
        try {
            this.glibcFloor = floor == null ? null : GlibcFloor.parse(floor);
        } catch (IllegalArgumentException notAVersion) {
            throw new ConfigurationException(Setting.GLIBC_FLOOR, triple(), floor, "is not a glibc version such as 2.17"
                    + " or 2.28", notAVersion);
        }
        if (glibcFloor != null && platform.libc() != Platform.Libc.GLIBC) {
            throw new ConfigurationException(Setting.GLIBC_FLOOR, triple(), floor, "does not apply: the target does not"
                    + " link glibc");
        }
        this.macosMinimum = macosMinimum(platform, blankToNull(b.macosMinimum));
        // The classifier names a file and a directory: it must start with a letter or digit ('.' and '..' must not pass).
        if (!this.classifier.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new ConfigurationException(Setting.CLASSIFIER, triple(), this.classifier, "must start with a letter or"
                    + " digit and hold only letters, digits, '.', '_' and '-'");
        }
    }

    /** The triple's platform; a triple the loader knows no platform of is a configuration error. */
    private static Platform platform(String triple) {
        try {
            return Platform.fromTriple(triple);
        } catch (IllegalArgumentException unknown) {
            throw new ConfigurationException(Setting.TARGETS, null, triple, "cannot be packaged: " + unknown.getMessage(),
                    unknown);
        }
    }

    public static Builder builder(String triple) {
        return new Builder(triple);
    }

    public Platform platform() {
        return platform;
    }

    public String triple() {
        return platform.triple();
    }

    public StrategyKind strategy() {
        return strategy;
    }

    /**
     * The thin targets this one is merged from, in slice order: {@code x86_64-apple-darwin} and
     * {@code aarch64-apple-darwin} for {@code universal2-apple-darwin}, which no compiler builds; empty for a
     * target that is compiled. The matrix builds the slices first ({@link TargetMatrix}).
     */
    public List<String> slices() {
        return platform.arch() == Platform.Arch.UNIVERSAL ? UNIVERSAL2_SLICES : List.of();
    }

    /** A rustup toolchain name for {@code cargo +NAME}, or null for the default toolchain. */
    public String rustupToolchain() {
        return rustupToolchain;
    }

    /** The linker for this target, or null to let cargo decide. */
    public String linker() {
        return linker;
    }

    public String classifier() {
        return classifier;
    }

    /** Extra rustc flags for this target, or null. */
    /** This target's own features and cargo arguments. */
    public CargoOptions cargoOptions() {
        return cargoOptions;
    }

    public String rustflags() {
        return rustflags;
    }

    /** Extra environment variables for the build of this target. */
    public Map<String, String> env() {
        return env;
    }

    /** An optional target that cannot be built is reported, but does not fail the build. */
    public boolean optional() {
        return optional;
    }

    /** The oldest glibc the library must run on (such as {@code 2.17}), or null for no check. */
    public GlibcFloor glibcFloor() {
        return glibcFloor;
    }

    /**
     * The oldest macOS the library must load on ({@code 10.12}): the pom's {@code <macosMinimum>}, else Rust's
     * default for the architecture; null for other OSes and for {@code universal2-apple-darwin}, whose slices
     * keep the minimums of the thin targets they are built by.
     */
    public String macosMinimum() {
        return macosMinimum;
    }

    /** What the library of this target is checked against: its glibc floor and macOS minimum. */
    public PlatformFloors floors() {
        return PlatformFloors.glibc(glibcFloor).withMacosMinimum(platform.arch(), macosMinimum);
    }

    private static String macosMinimum(Platform platform, String configured) {
        boolean thinMac = platform.os() == Platform.Os.OSX && platform.arch() != Platform.Arch.UNIVERSAL;
        if (configured == null) {
            return thinMac ? PlatformFloors.defaultMacosMinimum(platform.arch()) : null;
        }
        if (platform.arch() == Platform.Arch.UNIVERSAL) {
            throw new ConfigurationException(Setting.MACOS_MINIMUM, platform.triple(), configured, "does not apply to the"
                    + " merged library: set it on x86_64-apple-darwin and aarch64-apple-darwin, whose slices it keeps");
        }
        if (!thinMac) {
            throw new ConfigurationException(Setting.MACOS_MINIMUM, platform.triple(), configured, "does not apply: the"
                    + " target is not a macOS target");
        }
        if (!configured.matches("\\d+\\.\\d+(\\.\\d+)?")) {
            throw new ConfigurationException(Setting.MACOS_MINIMUM, platform.triple(), configured, "is not a macOS"
                    + " version such as 10.12 or 11.0");
        }
        return configured;
    }

    @Override
    public String toString() {
        return triple();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** Collects the pom's settings for one target. */
    public static final class Builder {
        private final String triple;
        private StrategyKind strategy = StrategyKind.AUTO;
        private String rustupToolchain;
        private String linker;
        private String classifier;
        private String rustflags;
        private CargoOptions cargoOptions = CargoOptions.NONE;
        private final Map<String, String> env = new LinkedHashMap<>();
        private boolean optional;
        private String glibcFloor;
        private String macosMinimum;

        private Builder(String triple) {
            this.triple = triple;
        }

        public Builder strategy(StrategyKind strategy) {
            this.strategy = Objects.requireNonNull(strategy);
            return this;
        }

        public Builder rustupToolchain(String name) {
            this.rustupToolchain = name;
            return this;
        }

        public Builder linker(String linker) {
            this.linker = linker;
            return this;
        }

        public Builder classifier(String classifier) {
            this.classifier = classifier;
            return this;
        }

        public Builder cargoOptions(CargoOptions cargoOptions) {
            this.cargoOptions = cargoOptions == null ? CargoOptions.NONE : cargoOptions;
            return this;
        }

        public Builder rustflags(String rustflags) {
            this.rustflags = rustflags;
            return this;
        }

        public Builder env(Map<String, String> env) {
            if (env != null) {
                this.env.putAll(env);
            }
            return this;
        }

        public Builder optional(boolean optional) {
            this.optional = optional;
            return this;
        }

        public Builder glibcFloor(String glibcFloor) {
            this.glibcFloor = glibcFloor;
            return this;
        }

        public Builder macosMinimum(String macosMinimum) {
            this.macosMinimum = macosMinimum;
            return this;
        }

        public TargetSpec build() {
            return new TargetSpec(this);
        }
    }
}
