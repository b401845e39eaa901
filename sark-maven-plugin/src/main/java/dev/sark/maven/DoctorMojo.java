package dev.sark.maven;

import dev.sark.crossbuild.BuildException;
import dev.sark.crossbuild.ConfigurationException;
import dev.sark.crossbuild.CrateInfo;
import dev.sark.crossbuild.Doctor;
import dev.sark.crossbuild.HostTools;
import dev.sark.crossbuild.ResultFile;
import dev.sark.crossbuild.StrategySelector;
import java.io.File;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Reports, for each target of the matrix, which strategy would build it and what this machine
 * has for it (cargo, rustup toolchain, standard library, linker, zig, Docker engine), with the fix for
 * each missing piece, and whether each toolchain reaches the crate's {@code rust-version}. Works outside a
 * project too, with {@code -Dsark.targets}.
 */
@Mojo(name = "doctor", requiresProject = false, threadSafe = true)
public class DoctorMojo extends AbstractSarkMojo {

    /** Fails the build when a target cannot be built here. */
    @Parameter(property = "sark.doctor.strict", defaultValue = "false")
    private boolean strict;

    /** The crate's Cargo.toml, for its rust-version (none when the file does not exist). */
    @Parameter(property = "sark.manifestPath", defaultValue = "${project.basedir}/Cargo.toml")
    private File manifestPath;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        HostTools tools = hostTools();
        try {
            String hostTriple = tools.hostTriple().orElse(null);
            String rustVersion = manifestPath == null ? null
                    : CrateInfo.declaredRustVersion(manifestPath.toPath()).orElse(null);
            Doctor.Report report = new Doctor(tools, StrategySelector.standard(tools, hostTriple), hostTriple,
                    rustVersion, manifestPath.toString()).examine(matrix(hostTriple));
            getLog().info("sark:doctor (host " + (hostTriple == null ? "unknown: rustc does not run" : hostTriple)
                    + (rustVersion == null ? "" : ", rust-version " + rustVersion + " from " + manifestPath) + ")");
            report.lines().forEach(getLog()::info);
            compilerCache(tools).state(runner, basedir.toPath()).forEach(getLog()::info);
            Path resultFile = Path.of(project.getBuild().getDirectory(), "sark", "doctor.json");
            ResultFile.writeDoctor(resultFile, secondsSinceStart(), report.targets());
            getLog().debug("Wrote " + resultFile);
            if (strict && !report.allBuildable()) {
                throw new MojoFailureException("sark:doctor: some targets cannot be built here; see the fixes above"
                        + " (drop -Dsark.doctor.strict to only report)");
            }
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
}
