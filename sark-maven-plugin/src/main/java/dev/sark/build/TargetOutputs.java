package dev.sark.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Where one target's outputs go: its classifier JAR, and a staging directory laid out as class path resources. */
public final class TargetOutputs {
    /** Decides the outputs of each target; the Mojos name them after the project's finalName. */
    public interface Layout {
        TargetOutputs outputsFor(TargetSpec target);
    }

    final Path jar;
    final Path stagingDir;

    public TargetOutputs(Path jar, Path stagingDir) {
        this.jar = jar;
        this.stagingDir = stagingDir;
    }

    public Path jar() {
        return jar;
    }

    /** A directory that, put on a class path, holds the library where the runtime loader looks. */
    public Path resourceRoot() {
        return stagingDir.resolve("resources");
    }

    Path stagedLibrary(TargetSpec target, String libName) {
        return resourceRoot().resolve(target.platform().resourcePath(libName));
    }

    BuildStamp stamp() {
        return new BuildStamp(stagingDir.resolve("build-stamp.properties"));
    }

    /** Removes the JAR and everything staged, so that a failure can never leave a stale library to package. */
    void discard(TargetSpec target) {
        try {
            Files.deleteIfExists(jar);
            if (Files.exists(stagingDir)) {
                try (Stream<Path> paths = Files.walk(stagingDir)) {
                    for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                        Files.delete(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove the previous outputs of " + target.triple(), e);
        }
    }
}
