package dev.sark.build;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Decides whether a target is up to date without starting cargo, and remembers what was packaged.
 *
 * <p>A target is up to date when the command and toolchain are the ones recorded after its last
 * successful build, the packaged JAR is still there, the library still has the recorded SHA-256, and
 * no file listed in cargo's dep-info for the library (every source file of every crate it was built
 * from), nor a Cargo manifest, lock file or cargo config, changed after that build started.
 */
final class BuildStamp {
    private static final String FINGERPRINT = "fingerprint";
    private static final String SHA256 = "sha256";
    private static final String RUSTC = "rustc";
    private static final String STARTED = "started";

    private final Path file;

    BuildStamp(Path file) {
        this.file = file;
    }

    /** A record of one successful build. */
    static final class Record {
        final String fingerprint;
        final String sha256;
        final String rustc;
        /** When the build that produced the library started: a source changed after it means a rebuild. */
        final long startedAtMillis;

        Record(String fingerprint, String sha256, String rustc, long startedAtMillis) {
            this.fingerprint = fingerprint;
            this.sha256 = sha256;
            this.rustc = rustc;
            this.startedAtMillis = startedAtMillis;
        }
    }

    Optional<Record> read() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            return Optional.empty();
        }
        String fp = p.getProperty(FINGERPRINT);
        String sha = p.getProperty(SHA256);
        long started;
        try {
            started = Long.parseLong(p.getProperty(STARTED, ""));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return fp == null || sha == null ? Optional.empty()
                : Optional.of(new Record(fp, sha, p.getProperty(RUSTC, ""), started));
    }

    void write(Record record) {
        Properties p = new Properties();
        p.setProperty(FINGERPRINT, record.fingerprint);
        p.setProperty(SHA256, record.sha256);
        p.setProperty(RUSTC, record.rustc);
        p.setProperty(STARTED, Long.toString(record.startedAtMillis));
        try {
            Files.createDirectories(file.getParent());
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                p.store(w, "sark:cross-build stamp; delete to force a rebuild");
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

    /** The recorded build when nothing it depends on changed; empty when cargo has to run. */
    Optional<Record> upToDate(String fingerprint, Path library, Path jar, List<Path> extraInputs) {
        Optional<Record> record = read();
        if (record.isEmpty() || !record.get().fingerprint.equals(fingerprint)
                || !Files.isRegularFile(library) || !Files.isRegularFile(jar)) {
            return Optional.empty();
        }
        try {
            Optional<List<Path>> sources = DepInfo.read(depInfoFile(library));
            if (sources.isEmpty()
                    || changedSince(sources.get(), FileTime.fromMillis(record.get().startedAtMillis))
                    // cargo itself may write Cargo.lock during the build: only a change after it counts
                    || changedSince(extraInputs, Files.getLastModifiedTime(file))) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Digests.sha256(library).equals(record.get().sha256) ? record : Optional.empty();
    }

    private static boolean changedSince(List<Path> inputs, FileTime time) throws IOException {
        for (Path input : inputs) {
            if (!Files.exists(input) || Files.getLastModifiedTime(input).compareTo(time) > 0) {
                return true;
            }
        }
        return false;
    }

    /** Cargo writes {@code libfoo.d} beside {@code libfoo.so} ({@code foo.d} beside {@code foo.dll}). */
    static Path depInfoFile(Path library) {
        String name = library.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return library.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".d");
    }
}
