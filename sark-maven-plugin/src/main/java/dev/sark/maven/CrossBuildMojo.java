package dev.sark.maven;

import dev.sark.crossbuild.BuildContext;
import dev.sark.crossbuild.BuildException;
import dev.sark.crossbuild.ConfigurationException;
import dev.sark.crossbuild.BuildLock;
import dev.sark.crossbuild.CargoOptions;
import dev.sark.crossbuild.BuildLog;
import dev.sark.crossbuild.CrateInfo;
import dev.sark.crossbuild.CrossBuilder;
import dev.sark.crossbuild.HostTools;
import dev.sark.crossbuild.StrategySelector;
import dev.sark.crossbuild.LibraryPackager;
import dev.sark.crossbuild.TargetResult;
import dev.sark.crossbuild.TargetSpec;
import dev.sark.loader.Platform;
import java.io.File;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Builds the Rust crate for every target of the matrix and attaches one classifier JAR per target.
 *
 * <p>Runs before the tests, so the host's library is on the test class path of the module's own tests.
 */
@Mojo(name = "cross-build", defaultPhase = LifecyclePhase.PROCESS_CLASSES, threadSafe = true)
public class CrossBuildMojo extends AbstractPackagingMojo {

    /** Skips the goal. */
    @Parameter(property = "sark.skip", defaultValue = "false")
    private boolean skip;

    /** The cargo profile. */
    @Parameter(property = "sark.profile", defaultValue = "release")
    private String profile;

    /**
     * Where cargo writes (its {@code --target-dir}). Default: {@code target/sark/cargo} under the Cargo
     * workspace root for a member of a multi-crate workspace (shared by all its modules, so common crates
     * and the standard library build once per target), else {@code sark/cargo} in the module's build directory.
     */
    @Parameter(property = "sark.cargoTargetDir")
    private File cargoTargetDir;

    /** Puts the host's library on the test class path so the module's own tests can load it. */
    @Parameter(property = "sark.hostLibraryOnTestClasspath", defaultValue = "true")
    private boolean hostLibraryOnTestClasspath;

    /**
     * Passes {@code --locked} to cargo when the workspace has a Cargo.lock (with Maven offline, {@code --frozen}),
     * so a build uses exactly the pinned dependencies and fails instead of rewriting the lock file. Set it to
     * false to let cargo update Cargo.lock.
     */
    @Parameter(property = "sark.locked", defaultValue = "true")
    private boolean locked;

    /** Cargo features for every target, separated by commas ({@code --features}); a target's own are added. */
    @Parameter(property = "sark.features")
    private String features;

    /** {@code --no-default-features} for every target (a target's {@code <noDefaultFeatures>} overrides it). */
    @Parameter(property = "sark.noDefaultFeatures")
    private Boolean noDefaultFeatures;

    /** {@code --all-features} for every target (a target's {@code <allFeatures>} overrides it). */
    @Parameter(property = "sark.allFeatures")
    private Boolean allFeatures;

    /** Further cargo arguments for every target, e.g. {@code <cargoArgs><arg>--config</arg><arg>...</arg></cargoArgs>}. */
    @Parameter
    private List<String> cargoArgs;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("sark:cross-build skipped (sark.skip)");
            return;
        }
        // With mvn -T, lines of several modules interleave: each says which module it belongs to.
        BuildLog log = new MavenBuildLog(getLog(), session.isParallel() ? "[" + project.getArtifactId() + "] " : "");
        HostTools tools = hostTools();
        Path lockFile = Path.of(project.getBuild().getDirectory(), "sark", "build.lock");
        try (BuildLock ignored = BuildLock.acquire(lockFile, log)) {
            String hostTriple = tools.hostTriple().orElse(null);
            List<TargetSpec> matrix = matrix(hostTriple);
            CrateInfo crate = CrateInfo.read(manifestPath.toPath());
            Path cargoDir = cargoTargetDir != null ? cargoTargetDir.toPath()
                    : BuildContext.defaultCargoTargetDir(crate, Path.of(project.getBuild().getDirectory()));
            BuildContext context = new BuildContext(crate, cargoDir, profile, session.isOffline(),
                    requireJniExports, locked).withEntryTime(entryTime())
                    .withCargoOptions(new CargoOptions(Collections.singletonList(features), noDefaultFeatures,
                            allFeatures, cargoArgs))
                    .withCompilerCache(compilerCache(tools));
            StrategySelector selector = StrategySelector.standard(tools, hostTriple);
            log.info("Cross-building " + crate.packageName() + " (lib " + crate.libName() + ") for " + matrix.size()
                    + " target(s): " + matrix.stream().map(TargetSpec::triple).collect(Collectors.joining(", ")));
            log.info("Compiler cache: " + context.compilerCache().description());

            CrossBuilder builder = new CrossBuilder(context, selector, tools, runner, log);
            failFastOnMissingTools(log, builder.unavailable(matrix));
            List<TargetResult> results = builder.buildAll(matrix, t -> outputsFor(t, "staging"));

            attach(results);
            putHostLibraryOnTestClasspath(results);
            report(log, goal(), results);
        } catch (ConfigurationException e) {
            // the pom (or a -D property) asks for something that cannot be: nothing was built
            throw ConfigurationErrors.toMojo(e);
        } catch (IllegalArgumentException e) {
            // a <target> the pom layer itself refused, already worded in the pom's terms
            throw new MojoExecutionException("Configuration error: " + e.getMessage(), e);
        } catch (BuildException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
    }

    private void putHostLibraryOnTestClasspath(List<TargetResult> results) {
        if (!hostLibraryOnTestClasspath) {
            return;
        }
        Platform host;
        try {
            host = Platform.current();
        } catch (IllegalArgumentException unknownHost) {
            getLog().warn("No host library on the test class path: " + unknownHost.getMessage());
            return;
        }
        LibraryPackager.hostResult(results, host).ifPresent(hostResult -> {
            Resource resource = new Resource();
            resource.setDirectory(outputsFor(hostResult.target(), "staging").resourceRoot().toString());
            project.addTestResource(resource);
            getLog().debug("Host library on the test class path: " + hostResult.library());
        });
    }

    @Override
    protected String goal() {
        return "sark:cross-build";
    }
}
