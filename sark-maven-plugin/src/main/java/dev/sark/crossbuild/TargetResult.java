package dev.sark.crossbuild;

import java.nio.file.Path;
import java.util.List;

/**
 * What happened to one target of the matrix.
 *
 * @param tool        the strategy's label ({@code cargo}, {@code cargo +sark-debian}, {@code lipo}, ...); {@code -} when none ran
 * @param command     the command as a user would type it; empty when none ran
 * @param library     the packaged library (the staged copy), or null when nothing was packaged
 * @param jar         the classifier JAR, or null when nothing was packaged
 * @param detail      why the target failed or could not be built, with the fix; empty on success
 * @param tail        the last lines of the tool's output for a failed build
 * @param requirement what the packaged library needs of the platform, as its headers say ({@code glibc 2.17},
 *                    {@code macOS 11.0}, {@code Windows 10}); {@code -} when nothing was packaged
 * @param compiled    the crates cargo compiled rather than found up to date, as its messages say; empty when it
 *                    had nothing to do or did not run
 */
public record TargetResult(TargetSpec target, Status status, String tool, String command, double seconds, Path library,
                           Path jar, String detail, List<String> tail, String requirement, List<String> compiled) {

    /** The outcome, in the words of the summary table. */
    public enum Status {
        BUILT, UP_TO_DATE, FAILED, UNAVAILABLE;

        public boolean producedJar() {
            return this == BUILT || this == UP_TO_DATE;
        }
    }

    public TargetResult {
        tail = List.copyOf(tail);
        compiled = List.copyOf(compiled);
    }

    /** {@code requirement}: what the library needs, from {@link dev.sark.crossbuild.check.BinaryFacts#platformRequirement()}. */
    static TargetResult packaged(TargetSpec target, boolean upToDate, String tool, double seconds, Path library, Path jar,
                                 String requirement) {
        return new TargetResult(target, upToDate ? Status.UP_TO_DATE : Status.BUILT, tool, "", seconds, library, jar, "",
                List.of(), requirement, List.of());
    }

    static TargetResult failed(TargetSpec target, String tool, double seconds, String detail, List<String> tail) {
        return new TargetResult(target, Status.FAILED, tool, "", seconds, null, null, detail, tail, "-", List.of());
    }

    static TargetResult unavailable(TargetSpec target, String detail) {
        return new TargetResult(target, Status.UNAVAILABLE, "-", "", 0, null, null, detail, List.of(), "-", List.of());
    }

    /** The same result, recording the command that produced it and the crates it compiled. */
    TargetResult withCommand(String command, List<String> compiled) {
        return new TargetResult(target, status, tool, command, seconds, library, jar, detail, tail, requirement,
                compiled);
    }

    /** A failure that should fail the Maven build: optional targets only warn, unless every target is required. */
    public boolean breaksBuild(boolean requireAll) {
        return !status.producedJar() && (requireAll || !target.optional());
    }
}
