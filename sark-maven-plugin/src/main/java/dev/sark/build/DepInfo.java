package dev.sark.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the Makefile-style dep-info cargo writes beside each artifact: {@code target: dep dep ...}. */
final class DepInfo {
    private DepInfo() {
    }

    /** The files the artifact was built from, or empty when there is no readable dep-info. */
    static Optional<List<Path>> read(Path depFile) {
        if (!Files.isRegularFile(depFile)) {
            return Optional.empty();
        }
        String text;
        try {
            text = Files.readString(depFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty();
        }
        List<Path> deps = new ArrayList<>();
        for (String line : text.replace("\\\n", " ").split("\n")) {
            int colon = ruleSeparator(line);
            if (colon < 0) {
                continue;
            }
            for (String dep : splitEscaped(line.substring(colon + 1))) {
                deps.add(Path.of(dep));
            }
        }
        return deps.isEmpty() ? Optional.empty() : Optional.of(deps);
    }

    /** The ':' after the target, skipping a Windows drive letter ({@code C:\...}). */
    private static int ruleSeparator(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == ':' && (i + 1 >= line.length() || line.charAt(i + 1) == ' ')) {
                return i;
            }
        }
        return -1;
    }

    /** Splits on spaces, honouring {@code \ } (an escaped space inside a path). */
    private static List<String> splitEscaped(String s) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == ' ') {
                cur.append(' ');
                i++;
            } else if (c == ' ' || c == '\t') {
                if (cur.length() > 0) {
                    parts.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) {
            parts.add(cur.toString());
        }
        return parts;
    }
}
