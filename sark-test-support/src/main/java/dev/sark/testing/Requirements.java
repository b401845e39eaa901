package dev.sark.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.sark.loader.Platform;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a run-time proof needs (a classifier JAR, a foreign loader, an emulator) and what happens when it is
 * missing: the test is skipped with a message that says what is missing and how to get it, or, under
 * {@code -Dsark.requireAll} (the full test suite, after {@code scripts/install-toolchains.sh}), it fails.
 * A partial local build thus stays green, while the suite cannot pass by silently skipping its proofs.
 */
public final class Requirements {

    /** The system property that turns every missing requirement into a failure. */
    public static final String REQUIRE_ALL = "sark.requireAll";

    private Requirements() {
    }

    /** Whether missing JARs and run-time tools fail the tests instead of skipping them ({@code -Dsark.requireAll}). */
    public static boolean requireAll() {
        String v = System.getProperty(REQUIRE_ALL);
        return v != null && !v.equalsIgnoreCase("false");
    }

    /**
     * Carries on when {@code unavailable} is empty; otherwise skips the test with its message, or fails it
     * under {@code -Dsark.requireAll}.
     *
     * @param unavailable why something the test needs cannot run here, with the fix (as
     *                    {@link MuslProbe#availability()} and {@link WineProbe#availability()} say it)
     */
    public static void available(Optional<String> unavailable) {
        if (unavailable.isEmpty()) {
            return;
        }
        if (requireAll()) {
            fail("-D" + REQUIRE_ALL + ": " + unavailable.get());
        }
        abort(unavailable.get() + " (skipped; -D" + REQUIRE_ALL + " makes this a failure)");
    }

    /**
     * The JAR {@code sark:cross-build} wrote for {@code classifier} in {@code targetDir} (a module's
     * {@code target}); when there is none, skips the test saying so, or fails it under
     * {@code -Dsark.requireAll}.
     */
    public static Path classifierJar(Path targetDir, String classifier) {
        notOutsideThisBuild(targetDir, classifier);
        Optional<Path> jar = ClassifierJars.find(targetDir, classifier);
        available(jar.isPresent() ? Optional.empty() : Optional.of(missingJar(targetDir, classifier)));
        return jar.orElseThrow();
    }

    /**
     * Skips the test, even under {@code -Dsark.requireAll}, when the module's build was narrowed to targets
     * that do not include {@code classifier} ({@code -Dsark.targets}, as the per-target jobs of a split suite
     * do): that proof belongs to the build that produces the target. A JAR left over from an earlier build
     * is not tested in its place, since it may be stale.
     */
    static void notOutsideThisBuild(Path targetDir, String classifier) {
        BuildResults.requestedClassifiers(targetDir).ifPresent(requested -> {
            if (!requested.contains(classifier)) {
                abort(classifier + " is not among the targets this build was asked for (" + requested + ", from "
                        + BuildResults.file(targetDir).orElseThrow() + "); its proofs run in the build of that target,"
                        + " e.g. mvn verify -Dsark.requireAll -Dsark.targets=<its triple>");
            }
        });
    }

    /** Why a classifier JAR is usually missing, and what builds it. */
    static String missingJar(Path targetDir, String classifier) {
        String toolchain;
        try {
            Platform p = Platform.fromClassifier(classifier);
            if (p.os() == Platform.Os.LINUX && p.libc() == Platform.Libc.GLIBC) {
                toolchain = p.arch() == Platform.Arch.X86_64 ? "the host toolchain (cargo)"
                        : "the cross toolchain (scripts/install-toolchains.sh linux-cross)";
            } else {
                toolchain = "the build-std toolchain (scripts/install-toolchains.sh zig build-std)";
            }
        } catch (IllegalArgumentException e) {
            toolchain = "its toolchain (scripts/install-toolchains.sh)";
        }
        return "no " + classifier + " classifier JAR in " + targetDir.toAbsolutePath().normalize()
                + ": sark:cross-build skips an optional target whose toolchain is missing, or the module was built with"
                + " -Dsark.targets; install " + toolchain + " and build the module (mvn install -Dsark.requireAll)";
    }
}
