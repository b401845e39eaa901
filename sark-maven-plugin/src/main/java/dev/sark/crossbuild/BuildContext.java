package dev.sark.crossbuild;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

/** What every target of one build shares: the crate, where cargo writes, the profile and offline mode. */
public final class BuildContext {
    private final CrateInfo crate;
    private final Path cargoTargetDir;
    private final String profile;
    private final boolean offline;
    private final boolean requireJniExports;
    private final boolean locked;
    private final FileTime entryTime;
    private final CargoOptions cargoOptions;
    private final CompilerCache compilerCache;

    /**
     * @param profile           cargo's profile; blank means {@code release}
     * @param offline           Maven runs offline, so cargo must not reach the network
     * @param requireJniExports a library that exports no {@code Java_*} symbol fails its check
     * @param locked            when the workspace has a Cargo.lock, cargo must build exactly what it pins
     *                          ({@code --locked}, or {@code --frozen} offline) instead of rewriting it silently
     */
    public BuildContext(CrateInfo crate, Path cargoTargetDir, String profile, boolean offline,
                        boolean requireJniExports, boolean locked) {
        this(crate, cargoTargetDir, profile, offline, requireJniExports, locked, ClassifierJar.DEFAULT_ENTRY_TIME,
                CargoOptions.NONE, CompilerCache.none());
    }

    private BuildContext(CrateInfo crate, Path cargoTargetDir, String profile, boolean offline,
                         boolean requireJniExports, boolean locked, FileTime entryTime, CargoOptions cargoOptions,
                         CompilerCache compilerCache) {
        this.compilerCache = compilerCache;
        this.entryTime = entryTime;
        this.cargoOptions = cargoOptions;
        this.locked = locked;
        this.crate = crate;
        this.cargoTargetDir = cargoTargetDir.toAbsolutePath().normalize();
        this.profile = profile == null || profile.isBlank() ? "release" : profile.trim();
        this.offline = offline;
        this.requireJniExports = requireJniExports;
    }

    /**
     * Where cargo writes when the pom does not say: for a member of a larger Cargo workspace, one directory
     * under the workspace root ({@code target/sark/cargo}) that every member's module shares, so the
     * standard library (build-std) and common crates compile once per target rather than once per module
     * (cargo keeps each target's artifacts apart under its triple, and locks the directory while it
     * builds); for a crate of its own, {@code sark/cargo} under the module's build directory.
     */
    public static Path defaultCargoTargetDir(CrateInfo crate, Path projectBuildDir) {
        return crate.inSharedWorkspace() ? crate.workspaceRoot().resolve("target").resolve("sark").resolve("cargo")
                : projectBuildDir.resolve("sark").resolve("cargo");
    }

    /** The same context, with the JAR entries dated {@code entryTime} (the project's outputTimestamp). */
    public BuildContext withEntryTime(FileTime entryTime) {
        return new BuildContext(crate, cargoTargetDir, profile, offline, requireJniExports, locked, entryTime,
                cargoOptions, compilerCache);
    }

    /** The same context, passing {@code options} to cargo for every target. */
    public BuildContext withCargoOptions(CargoOptions options) {
        return new BuildContext(crate, cargoTargetDir, profile, offline, requireJniExports, locked, entryTime, options,
                compilerCache);
    }

    /** The same context, compiling through {@code cache}. */
    public BuildContext withCompilerCache(CompilerCache cache) {
        return new BuildContext(crate, cargoTargetDir, profile, offline, requireJniExports, locked, entryTime,
                cargoOptions, cache);
    }

    /** The compiler cache rustc runs through ({@link CompilerCache#none()} unless the pom asks for one). */
    public CompilerCache compilerCache() {
        return compilerCache;
    }

    /** Features and arguments for every target; a target's own come on top ({@link CargoOptions#with}). */
    public CargoOptions cargoOptions() {
        return cargoOptions;
    }

    /** The time written into every entry of a classifier JAR. */
    public FileTime entryTime() {
        return entryTime;
    }

    public boolean requireJniExports() {
        return requireJniExports;
    }

    public CrateInfo crate() {
        return crate;
    }

    public Path cargoTargetDir() {
        return cargoTargetDir;
    }

    /** The cargo profile name ({@code release} unless the pom says otherwise). */
    public String profile() {
        return profile;
    }

    public boolean offline() {
        return offline;
    }

    /** Cargo's flags for the lock file and the network: {@code --locked}, {@code --frozen}, {@code --offline} or none. */
    public List<String> lockAndNetworkFlags() {
        boolean pinned = locked && Files.isRegularFile(crate.workspaceRoot().resolve("Cargo.lock"));
        if (offline) {
            return List.of(pinned ? "--frozen" : "--offline");
        }
        return pinned ? List.of("--locked") : List.of();
    }
}
