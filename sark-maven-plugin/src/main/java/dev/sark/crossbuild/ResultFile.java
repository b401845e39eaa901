package dev.sark.crossbuild;

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

    private ResultFile() {
    }

    /** One entry per target of a building goal (cross-build, package-natives). */
    public static void writeBuild(Path file, String goal, List<TargetResult> results) {
        List<Object> targets = new ArrayList<>();
        for (TargetResult r : results) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("triple", r.target().triple());
            t.put("classifier", r.target().classifier());
            t.put("optional", r.target().optional());
            t.put("status", r.status().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            t.put("tool", r.tool());
            t.put("command", r.command());
            t.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
            t.put("library", r.library() == null ? null : r.library().toString());
            t.put("jar", r.jar() == null ? null : r.jar().toString());
            t.put("size", r.library() == null ? null : size(r.library()));
            t.put("requires", "-".equals(r.requirement()) ? null : r.requirement());
            t.put("detail", r.detail().isEmpty() ? null : r.detail());
            targets.add(t);
        }
        write(file, goal, targets);
    }

    /** The doctor's findings, one entry per target. */
    public static void writeDoctor(Path file, List<Doctor.TargetCheck> checks) {
        List<Object> targets = new ArrayList<>();
        for (Doctor.TargetCheck c : checks) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("triple", c.triple());
            t.put("strategy", c.strategy());
            t.put("buildable", c.buildable());
            t.put("fixes", c.fixes());
            targets.add(t);
        }
        write(file, "doctor", targets);
    }

    private static void write(Path file, String goal, List<Object> targets) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("goal", goal);
        root.put("targets", targets);
        StringBuilder json = new StringBuilder();
        Json.append(json, root, "");
        json.append('\n');
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private static Long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return null;
        }
    }

    /** The little JSON this file needs: maps, lists, strings, numbers, booleans and null, indented. */
    static final class Json {
        private Json() {
        }

        static void append(StringBuilder out, Object value, String indent) {
            if (value == null) {
                out.append("null");
            } else if (value instanceof String s) {
                string(out, s);
            } else if (value instanceof Number || value instanceof Boolean) {
                out.append(value);
            } else if (value instanceof Map<?, ?> map) {
                out.append('{');
                String inner = indent + "  ";
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    out.append(first ? "\n" : ",\n").append(inner);
                    string(out, String.valueOf(e.getKey()));
                    out.append(": ");
                    append(out, e.getValue(), inner);
                    first = false;
                }
                out.append(first ? "}" : "\n" + indent + "}");
            } else if (value instanceof List<?> list) {
                out.append('[');
                String inner = indent + "  ";
                for (int i = 0; i < list.size(); i++) {
                    out.append(i == 0 ? "\n" : ",\n").append(inner);
                    append(out, list.get(i), inner);
                }
                out.append(list.isEmpty() ? "]" : "\n" + indent + "]");
            } else {
                throw new IllegalArgumentException("not a JSON value: " + value.getClass());
            }
        }

        private static void string(StringBuilder out, String s) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
    }
}
