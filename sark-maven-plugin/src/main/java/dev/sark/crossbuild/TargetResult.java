package dev.sark.crossbuild;

import java.nio.file.Path;
import java.util.List;

/** What happened to one target of the matrix. */
public final class TargetResult {
    /** The outcome, in the words of the summary table. */
    public enum Status {
        BUILT, UP_TO_DATE, FAILED, UNAVAILABLE;

        public boolean producedJar() {
            return this == BUILT || this == UP_TO_DATE;
        }
    }

    private final TargetSpec target;
    private final Status status;
    private final String tool;
    private final double seconds;
    private final Path library;
    private final Path jar;
    private final String detail;
    private final List<String> tail;
    private final String requirement;

    private TargetResult(TargetSpec target, Status status, String tool, double seconds, Path library, Path jar,
                         String detail, List<String> tail, String requirement) {
        this.requirement = requirement;
        this.target = target;
        this.status = status;
        this.tool = tool;
        this.seconds = seconds;
        this.library = library;
        this.jar = jar;
        this.detail = detail;
        this.tail = List.copyOf(tail);
    }

    /** {@code requirement}: what the library needs, from {@link dev.sark.crossbuild.check.BinaryFacts#platformRequirement()}. */
    static TargetResult packaged(TargetSpec target, boolean upToDate, String tool, double seconds, Path library, Path jar,
                                 String requirement) {
        return new TargetResult(target, upToDate ? Status.UP_TO_DATE : Status.BUILT, tool, seconds, library, jar, "",
                List.of(), requirement);
    }

    static TargetResult failed(TargetSpec target, String tool, double seconds, String detail, List<String> tail) {
        return new TargetResult(target, Status.FAILED, tool, seconds, null, null, detail, tail, "-");
    }

    static TargetResult unavailable(TargetSpec target, String detail) {
        return new TargetResult(target, Status.UNAVAILABLE, "-", 0, null, null, detail, List.of(), "-");
    }

    public TargetSpec target() {
        return target;
    }

    public Status status() {
        return status;
    }

    public String tool() {
        return tool;
    }

    public double seconds() {
        return seconds;
    }

    /** The packaged library (the staged copy), or null when nothing was packaged. */
    public Path library() {
        return library;
    }

    /** The classifier JAR, or null when nothing was packaged. */
    public Path jar() {
        return jar;
    }

    /** Why the target failed or could not be built, with the fix; empty on success. */
    public String detail() {
        return detail;
    }

    /**
     * What the packaged library needs of the platform, as its headers say ({@code glibc 2.17}, {@code macOS 11.0},
     * {@code Windows 10}); {@code -} when nothing was packaged.
     */
    public String requirement() {
        return requirement;
    }

    /** The last lines of the tool's output for a failed build. */
    public List<String> tail() {
        return tail;
    }

    /** A failure that should fail the Maven build: optional targets only warn, unless every target is required. */
    public boolean breaksBuild(boolean requireAll) {
        return !status.producedJar() && (requireAll || !target.optional());
    }
}
