package dev.sark.maven;

import dev.sark.crossbuild.BuildLog;
import dev.sark.crossbuild.BuildSummary;
import dev.sark.crossbuild.ClassifierJar;
import dev.sark.crossbuild.ResultFile;
import dev.sark.crossbuild.TargetOutputs;
import dev.sark.crossbuild.TargetResult;
import dev.sark.crossbuild.TargetSpec;
import java.io.File;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;

/** What the goals that produce classifier JARs share: where they go, attaching them, and the summary. */
abstract class AbstractPackagingMojo extends AbstractSarkMojo {

    /** The crate's Cargo.toml. */
    @Parameter(property = "sark.manifestPath", defaultValue = "${project.basedir}/Cargo.toml")
    protected File manifestPath;

    /** Treats every target as required, optional ones too (the project's own test suite sets it). */
    @Parameter(property = "sark.requireAll", defaultValue = "false")
    protected boolean requireAll;

    /**
     * Fails a target whose library exports no JNI function ({@code Java_*}): the JVM could not call it. Off by
     * default, since a crate may register its natives with {@code RegisterNatives} from {@code JNI_OnLoad}
     * instead; SARK's own modules turn it on. (Windows DLLs are always checked for JNI exports.)
     */
    @Parameter(property = "sark.requireJniExports", defaultValue = "false")
    protected boolean requireJniExports;

    /**
     * The date written into every entry of the classifier JARs, for reproducible builds: Maven's
     * {@code project.build.outputTimestamp} (ISO 8601, or seconds since the epoch). Unset, a fixed date is used,
     * so the same library always gives a byte-identical JAR.
     */
    @Parameter(defaultValue = "${project.build.outputTimestamp}")
    protected String outputTimestamp;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    @Component
    protected MavenProjectHelper projectHelper;

    /** The JAR entry date from {@link #outputTimestamp}. */
    protected FileTime entryTime() throws MojoExecutionException {
        try {
            return OutputTimestamp.parse(outputTimestamp).map(FileTime::from).orElse(ClassifierJar.DEFAULT_ENTRY_TIME);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("<project.build.outputTimestamp>" + outputTimestamp + "</project.build."
                    + "outputTimestamp> is not a date: " + e.getMessage() + ". Use ISO 8601 such as 2026-01-01T00:00:00Z,"
                    + " or seconds since the epoch.", e);
        }
    }

    /** {@code <finalName>-<classifier>.jar} in the build directory, staged files under {@code sark/<area>}. */
    protected TargetOutputs outputsFor(TargetSpec target, String area) {
        Path buildDir = Path.of(project.getBuild().getDirectory());
        return new TargetOutputs(
                buildDir.resolve(project.getBuild().getFinalName() + "-" + target.classifier() + ".jar"),
                buildDir.resolve("sark").resolve(area).resolve(target.classifier()));
    }

    /** Attaches each produced JAR under its classifier, so install and deploy publish it. */
    protected void attach(List<TargetResult> results) {
        for (TargetResult r : results) {
            if (r.status().producedJar()) {
                projectHelper.attachArtifact(project, "jar", r.target().classifier(), r.jar().toFile());
            }
        }
    }

    /**
     * Prints the summary table and each problem once; fails when a required target produced nothing. A target
     * that could not be built here was reported in one line as the build reached it; the fixes are the
     * doctor's to show.
     */
    protected void report(BuildLog log, String goal, List<TargetResult> results) throws MojoFailureException {
        writeResultFile(goal, results);
        log.info("");
        log.info(goal + " summary");
        BuildSummary.render(results).forEach(log::info);
        long skippedOptional = 0;
        for (TargetResult r : results) {
            if (r.status().producedJar()) {
                continue;
            }
            if (r.breaksBuild(requireAll)) {
                log.error(r.detail());
            } else if (r.status() == TargetResult.Status.UNAVAILABLE) {
                skippedOptional++;
            } else {
                log.warn(r.detail());
            }
        }
        if (skippedOptional > 0) {
            log.warn(skippedOptional + " optional target(s) cannot be built on this machine; `mvn sark:doctor` shows"
                    + " what each one needs.");
        }
        List<TargetResult> broken = results.stream().filter(r -> r.breaksBuild(requireAll)).collect(Collectors.toList());
        if (!broken.isEmpty()) {
            throw new MojoFailureException(failureSummary(broken, results.size()));
        }
    }

    /**
     * Stops before anything is built when a required target cannot be built on this machine: every such target
     * at once, with its reason and fix.
     */
    protected void failFastOnMissingTools(BuildLog log, List<TargetResult> unavailable) throws MojoFailureException {
        List<TargetResult> required = unavailable.stream().filter(r -> r.breaksBuild(requireAll)).collect(Collectors.toList());
        if (required.isEmpty()) {
            return;
        }
        writeResultFile(goal(), unavailable);
        required.forEach(r -> log.error(r.target().triple() + ": " + r.detail()));
        throw new MojoFailureException("Nothing was built: " + required.size() + " required target(s) cannot be built on"
                + " this machine: " + required.stream().map(r -> r.target().triple()).collect(Collectors.joining(", "))
                + ". The errors above give each fix (`mvn sark:doctor` shows them all); mark a target"
                + " <optional>true</optional> to tolerate it" + (requireAll ? " (and drop -Dsark.requireAll)" : "")
                + ", or build a subset with -Dsark.targets=host.");
    }

    /** The goal's name as Maven shows it, e.g. {@code sark:cross-build}. */
    protected abstract String goal();

    /** {@code target/sark/<goal>.json}: the outcome for scripts and CI (see docs/configuration.md). */
    private void writeResultFile(String goal, List<TargetResult> results) {
        String name = goal.substring(goal.indexOf(':') + 1);
        ResultFile.writeBuild(Path.of(project.getBuild().getDirectory(), "sark", name + ".json"), name,
                secondsSinceStart(), results);
    }

    /** The closing message: which targets broke the build; their details were logged just above. */
    private String failureSummary(List<TargetResult> broken, int total) {
        return broken.size() + " of " + total + " target(s) failed: "
                + broken.stream().map(r -> r.target().triple()).collect(Collectors.joining(", "))
                + ". The errors above name the command and the fix; mark a target <optional>true</optional>"
                + " to tolerate it" + (requireAll ? " (and drop -Dsark.requireAll)" : "")
                + ", or build a subset with -Dsark.targets=host.";
    }
}
