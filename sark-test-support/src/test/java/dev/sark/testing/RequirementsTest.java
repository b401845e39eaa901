package dev.sark.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** What a missing classifier JAR means, with and without -Dsark.requireAll and a narrowed build. */
class RequirementsTest {
    @TempDir
    Path target;

    private String requireAllBefore;

    @BeforeEach
    void requireAll() {
        requireAllBefore = System.getProperty(Requirements.REQUIRE_ALL);
        System.setProperty(Requirements.REQUIRE_ALL, "true");
    }

    @AfterEach
    void restore() {
        if (requireAllBefore == null) {
            System.clearProperty(Requirements.REQUIRE_ALL);
        } else {
            System.setProperty(Requirements.REQUIRE_ALL, requireAllBefore);
        }
    }

    /** A result file as sark:cross-build writes it, for a build asked for these classifiers. */
    private void crossBuildAskedFor(String... classifiers) throws IOException {
        StringBuilder json = new StringBuilder("{\n  \"format\": 1,\n  \"goal\": \"cross-build\",\n  \"targets\": [");
        for (int i = 0; i < classifiers.length; i++) {
            json.append(i == 0 ? "\n" : ",\n").append("    {\"triple\": \"t").append(i).append("\", \"classifier\": \"")
                    .append(classifiers[i]).append("\", \"status\": \"unavailable\"}");
        }
        json.append("\n  ]\n}\n");
        Files.createDirectories(target.resolve("sark"));
        Files.writeString(target.resolve("sark/cross-build.json"), json);
    }

    @Test
    void underRequireAllAJarTheBuildWasAskedForButDidNotProduceFails() throws IOException {
        crossBuildAskedFor("linux-x86_64", "linux-aarch_64");

        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> Requirements.classifierJar(target, "linux-aarch_64"));
        assertTrue(e.getMessage().contains("no linux-aarch_64 classifier JAR"), e.getMessage());
    }

    @Test
    void aTargetOutsideANarrowedBuildIsSkippedEvenUnderRequireAll() throws IOException {
        crossBuildAskedFor("linux-x86_64");
        // a JAR of an earlier build is no proof of this one
        Files.writeString(target.resolve("sark-opa-native-0.1.0-linux-aarch_64.jar"), "stale");

        TestAbortedException e = assertThrows(TestAbortedException.class,
                () -> Requirements.classifierJar(target, "linux-aarch_64"));
        assertTrue(e.getMessage().contains("linux-aarch_64 is not among the targets this build was asked for")
                && e.getMessage().contains("-Dsark.targets="), e.getMessage());
    }

    @Test
    void withoutAResultFileEveryClassifierCountsAsAskedFor() {
        assertThrows(AssertionFailedError.class, () -> Requirements.classifierJar(target, "windows-x86_64"));
    }

    @Test
    void readsTheClassifiersOfEveryTargetWhateverItsStatus() throws IOException {
        crossBuildAskedFor("linux-x86_64", "osx-aarch_64");
        assertEquals(Set.of("linux-x86_64", "osx-aarch_64"), BuildResults.requestedClassifiers(target).orElseThrow());
    }

    @Test
    void aResultFileWithoutTargetsIsAnErrorNotAnEmptyBuild() throws IOException {
        Files.createDirectories(target.resolve("sark"));
        Files.writeString(target.resolve("sark/cross-build.json"), "{\"format\": 1}");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BuildResults.requestedClassifiers(target));
        assertTrue(e.getMessage().contains("no \"targets\" array"), e.getMessage());
    }
}
