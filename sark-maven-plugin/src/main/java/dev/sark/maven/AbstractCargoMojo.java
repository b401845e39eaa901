package dev.sark.maven;

import dev.sark.crossbuild.CommandRunner;
import dev.sark.crossbuild.CompilerCache;
import dev.sark.crossbuild.HostTools;
import java.io.File;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugins.annotations.Parameter;

/** The configuration every goal that runs cargo shares: which cargo, the compiler cache and the host probes. */
abstract class AbstractCargoMojo extends AbstractMojo {

    /** The directory probes and builds run in. */
    @Parameter(defaultValue = "${basedir}", readonly = true)
    protected File basedir;

    /** When this goal started, for the result file's total. */
    private final long startedNanos = System.nanoTime();

    /** Runs the tools; with {@code -X} each probe and its answer is logged. */
    protected final CommandRunner runner = new CommandRunner(line -> getLog().debug(line));

    /**
     * The cargo to build with instead of the one on the PATH, e.g. {@code /opt/rust-1.95/bin/cargo}; the rustc
     * in the same directory is used for the probes when there is one.
     */
    @Parameter(property = "sark.cargoExecutable")
    protected File cargoExecutable;

    /**
     * The compiler cache rustc runs through: {@code sccache} (found on the PATH; a build without it warns and
     * compiles uncached) or {@code none}. A {@code RUSTC_WRAPPER} already set in the environment is kept either
     * way. sccache's own variables ({@code SCCACHE_DIR}, {@code SCCACHE_REDIS_ENDPOINT}, ...) choose where it stores.
     */
    @Parameter(property = "sark.compilerCache", defaultValue = CompilerCache.NONE)
    protected String compilerCache;

    /** The compiler cache this build uses; warns when the configured one is missing. */
    protected CompilerCache compilerCache(HostTools tools) {
        CompilerCache cache = CompilerCache.resolve(compilerCache, tools, tools.environment());
        cache.warning().ifPresent(getLog()::warn);
        return cache;
    }

    protected HostTools hostTools() {
        return new HostTools(runner, basedir.toPath(), null, cargoExecutable == null ? null : cargoExecutable.toPath());
    }

    /** The time since this goal started, in seconds. */
    protected double secondsSinceStart() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** The cargo program: {@link #cargoExecutable} or the one on the PATH. */
    protected String cargo() {
        return cargoExecutable == null ? "cargo" : cargoExecutable.getAbsolutePath();
    }
}
