package dev.sark.crossbuild;

import java.nio.file.Path;

/**
 * Where one target's outputs go: its classifier JAR, and a staging directory laid out as class path resources.
 *
 * @param jar        the classifier JAR
 * @param stagingDir the target's staging directory (its resources and its build stamp)
 */
public record TargetOutputs(Path jar, Path stagingDir) {
    /** Decides the outputs of each target; the Mojos name them after the project's finalName. */
    public interface Layout {
        TargetOutputs outputsFor(TargetSpec target);
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

    /**
     * Marks the outputs as not current, after a failure: the next run packages again. The JAR itself stays (it is
     * not attached by a run whose target failed): a good JAR is only ever replaced by one that passed its checks.
     */
    void forget() {
        stamp().delete();
    }
}
