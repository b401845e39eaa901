package dev.sark.maven;

import dev.sark.build.BuildException;
import dev.sark.build.Doctor;
import dev.sark.build.HostTools;
import dev.sark.build.StrategySelector;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Reports, for each target of the matrix, which toolchain strategy would build it and what this machine
 * has for it (cargo, rustup toolchain, standard library, linker, zig, Docker engine), with the fix for
 * each missing piece. Works outside a project too, with {@code -Dsark.targets}.
 */
@Mojo(name = "doctor", requiresProject = false, threadSafe = true)
public class DoctorMojo extends AbstractSarkMojo {

    /** Fails the build when a target cannot be built here. */
    @Parameter(property = "sark.doctor.strict", defaultValue = "false")
    private boolean strict;

    @Override
    public void execute() throws MojoFailureException {
        HostTools tools = hostTools();
        try {
            String hostTriple = tools.hostTriple().orElse(null);
            Doctor.Report report = new Doctor(tools, StrategySelector.standard(tools, hostTriple), hostTriple)
                    .examine(matrix(hostTriple));
            getLog().info("sark:doctor (host " + (hostTriple == null ? "unknown: rustc does not run" : hostTriple) + ")");
            report.lines.forEach(getLog()::info);
            if (strict && !report.allBuildable) {
                throw new MojoFailureException("sark:doctor: some targets cannot be built here; see the fixes above"
                        + " (drop -Dsark.doctor.strict to only report)");
            }
        } catch (BuildException | IllegalArgumentException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
    }
}
