package dev.sark.crossbuild;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a goal's outcome as JSON ({@code target/sark/<goal>.json}), so that scripts and CI read results
 * instead of parsing log text. The shape is documented in docs/configuration.md.
 */
public final class ResultFile {
    /** Bumped when a field changes meaning or goes away; new fields do not bump it. */
    static final int FORMAT = 1;

    /** Indented, nulls written out (a script can tell "no library" from a missing field), no HTML escapes. */
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();

    private ResultFile() {
    }

    /** One entry per target of a building goal (cross-build, package-natives). */
    public static void writeBuild(Path file, String goal, double seconds, List<TargetResult> results) {
        List<Object> targets = new ArrayList<>();
        for (TargetResult r : results) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("triple", r.target().triple());
            t.put("classifier", r.target().classifier());
            t.put("optional", r.target().optional());
            t.put("status", r.status().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            t.put("tool", r.tool());
            t.put("command", r.command());
            t.put("seconds", toMilliseconds(r.seconds()));
            t.put("library", r.library() == null ? null : r.library().toString());
            t.put("jar", r.jar() == null ? null : r.jar().toString());
            t.put("size", r.library() == null ? null : size(r.library()));
            t.put("requires", "-".equals(r.requirement()) ? null : r.requirement());
            t.put("detail", r.detail().isEmpty() ? null : r.detail());
            t.put("compiled", r.compiled());
            targets.add(t);
        }
        write(file, goal, seconds, targets);
    }

    /** The doctor's findings, one entry per target. */
    public static void writeDoctor(Path file, double seconds, List<Doctor.TargetCheck> checks) {
        List<Object> targets = new ArrayList<>();
        for (Doctor.TargetCheck c : checks) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("triple", c.triple());
            t.put("strategy", c.strategy());
            t.put("buildable", c.buildable());
            t.put("fixes", c.fixes());
            targets.add(t);
        }
        write(file, "doctor", seconds, targets);
    }

    /** {@code sark:test}: one entry, the host's test run. */
    public static void writeTest(Path file, double seconds, String hostTriple, CargoTest.Outcome outcome) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("triple", hostTriple);
        t.put("status", outcome.passed() ? "passed" : "failed");
        t.put("tool", "cargo");
        t.put("command", outcome.command());
        t.put("seconds", toMilliseconds(outcome.seconds()));
        t.put("detail", outcome.failure());
        write(file, "test", seconds, List.of(t));
    }

    private static void write(Path file, String goal, double seconds, List<Object> targets) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("goal", goal);
        root.put("seconds", toMilliseconds(seconds));
        root.put("targets", targets);
        String json = GSON.toJson(root) + "\n";
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /** Seconds rounded to the millisecond: what a timer of this kind can tell apart. */
    private static double toMilliseconds(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    private static Long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return null;
        }
    }
}
