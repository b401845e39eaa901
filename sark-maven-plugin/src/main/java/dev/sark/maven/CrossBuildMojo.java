package dev.sark.maven;

import dev.sark.build.BuildContext;
import dev.sark.build.BuildException;
import dev.sark.build.BuildLog;
import dev.sark.build.BuildSummary;
import dev.sark.build.CrateInfo;
import dev.sark.build.CrossBuilder;
import dev.sark.build.HostTools;
import dev.sark.build.StrategySelector;
import dev.sark.build.LibraryPackager;
import dev.sark.build.TargetOutputs;
import dev.sark.build.TargetResult;
import dev.sark.build.TargetSpec;
import dev.sark.loader.Platform;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;

/**
 * Builds the Rust crate for every target of the matrix and attaches one classifier JAR per target.
 *
 * <p>Runs before the tests, so the host's library is on the test class path of the module's own tests.
 */
@Mojo(name = "cross-build", defaultPhase = LifecyclePhase.PROCESS_CLASSES, threadSafe = true)
public class CrossBuildMojo extends AbstractSarkMojo {

    /** The crate's Cargo.toml. */
    @Parameter(property = "sark.manifestPath", defaultValue = "${project.basedir}/Cargo.toml")
    private File manifestPath;

    /** Skips the goal. */
    @Parameter(property = "sark.skip", defaultValue = "false")
    private boolean skip;

    /** Treats every target as required, optional ones too (the project's own test suite sets it). */
    @Parameter(property = "sark.requireAll", defaultValue = "false")
    private boolean requireAll;

    /** Fails a target whose library exports no JNI function ({@code Java_*}): the JVM could not call it. */
    @Parameter(property = "sark.requireJniExports", defaultValue = "true")
    private boolean requireJniExports;

    /** The cargo profile. */
    @Parameter(property = "sark.profile", defaultValue = "release")
    private String profile;

    /** Where cargo writes (its {@code --target-dir}). */
    @Parameter(property = "sark.cargoTargetDir", defaultValue = "${project.build.directory}/sark/cargo")
    private File cargoTargetDir;

    /** Puts the host's library on the test class path so the module's own tests can load it. */
    @Parameter(property = "sark.hostLibraryOnTestClasspath", defaultValue = "true")
    private boolean hostLibraryOnTestClasspath;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Component
    private MavenProjectHelper projectHelper;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("sark:cross-build skipped (sark.skip)");
            return;
        }
        BuildLog log = new MavenBuildLog(getLog());
        HostTools tools = hostTools();
        try {
            String hostTriple = tools.hostTriple().orElse(null);
            List<TargetSpec> matrix = matrix(hostTriple);
            CrateInfo crate = CrateInfo.read(manifestPath.toPath());
            BuildContext context = new BuildContext(crate, cargoTargetDir.toPath(), profile, session.isOffline(),
                    requireJniExports);
            StrategySelector selector = StrategySelector.standard(tools, hostTriple);
            log.info("Cross-building " + crate.packageName() + " (lib " + crate.libName() + ") for " + matrix.size()
                    + " target(s): " + matrix.stream().map(TargetSpec::triple).collect(Collectors.joining(", ")));

            List<TargetResult> results = new CrossBuilder(context, selector, tools, runner, log)
                    .buildAll(matrix, this::outputsFor);

            attach(results);
            report(log, results);
        } catch (BuildException | IllegalArgumentException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
    }

    /** {@code <finalName>-<classifier>.jar} in the build directory, staged files under {@code sark/staging}. */
    private TargetOutputs outputsFor(TargetSpec target) {
        Path buildDir = Path.of(project.getBuild().getDirectory());
        return new TargetOutputs(
                buildDir.resolve(project.getBuild().getFinalName() + "-" + target.classifier() + ".jar"),
                buildDir.resolve("sark").resolve("staging").resolve(target.classifier()));
    }

    private void attach(List<TargetResult> results) {
        for (TargetResult r : results) {
            if (r.status().producedJar()) {
                projectHelper.attachArtifact(project, "jar", r.target().classifier(), r.jar().toFile());
            }
        }
        if (hostLibraryOnTestClasspath) {
            LibraryPackager.hostResult(results, Platform.current()).ifPresent(host -> {
                Resource resource = new Resource();
                resource.setDirectory(outputsFor(host.target()).resourceRoot().toString());
                project.addTestResource(resource);
                getLog().debug("Host library on the test class path: " + host.library());
            });
        }
    }

    private void report(BuildLog log, List<TargetResult> results) throws MojoFailureException {
        log.info("");
        log.info("sark:cross-build summary");
        BuildSummary.render(results).forEach(log::info);
        List<TargetResult> broken = results.stream().filter(r -> r.breaksBuild(requireAll))
                .collect(Collectors.toList());
        for (TargetResult r : results) {
            if (!r.status().producedJar()) {
                if (r.breaksBuild(requireAll)) {
                    log.error(r.detail());
                } else {
                    log.warn(r.detail());
                }
            }
        }
        if (!broken.isEmpty()) {
            throw new MojoFailureException(broken.size() + " of " + results.size() + " target(s) failed: "
                    + broken.stream().map(r -> r.target().triple()).collect(Collectors.joining(", "))
                    + ". The errors above name the command and the fix; mark a target <optional>true</optional>"
                    + " to tolerate it" + (requireAll ? " (and drop -Dsark.requireAll)" : "")
                    + ", or build a subset with -Dsark.targets=host.\n"
                    + broken.stream().map(TargetResult::detail).collect(Collectors.joining("\n")));
        }
    }
}
