package dev.sark.maven;

import dev.sark.crossbuild.CargoOptions;
import dev.sark.crossbuild.TargetSpec;
import dev.sark.crossbuild.StrategyKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code <target>} of the pom: either a bare triple ({@code <target>x86_64-unknown-linux-gnu</target>})
 * or an element with {@code <triple>} and the optional settings. Maven fills it; {@link #toSpec} validates it.
 */
public class Target {
    /** The Rust target triple, e.g. {@code aarch64-unknown-linux-gnu}, or {@code universal2-apple-darwin}. Required. */
    private String triple;
    /** How to build: {@code auto} (default), {@code cargo}, {@code zigbuild}, {@code cross} or {@code build-std}. */
    private String strategy;
    /** The former name of {@code <strategy>}, still accepted. "Toolchain" means the rustup toolchain now. */
    private String toolchain;
    /** The rustup toolchain to build with ({@code cargo +NAME}); default: rustup's default toolchain. */
    private String rustupToolchain;
    /** The linker program for this target (cargo's {@code CARGO_TARGET_<TRIPLE>_LINKER}). */
    private String linker;
    /** The Maven classifier of the target's JAR; default from the triple, as os-maven-plugin names platforms. */
    private String classifier;
    /** Extra rustc flags for this target ({@code RUSTFLAGS}, added to the environment's). */
    private String rustflags;
    /** Environment variables for this target's build, e.g. {@code <env><CC>clang</CC></env>}. */
    private Map<String, String> env;
    /** An optional target that cannot be built here is reported, not fatal (unless {@code -Dsark.requireAll}). */
    private boolean optional;
    /** The newest glibc the library may need, e.g. {@code 2.17} (linux-gnu targets; linked through zig). */
    private String glibcFloor;
    /** The oldest macOS the library supports, e.g. {@code 10.12} ({@code MACOSX_DEPLOYMENT_TARGET}). */
    private String macosMinimum;
    /** Cargo features for this target only, separated by commas, added to the build's {@code <features>}. */
    private String features;
    /** {@code --no-default-features} for this target; overrides the build's setting. */
    private Boolean noDefaultFeatures;
    /** {@code --all-features} for this target; overrides the build's setting. */
    private Boolean allFeatures;
    /** Further cargo arguments for this target, after the build's {@code <cargoArgs>}. */
    private List<String> cargoArgs;

    public Target() {
    }

    public Target(String triple) {
        this.triple = triple;
    }

    /** Maven calls this for the short form, whose text is the triple. */
    public void set(String triple) {
        this.triple = triple;
    }

    public String getTriple() {
        return triple;
    }

    public void setTriple(String triple) {
        this.triple = triple;
    }

    public void setStrategy(String strategy) {
        this.strategy = strategy;
    }

    /** @deprecated use {@link #setStrategy}; {@code <toolchain>} is kept as an alias of {@code <strategy>} */
    @Deprecated
    public void setToolchain(String toolchain) {
        this.toolchain = toolchain;
    }

    /** A warning for the pom when it uses a deprecated element. */
    Optional<String> deprecation() {
        return toolchain == null ? Optional.empty() : Optional.of("<target> " + triple + ": <toolchain>" + toolchain
                + "</toolchain> is deprecated; write <strategy>" + toolchain + "</strategy> (<rustupToolchain> names"
                + " the rustup toolchain).");
    }

    /** {@code <strategy>}, or the deprecated {@code <toolchain>}; both must agree. */
    private String strategyName() {
        if (strategy != null && toolchain != null && !strategy.trim().equals(toolchain.trim())) {
            throw new IllegalArgumentException("<target> " + triple + ": <strategy>" + strategy + "</strategy> and the"
                    + " deprecated <toolchain>" + toolchain + "</toolchain> disagree; keep <strategy> only.");
        }
        return strategy != null ? strategy : toolchain;
    }

    public void setRustupToolchain(String rustupToolchain) {
        this.rustupToolchain = rustupToolchain;
    }

    public void setLinker(String linker) {
        this.linker = linker;
    }

    public void setClassifier(String classifier) {
        this.classifier = classifier;
    }

    public void setRustflags(String rustflags) {
        this.rustflags = rustflags;
    }

    public void setEnv(Map<String, String> env) {
        this.env = env;
    }

    public void setGlibcFloor(String glibcFloor) {
        this.glibcFloor = glibcFloor;
    }

    public void setMacosMinimum(String macosMinimum) {
        this.macosMinimum = macosMinimum;
    }

    public void setOptional(boolean optional) {
        this.optional = optional;
    }

    public void setFeatures(String features) {
        this.features = features;
    }

    public void setNoDefaultFeatures(Boolean noDefaultFeatures) {
        this.noDefaultFeatures = noDefaultFeatures;
    }

    public void setAllFeatures(Boolean allFeatures) {
        this.allFeatures = allFeatures;
    }

    public void setCargoArgs(List<String> cargoArgs) {
        this.cargoArgs = cargoArgs;
    }

    /** What {@code -X} shows: the triple and every setting the pom gave. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.valueOf(triple));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("strategy", strategyName());
        settings.put("rustupToolchain", rustupToolchain);
        settings.put("linker", linker);
        settings.put("classifier", classifier);
        settings.put("rustflags", rustflags);
        settings.put("env", env);
        settings.put("optional", optional ? Boolean.TRUE : null);
        settings.put("glibcFloor", glibcFloor);
        settings.put("macosMinimum", macosMinimum);
        settings.put("features", features);
        settings.put("noDefaultFeatures", noDefaultFeatures);
        settings.put("allFeatures", allFeatures);
        settings.put("cargoArgs", cargoArgs);
        settings.values().removeIf(v -> v == null);
        return settings.isEmpty() ? s.toString() : s.append(' ').append(settings).toString();
    }

    TargetSpec toSpec() {
        if (triple == null || triple.isBlank()) {
            throw new IllegalArgumentException("A <target> has no triple: write <target>x86_64-unknown-linux-gnu</target>"
                    + " or <target><triple>x86_64-unknown-linux-gnu</triple>...</target>");
        }
        return TargetSpec.builder(triple.trim())
                .strategy(StrategyKind.parse(strategyName(), triple))
                .rustupToolchain(rustupToolchain)
                .linker(linker)
                .classifier(classifier)
                .rustflags(rustflags)
                .env(env)
                .optional(optional)
                .glibcFloor(glibcFloor)
                .macosMinimum(macosMinimum)
                .cargoOptions(new CargoOptions(features == null ? List.of() : List.of(features), noDefaultFeatures,
                        allFeatures, cargoArgs))
                .build();
    }
}
