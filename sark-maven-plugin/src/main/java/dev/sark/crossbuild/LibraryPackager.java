package dev.sark.crossbuild;

import dev.sark.crossbuild.check.BinaryFacts;
import dev.sark.crossbuild.check.FatMachOWriter;
import dev.sark.crossbuild.check.LibraryVerifier;
import dev.sark.crossbuild.check.PlatformFloors;
import dev.sark.loader.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns a produced library into a published one: checks its headers against the target, stages it where
 * the runtime loader looks, and writes the classifier JAR. Shared by {@code sark:cross-build}, which gets
 * libraries from cargo, and {@code sark:package-natives}, which gets them from earlier CI jobs.
 */
public final class LibraryPackager {
    /** The thin macOS targets a universal library is made of. */

    private final String libName;
    private final boolean requireJniExports;
    private final BuildLog log;
    private final FileTime entryTime;

    public LibraryPackager(String libName, boolean requireJniExports, BuildLog log) {
        this(libName, requireJniExports, log, ClassifierJar.DEFAULT_ENTRY_TIME);
    }

    /** {@code entryTime}: the date of every JAR entry (Maven's {@code project.build.outputTimestamp}). */
    public LibraryPackager(String libName, boolean requireJniExports, BuildLog log, FileTime entryTime) {
        this.entryTime = entryTime;
        this.libName = libName;
        this.requireJniExports = requireJniExports;
        this.log = log;
    }

    public FileTime entryTime() {
        return entryTime;
    }

    public String libName() {
        return libName;
    }

    /** Checks {@code library} and packages it; a library that does not match its target is refused. */
    public TargetResult pack(TargetSpec target, Path library, TargetOutputs out, String tool, double seconds,
                             String rustc, String progress) {
        return pack(target, target.floors(), library, out, tool, seconds, rustc, progress);
    }

    private TargetResult pack(TargetSpec target, PlatformFloors floors, Path library, TargetOutputs out, String tool,
                              double seconds, String rustc, String progress) {
        List<String> problems;
        String facts;
        String requirement = "-";
        try {
            BinaryFacts binary = BinaryFacts.read(library);
            facts = binary.summary();
            requirement = binary.platformRequirement();
            problems = LibraryVerifier.problems(target.platform(), binary, floors, libName,
                    requireJniExports);
            if (problems.isEmpty()) {
                GlibcAdvice.warning(target, binary).ifPresent(w -> log.warn(progress + ": " + w));
            }
        } catch (IOException e) {
            facts = "";
            problems = List.of(e.getMessage());
        }
        if (!problems.isEmpty()) {
            out.forget();
            return TargetResult.failed(target, tool, seconds, "target " + target.triple() + ": " + library
                    + " does not match its target, so it is not packaged:\n  - " + String.join("\n  - ", problems),
                    List.of());
        }
        log.info(progress + ": checked " + library.getFileName() + " (" + facts + "; needs " + requirement + ")");
        Path staged = out.stagedLibrary(target, libName);
        try {
            Files.createDirectories(staged.getParent());
            if (!library.equals(staged)) {
                Files.copy(library, staged, StandardCopyOption.REPLACE_EXISTING);
            }
            ClassifierJar.write(out.jar(), target.platform(), new ClassifierJar.Contents(staged, libName,
                    target.triple(), target.classifier(), Digests.sha256(staged), rustc, entryTime));
        } catch (IOException | UncheckedIOException e) {
            out.forget();
            return TargetResult.failed(target, tool, seconds, "target " + target.triple() + ": packaging failed: "
                    + e.getMessage(), List.of());
        }
        log.info(progress + ": packaged " + out.jar().getFileName() + String.format(" in %.1f s", seconds));
        return TargetResult.packaged(target, false, tool, seconds, staged, out.jar(), requirement);
    }

    /**
     * The result for a target whose JAR is current: its requirement read again from the staged library, and the
     * glibc advice repeated, so that neither disappears from a build that had nothing to do; {@code seconds}:
     * what cargo took to find nothing to do.
     */
    TargetResult upToDate(TargetSpec target, Path staged, Path jar, String tool, double seconds, String progress) {
        log.info(progress + ": up to date (" + jar.getFileName() + ")");
        String requirement;
        try {
            BinaryFacts binary = BinaryFacts.read(staged);
            requirement = binary.platformRequirement();
            GlibcAdvice.warning(target, binary).ifPresent(w -> log.warn(progress + ": " + w));
        } catch (IOException e) {
            requirement = "?";
        }
        return TargetResult.packaged(target, true, tool, seconds, staged, jar, requirement);
    }

    /**
     * A target merged from its {@link TargetSpec#slices() slices} ({@code universal2-apple-darwin}): no compiler
     * builds it; it is the thin libraries packaged earlier in the same run, merged into one fat Mach-O.
     */
    public TargetResult mergeSlices(TargetSpec target, TargetOutputs out, List<TargetResult> earlier, String rustc,
                                       String progress) {
        Path merged = out.stagedLibrary(target, libName);
        boolean slicesUnchanged = target.slices().stream().allMatch(triple -> earlier.stream().anyMatch(
                r -> r.target().triple().equals(triple) && r.status() == TargetResult.Status.UP_TO_DATE));
        if (slicesUnchanged && Files.isRegularFile(merged) && Files.isRegularFile(out.jar())) {
            return upToDate(target, merged, out.jar(), "lipo", 0, progress);
        }
        out.forget();
        List<Path> slices = new ArrayList<>();
        PlatformFloors floors = target.floors();
        for (String triple : target.slices()) {
            Optional<TargetResult> slice = earlier.stream()
                    .filter(r -> r.target().triple().equals(triple) && r.status().producedJar()).findFirst();
            if (slice.isEmpty()) {
                return TargetResult.unavailable(target, "it is merged from " + String.join(" and ", target.slices())
                        + ", and " + triple + " was not built");
            }
            slices.add(slice.get().library());
            // Each slice is held to the minimum its own target was built with.
            TargetSpec thin = slice.get().target();
            floors = floors.withMacosMinimum(thin.platform().arch(), thin.macosMinimum());
        }
        try {
            Files.createDirectories(merged.getParent());
            FatMachOWriter.write(merged, slices);
        } catch (IOException e) {
            out.forget();
            return TargetResult.failed(target, "lipo", 0, "target " + target.triple() + ": " + e.getMessage(), List.of());
        }
        log.info(progress + ": merged " + String.join(" + ", target.slices()));
        return pack(target, floors, merged, out, "lipo", 0, rustc, progress);
    }

    /** Two targets of one matrix must not publish under the same classifier. */
    static void checkClassifiersUnique(List<TargetSpec> targets) {
        Map<String, String> seen = new TreeMap<>();
        for (TargetSpec t : targets) {
            String other = seen.putIfAbsent(t.classifier(), t.triple());
            if (other != null) {
                throw new ConfigurationException(ConfigurationException.Setting.CLASSIFIER, t.triple(), t.classifier(),
                        "is also the classifier of target " + other + ": give one of them a classifier of its own, or"
                        + " drop it from the matrix");
            }
        }
    }

    /** The result whose platform is the one this JVM runs on, if the matrix has it. */
    public static Optional<TargetResult> hostResult(List<TargetResult> results, Platform host) {
        return results.stream().filter(r -> r.status().producedJar() && r.target().platform().equals(host)).findFirst();
    }
}
