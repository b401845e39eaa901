package dev.sark.maven;

import dev.sark.crossbuild.BuildContext;
import dev.sark.crossbuild.BuildException;
import dev.sark.crossbuild.ConfigurationException;
import dev.sark.crossbuild.CargoOptions;
import dev.sark.crossbuild.CargoTest;
import dev.sark.crossbuild.CrateInfo;
import dev.sark.crossbuild.HostTools;
import dev.sark.crossbuild.ResultFile;
import java.io.File;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Runs the crate's Rust tests ({@code cargo test}) for the host in Maven's test phase, so {@code mvn test} runs
 * them with the Java tests; {@code -DskipTests} and {@code -Dmaven.test.skip} skip both.
 */
@Mojo(name = "test", defaultPhase = LifecyclePhase.TEST, threadSafe = true)
public class TestMojo extends AbstractCargoMojo {

    /** The crate's Cargo.toml. */
    @Parameter(property = "sark.manifestPath", defaultValue = "${project.basedir}/Cargo.toml")
    private File manifestPath;

    /** Skips the Rust tests, as it skips the Java ones. */
    @Parameter(property = "skipTests", defaultValue = "false")
    private boolean skipTests;

    /** Skips compiling and running the tests, as for the Java ones. */
    @Parameter(property = "maven.test.skip", defaultValue = "false")
    private boolean skip;

    /**
     * Where cargo writes: by default the same directory as {@code sark:cross-build} (cargo keeps the test
     * profile's artifacts apart), so crates shared with the build or with other modules compile once.
     */
    @Parameter(property = "sark.cargoTargetDir")
    private File cargoTargetDir;

    /** Cargo features for the tests, separated by commas. */
    @Parameter(property = "sark.features")
    private String features;

    /** {@code --no-default-features} for the tests. */
    @Parameter(property = "sark.noDefaultFeatures")
    private Boolean noDefaultFeatures;

    /** {@code --all-features} for the tests. */
    @Parameter(property = "sark.allFeatures")
    private Boolean allFeatures;

    /** Further arguments for {@code cargo test}, e.g. {@code <cargoTestArgs><arg>--</arg><arg>--nocapture</arg></cargoTestArgs>}. */
    @Parameter
    private List<String> cargoTestArgs;

    /** Passes {@code --locked} when the workspace has a Cargo.lock (with Maven offline, {@code --frozen}). */
    @Parameter(property = "sark.locked", defaultValue = "true")
    private boolean locked;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skipTests || skip) {
            getLog().info("Rust tests skipped (" + (skip ? "maven.test.skip" : "skipTests") + ")");
            return;
        }
        try {
            CrateInfo crate = CrateInfo.read(manifestPath.toPath());
            Path dir = cargoTargetDir != null ? cargoTargetDir.toPath()
                    : BuildContext.defaultCargoTargetDir(crate, Path.of(project.getBuild().getDirectory()));
            BuildContext context = new BuildContext(crate, dir, "test", session.isOffline(), false, locked)
                    .withCargoOptions(new CargoOptions(Collections.singletonList(features), noDefaultFeatures, allFeatures,
                            cargoTestArgs));
            HostTools tools = hostTools();
            context = context.withCompilerCache(compilerCache(tools));
            CargoTest.Outcome outcome = new CargoTest(context, runner, new MavenBuildLog(getLog()), cargo()).run();
            ResultFile.writeTest(Path.of(project.getBuild().getDirectory(), "sark", "test.json"), secondsSinceStart(),
                    tools.hostTriple().orElse(null), outcome);
            outcome.throwIfFailed();
        } catch (ConfigurationException e) {
            // the pom (or a -D property) asks for something that cannot be: nothing was built
            throw ConfigurationErrors.toMojo(e);
        } catch (BuildException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
    }
}
