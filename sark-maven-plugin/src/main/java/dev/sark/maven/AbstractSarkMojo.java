package dev.sark.maven;

import dev.sark.crossbuild.CommandRunner;
import dev.sark.crossbuild.CompilerCache;
import dev.sark.crossbuild.HostTools;
import dev.sark.crossbuild.KnownTriples;
import dev.sark.crossbuild.TargetMatrix;
import dev.sark.crossbuild.TargetSpec;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugins.annotations.Parameter;

/** The configuration every goal shares: the target matrix and its command-line override. */
abstract class AbstractSarkMojo extends AbstractMojo {

    /**
     * The target matrix; empty means the host alone. Each {@code <target>} is a triple
     * ({@code <target>x86_64-unknown-linux-gnu</target>}) or an element with these children:
     * <ul>
     *   <li>{@code <triple>}: the Rust target triple (required), or {@code universal2-apple-darwin};</li>
     *   <li>{@code <strategy>}: {@code auto} (default), {@code cargo}, {@code zigbuild}, {@code cross} or {@code build-std}
     *       ({@code <toolchain>} is its deprecated former name);</li>
     *   <li>{@code <rustupToolchain>}: the rustup toolchain ({@code cargo +NAME});</li>
     *   <li>{@code <linker>}: the linker program;</li>
     *   <li>{@code <classifier>}: the JAR's classifier (default from the triple, e.g. {@code linux-aarch_64});</li>
     *   <li>{@code <rustflags>}: extra rustc flags;</li>
     *   <li>{@code <env>}: environment variables, e.g. {@code <env><CC>clang</CC></env>};</li>
     *   <li>{@code <optional>}: true to report, not fail, when the target cannot be built here;</li>
     *   <li>{@code <glibcFloor>}: the newest glibc the library may need, e.g. {@code 2.17};</li>
     *   <li>{@code <macosMinimum>}: the oldest macOS, e.g. {@code 10.12};</li>
     *   <li>{@code <features>}, {@code <noDefaultFeatures>}, {@code <allFeatures>}, {@code <cargoArgs>}: cargo
     *       options for this target, on top of the build's own.</li>
     * </ul>
     */
    @Parameter
    protected List<Target> targets = new ArrayList<>();

    /** Comma-separated triples that replace the matrix for this run ({@code host} is this machine's triple). */
    @Parameter(property = "sark.targets")
    protected String targetsOverride;

    /** The directory probes and builds run in. */
    @Parameter(defaultValue = "${basedir}", readonly = true)
    protected File basedir;

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

    /** The targets this run covers, validated. */
    protected List<TargetSpec> matrix(String hostTriple) {
        // Before anything else: a typo must not map to some classifier, nor cost the other targets' build time.
        List<String> requested = new ArrayList<>();
        targets.forEach(t -> requested.add(t.getTriple()));
        requested.addAll(TargetMatrix.overrideTriples(targetsOverride));
        hostTools().rustcTargets().ifPresent(known -> new KnownTriples(known).requireKnown(requested));
        List<TargetSpec> specs = new ArrayList<>();
        for (Target t : targets) {
            t.deprecation().ifPresent(getLog()::warn);
            getLog().debug("Target from the pom: " + t);
            specs.add(t.toSpec());
        }
        return TargetMatrix.resolve(specs, targetsOverride, hostTriple);
    }
}
