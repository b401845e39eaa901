package dev.sark.maven;

import dev.sark.crossbuild.KnownTriples;
import dev.sark.crossbuild.TargetMatrix;
import dev.sark.crossbuild.TargetSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugins.annotations.Parameter;

/** The configuration of the goals that work on the target matrix: the matrix and its command-line override. */
abstract class AbstractSarkMojo extends AbstractCargoMojo {

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
