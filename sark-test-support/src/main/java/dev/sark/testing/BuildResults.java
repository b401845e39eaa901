package dev.sark.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the module's own build was asked to produce, read from the result file the plugin wrote
 * ({@code target/sark/cross-build.json}, or {@code package-natives.json} when prebuilt libraries were packaged).
 * A build narrowed with {@code -Dsark.targets} lists only the targets it built or tried to build; a target it
 * tried and could not build is listed with its status, so it still counts as asked for.
 */
public final class BuildResults {
    private static final List<String> GOALS = List.of("cross-build", "package-natives");

    private BuildResults() {
    }

    /** The result file of the module whose build directory is {@code targetDir}, if the plugin wrote one. */
    public static Optional<Path> file(Path targetDir) {
        for (String goal : GOALS) {
            Path file = targetDir.resolve("sark").resolve(goal + ".json");
            if (Files.isRegularFile(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    /** The classifiers of every target the build was asked for; empty when there is no result file. */
    public static Optional<Set<String>> requestedClassifiers(Path targetDir) {
        return file(targetDir).map(BuildResults::classifiers);
    }

    static Set<String> classifiers(Path resultFile) {
        try {
            JsonNode targets = new ObjectMapper().readTree(resultFile.toFile()).path("targets");
            if (!targets.isArray()) {
                throw new IllegalStateException(resultFile + " has no \"targets\" array; rebuild the module");
            }
            Set<String> classifiers = new LinkedHashSet<>();
            for (JsonNode target : targets) {
                classifiers.add(target.path("classifier").asText());
            }
            return classifiers;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resultFile, e);
        }
    }
}
