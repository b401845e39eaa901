package dev.sark.maven;

import dev.sark.build.BuildException;
import dev.sark.build.BuildSummary;
import dev.sark.build.ClassifierJar;
import dev.sark.build.CrateInfo;
import dev.sark.build.LibraryPackager;
import dev.sark.build.PrebuiltPackager;
import dev.sark.build.TargetOutputs;
import dev.sark.build.TargetResult;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;

/**
 * Packages libraries that other jobs built (the fan-in of a CI matrix) into the classifier JARs of the
 * matrix, without running cargo, plus one JAR holding every platform. Each library is checked against its
 * target first, as {@code sark:cross-build} does.
 */
@Mojo(name = "package-natives", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class PackageNativesMojo extends AbstractSarkMojo {

    /** Where the matrix jobs' libraries or classifier JARs were downloaded. */
    @Parameter(property = "sark.prebuilt", required = true)
    private File prebuiltDirectory;

    /** The crate's Cargo.toml, read for the library name. */
    @Parameter(property = "sark.manifestPath", defaultValue = "${project.basedir}/Cargo.toml")
    private File manifestPath;

    /** Classifier of the JAR that holds every platform's library; empty for none. */
    @Parameter(property = "sark.allPlatformsClassifier", defaultValue = "all-platforms")
    private String allPlatformsClassifier;

    /** Treats every target as required, optional ones too. */
    @Parameter(property = "sark.requireAll", defaultValue = "false")
    private boolean requireAll;

    /** Fails a library that exports no JNI function ({@code Java_*}). */
    @Parameter(property = "sark.requireJniExports", defaultValue = "true")
    private boolean requireJniExports;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Component
    private MavenProjectHelper projectHelper;

    @Override
    public void execute() throws MojoFailureException {
        MavenBuildLog log = new MavenBuildLog(getLog());
        try {
            String libName = CrateInfo.read(manifestPath.toPath()).libName();
            LibraryPackager packager = new LibraryPackager(libName, requireJniExports, log);
            Path buildDir = Path.of(project.getBuild().getDirectory());
            String finalName = project.getBuild().getFinalName();
            List<TargetResult> results = new PrebuiltPackager(prebuiltDirectory.toPath(), packager, log)
                    .packageAll(matrix(hostTools().hostTriple().orElse(null)), t -> new TargetOutputs(
                            buildDir.resolve(finalName + "-" + t.classifier() + ".jar"),
                            buildDir.resolve("sark").resolve("prebuilt").resolve(t.classifier())));
            List<TargetResult> packaged = results.stream().filter(r -> r.status().producedJar())
                    .collect(Collectors.toList());
            packaged.forEach(r -> projectHelper.attachArtifact(project, "jar", r.target().classifier(), r.jar().toFile()));
            if (allPlatformsClassifier != null && !allPlatformsClassifier.isBlank() && !packaged.isEmpty()) {
                Path bundle = buildDir.resolve(finalName + "-" + allPlatformsClassifier.trim() + ".jar");
                ClassifierJar.writeBundle(bundle, packaged, libName);
                projectHelper.attachArtifact(project, "jar", allPlatformsClassifier.trim(), bundle.toFile());
                log.info("packaged " + packaged.size() + " platform(s) into " + bundle.getFileName());
            }
            log.info("sark:package-natives summary");
            BuildSummary.render(results).forEach(log::info);
            List<TargetResult> broken = results.stream().filter(r -> r.breaksBuild(requireAll)).collect(Collectors.toList());
            results.stream().filter(r -> !r.status().producedJar()).forEach(r -> log.warn(r.detail()));
            if (!broken.isEmpty()) {
                throw new MojoFailureException(broken.size() + " of " + results.size() + " target(s) have no usable"
                        + " prebuilt library: " + broken.stream().map(r -> r.target().triple())
                        .collect(Collectors.joining(", ")) + "\n"
                        + broken.stream().map(TargetResult::detail).collect(Collectors.joining("\n")));
            }
        } catch (BuildException | IllegalArgumentException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
    }
}
