package dev.sark.crossbuild;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Cargo's JSON messages ({@value #FORMAT_FLAG}) read from a build's output. The library a build produced is
 * the file cargo names in its {@code compiler-artifact} message for the crate's cdylib, never a path rebuilt
 * from the target directory, the profile and the triple (custom profiles, {@code build.target-dir} in a
 * config file, a target JSON and cross's container all move it). Lines that are not messages (rustc's
 * rendered diagnostics on stderr, cargo's progress, a wrapper's own text) stay text for the log.
 */
final class CargoMessages {
    /** Messages on stdout, diagnostics still rendered for people on stderr. */
    static final String FORMAT_FLAG = "--message-format=json-render-diagnostics";

    private final String libName;
    private final List<Path> libraryFiles = new ArrayList<>();
    private final Set<String> compiled = new LinkedHashSet<>();

    /** @param libName the crate's library name, as cargo names its lib target ({@code sark_opa}) */
    CargoMessages(String libName) {
        this.libName = libName;
    }

    /**
     * Takes {@code line} if it is one of cargo's messages (a JSON object with a {@code reason}), remembering
     * the files of the crate's cdylib it names; false for any other line.
     */
    synchronized boolean take(String line) {
        Optional<JsonObject> message = parse(line);
        if (message.isEmpty()) {
            return false;
        }
        JsonObject m = message.get();
        if ("compiler-artifact".equals(string(m, "reason")) && "false".equals(string(m, "fresh"))
                && m.get("target") instanceof JsonObject target && string(target, "name") != null) {
            compiled.add(string(target, "name"));
        }
        if ("compiler-artifact".equals(string(m, "reason")) && isCrateCdylib(m.get("target"))) {
            for (JsonElement file : array(m, "filenames")) {
                if (file.isJsonPrimitive()) {
                    libraryFiles.add(Path.of(file.getAsString()));
                }
            }
        }
        return true;
    }

    /** The crate's library file called {@code fileName} that cargo reported last, if it reported one. */
    synchronized Optional<Path> library(String fileName) {
        for (int i = libraryFiles.size() - 1; i >= 0; i--) {
            Path file = libraryFiles.get(i);
            if (file.getFileName() != null && file.getFileName().toString().equals(fileName)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    /** The crates (lib target names) cargo compiled rather than found fresh, in the order it reported them. */
    synchronized List<String> compiled() {
        return List.copyOf(compiled);
    }

    private boolean isCrateCdylib(JsonElement target) {
        if (target == null || !target.isJsonObject()) {
            return false;
        }
        JsonObject t = target.getAsJsonObject();
        if (!libName.equals(string(t, "name"))) {
            return false;
        }
        for (JsonElement kind : array(t, "kind")) {
            if (kind.isJsonPrimitive() && "cdylib".equals(kind.getAsString())) {
                return true;
            }
        }
        return false;
    }

    private static Optional<JsonObject> parse(String line) {
        if (!line.startsWith("{")) {
            return Optional.empty();
        }
        try {
            JsonElement element = JsonParser.parseString(line);
            if (element.isJsonObject() && string(element.getAsJsonObject(), "reason") != null) {
                return Optional.of(element.getAsJsonObject());
            }
        } catch (JsonParseException notJson) {
            // text that starts with a brace, such as a build script's output passed through by a wrapper
        }
        return Optional.empty();
    }

    private static String string(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
    }

    private static JsonArray array(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e != null && e.isJsonArray() ? e.getAsJsonArray() : new JsonArray();
    }
}
