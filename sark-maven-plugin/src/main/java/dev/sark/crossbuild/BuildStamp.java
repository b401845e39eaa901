package dev.sark.crossbuild;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Remembers what was packaged for a target, so that a library cargo left unchanged is not checked and
 * packaged again. Whether the library itself is current is cargo's decision, never this file's: cargo runs
 * on every build and knows every input (sources, path dependencies' manifests, build scripts'
 * {@code rerun-if-env-changed}, {@code env!}); this stamp only says "this exact library, packaged with these
 * settings, is in that JAR".
 */
final class BuildStamp {
    private static final String SETTINGS = "settings";
    private static final String SHA256 = "sha256";

    private final Path file;

    BuildStamp(Path file) {
        this.file = file;
    }

    /**
     * Whether the JAR and the staged library hold exactly {@code librarySha256}, packaged with {@code settings}
     * (the target's checks and manifest inputs).
     */
    boolean packaged(String settings, String librarySha256, Path staged, Path jar) {
        if (!Files.isRegularFile(file) || !Files.isRegularFile(staged) || !Files.isRegularFile(jar)) {
            return false;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
        return Digests.sha256(settings).equals(p.getProperty(SETTINGS)) && librarySha256.equals(p.getProperty(SHA256))
                && librarySha256.equals(Digests.sha256(staged));
    }

    void write(String settings, String librarySha256) {
        Properties p = new Properties();
        p.setProperty(SETTINGS, Digests.sha256(settings));
        p.setProperty(SHA256, librarySha256);
        try {
            Files.createDirectories(file.getParent());
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                p.store(w, "sark:cross-build: what was packaged; delete to package again");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + file, e);
        }
    }
}
