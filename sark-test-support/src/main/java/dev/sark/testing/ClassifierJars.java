package dev.sark.testing;

import dev.sark.loader.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** The classifier JARs {@code sark:cross-build} writes, and the libraries in them. */
public final class ClassifierJars {

    private ClassifierJars() {
    }

    /** The JAR for {@code classifier} in {@code dir} (a module's {@code target}), named {@code <artifact>-<version>-<classifier>.jar}. */
    public static Optional<Path> find(Path dir, String classifier) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-" + classifier + ".jar") && Files.isRegularFile(f))
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** The entry that holds {@code libName} for {@code classifier}: {@code dev/sark/native/<classifier>/<file>}. */
    public static String libraryEntry(String classifier, String libName) {
        return Platform.fromClassifier(classifier).resourcePath(libName);
    }

    /** The bytes of {@code entry} in {@code jar}. */
    public static byte[] read(Path jar, String entry) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry e = zip.getEntry(entry);
            if (e == null || e.isDirectory()) {
                throw new IllegalArgumentException(noEntry(zip, jar, entry));
            }
            try (InputStream in = zip.getInputStream(e)) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + entry + " from " + jar, e);
        }
    }

    /**
     * Extracts {@code entry} of {@code jar} into {@code dir} under the entry's file name (the last path
     * element), replacing a file of that name, and returns the file.
     *
     * @throws IllegalArgumentException when the JAR has no such entry (the message lists what it has under
     *                                  {@code dev/sark/native/})
     */
    public static Path extract(Path jar, String entry, Path dir) {
        String name = entry.substring(entry.lastIndexOf('/') + 1);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("'" + entry + "' names a directory, not a file");
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry e = zip.getEntry(entry);
            if (e == null || e.isDirectory()) {
                throw new IllegalArgumentException(noEntry(zip, jar, entry));
            }
            Files.createDirectories(dir);
            Path target = dir.resolve(name);
            try (InputStream in = zip.getInputStream(e)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + entry + " from " + jar + " into " + dir, e);
        }
    }

    private static String noEntry(ZipFile zip, Path jar, String entry) {
        String natives = Collections.list(zip.entries()).stream().map(ZipEntry::getName)
                .filter(n -> n.startsWith(Platform.RESOURCE_ROOT) && !n.endsWith("/"))
                .collect(Collectors.joining(", "));
        return jar + " has no entry " + entry + "; under " + Platform.RESOURCE_ROOT + " it holds: "
                + (natives.isEmpty() ? "nothing" : natives);
    }
}
