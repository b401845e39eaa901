package dev.sark.maven;

import dev.sark.crossbuild.BuildException;
import dev.sark.crossbuild.ConfigurationException;
import dev.sark.crossbuild.ClassifierJar;
import dev.sark.crossbuild.CrateInfo;
import dev.sark.crossbuild.LibraryPackager;
import dev.sark.crossbuild.PrebuiltPackager;
import dev.sark.crossbuild.TargetResult;
import java.io.File;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Packages libraries that other jobs built (the fan-in of a CI matrix) into the classifier JARs of the
 * matrix, without running cargo, plus one JAR holding every platform. Each library is checked against its
 * target first, as {@code sark:cross-build} does.
 */
@Mojo(name = "package-natives", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class PackageNativesMojo extends AbstractPackagingMojo {

    /** Where the matrix jobs' libraries or classifier JARs were downloaded. */
    @Parameter(property = "sark.prebuilt", required = true)
    private File prebuiltDirectory;

    /** Classifier of the JAR that holds every platform's library; empty for none. */
    @Parameter(property = "sark.allPlatformsClassifier", defaultValue = "all-platforms")
    private String allPlatformsClassifier;

    /** Skips the goal. */
    @Parameter(property = "sark.packageNatives.skip", defaultValue = "false")
    private boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("sark:package-natives skipped (sark.packageNatives.skip)");
            return;
        }
        MavenBuildLog log = new MavenBuildLog(getLog());
        try {
            String libName = CrateInfo.read(manifestPath.toPath()).libName();
            LibraryPackager packager = new LibraryPackager(libName, requireJniExports, log, entryTime());
            Path buildDir = Path.of(project.getBuild().getDirectory());
            String finalName = project.getBuild().getFinalName();
            List<TargetResult> results = new PrebuiltPackager(prebuiltDirectory.toPath(), packager, log)
                    .packageAll(matrix(hostTools().hostTriple().orElse(null)), t -> outputsFor(t, "prebuilt"));
            attach(results);
            List<TargetResult> packaged = results.stream().filter(r -> r.status().producedJar())
                    .collect(Collectors.toList());
            if (allPlatformsClassifier != null && !allPlatformsClassifier.isBlank() && !packaged.isEmpty()) {
                Path bundle = buildDir.resolve(finalName + "-" + allPlatformsClassifier.trim() + ".jar");
                ClassifierJar.writeBundle(bundle, packaged, libName, packager.entryTime());
                projectHelper.attachArtifact(project, "jar", allPlatformsClassifier.trim(), bundle.toFile());
                log.info("packaged " + packaged.size() + " platform(s) into " + bundle.getFileName());
            }
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

    @Override
    protected String goal() {
        return "sark:package-natives";
    }
}
