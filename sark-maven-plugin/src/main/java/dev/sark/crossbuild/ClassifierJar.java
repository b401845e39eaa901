package dev.sark.crossbuild;

import dev.sark.loader.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import javax.lang.model.SourceVersion;

/**
 * Writes the JAR published under a target's classifier: the native library at the path the runtime
 * loader looks for, and a manifest describing it. Nothing else goes in.
 */
public final class ClassifierJar {
    /**
     * The entry time when the project sets no {@code project.build.outputTimestamp}: fixed, so that the same library
     * always gives a byte-identical JAR.
     */
    public static final FileTime DEFAULT_ENTRY_TIME = FileTime.fromMillis(315532800000L + 86400000L * 32);
    /**
     * The layout of the JARs this class writes; change it whenever their entries or manifest change, so that
     * JARs an older plugin wrote are packaged again instead of being kept as up to date.
     */
    static final String FORMAT = "2 (module name, per-entry digest, mode 0644)";
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private ClassifierJar() {
    }

    /** What the manifest records about the packaged library. */
    public static final class Contents {
        final Path library;
        final String libName;
        final String triple;
        final String classifier;
        final String sha256;
        final String rustc;
        final FileTime entryTime;

        public Contents(Path library, String libName, String triple, String classifier, String sha256, String rustc) {
            this(library, libName, triple, classifier, sha256, rustc, DEFAULT_ENTRY_TIME);
        }

        /** {@code entryTime}: the date of every entry (Maven's {@code project.build.outputTimestamp}). */
        public Contents(Path library, String libName, String triple, String classifier, String sha256, String rustc,
                        FileTime entryTime) {
            this.entryTime = entryTime;
            this.library = library;
            this.libName = libName;
            this.triple = triple;
            this.classifier = classifier;
            this.sha256 = sha256;
            this.rustc = rustc;
        }
    }

    /**
     * The path inside the JAR is always the platform's {@link Platform#resourcePath}, even under a custom
     * Maven classifier: that path is where the runtime loader looks.
     */
    public static String entryName(Platform platform, String libName) {
        return platform.resourcePath(libName);
    }

    /** Writes the JAR of one target: its library, and a manifest describing it. */
    public static void write(Path jar, Platform platform, Contents c) {
        Manifest manifest = newManifest();
        Attributes main = manifest.getMainAttributes();
        main.putValue("Automatic-Module-Name", moduleName(c.libName, c.classifier));
        main.putValue("Sark-Target", c.triple);
        main.putValue("Sark-Classifier", c.classifier);
        main.putValue("Sark-Library", entryName(platform, c.libName));
        main.putValue("Sark-Sha256", c.sha256);
        try {
            main.putValue("Sark-Size", Long.toString(Files.size(c.library)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + c.library, e);
        }
        main.putValue("Sark-Rustc", c.rustc);
        recordDigest(manifest, entryName(platform, c.libName), c.sha256);
        writeJar(jar, manifest, Map.of(entryName(platform, c.libName), c.library), c.entryTime);
    }

    /**
     * Writes one JAR holding every packaged library at its resource path, for users who ship a single
     * artifact to all platforms; the loader picks the matching one at run time.
     */
    public static void writeBundle(Path jar, List<TargetResult> packaged, String libName, FileTime entryTime) {
        Manifest manifest = newManifest();
        manifest.getMainAttributes().putValue("Automatic-Module-Name", moduleName(libName, "all"));
        manifest.getMainAttributes().putValue("Sark-Classifiers", packaged.stream().map(r -> r.target().classifier())
                .collect(Collectors.joining(" ")));
        Map<String, Path> entries = new TreeMap<>();
        packaged.forEach(r -> entries.put(entryName(r.target().platform(), libName), r.library()));
        entries.forEach((entry, library) -> recordDigest(manifest, entry, Digests.sha256(library)));
        writeJar(jar, manifest, entries, entryTime);
    }

    /**
     * The runtime loader checks the library's bytes against this before mapping them (sark-native-loader's
     * PackagedLibrary), so a JAR damaged in a download or a copy fails with its name instead of crashing the JVM.
     */
    private static void recordDigest(Manifest manifest, String entry, String sha256) {
        Attributes section = new Attributes();
        section.putValue("Sark-Sha256", sha256);
        manifest.getEntries().put(entry, section);
    }

    /**
     * The module name of a classifier JAR on the module path, e.g. {@code sark_cache.natives.linux_x86_64}. Without
     * one, Java derives it from the file name, which gives the API jar's name (the classifier is dropped as a
     * version-like suffix) or an invalid one ({@code native} is a keyword): two modules of one name, or none.
     * The JAR holds no packages (its directories are not Java identifiers), so it never splits a package.
     */
    static String moduleName(String libName, String classifier) {
        List<String> parts = new ArrayList<>();
        parts.add(libName);
        parts.add("natives");
        parts.add(classifier.replace('-', '_').replace('.', '_'));
        return parts.stream().map(ClassifierJar::identifier).collect(Collectors.joining("."));
    }

    private static String identifier(String part) {
        String id = part.replaceAll("[^A-Za-z0-9_]", "_");
        if (id.isEmpty() || !Character.isJavaIdentifierStart(id.charAt(0))) {
            id = "_" + id;
        }
        return SourceVersion.isKeyword(id) ? id + "_" : id;
    }

    private static Manifest newManifest() {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Created-By", "sark-maven-plugin");
        return manifest;
    }

    /**
     * Writes the manifest, then each file under its entry name with its parent directories, into a temporary
     * file that is moved into place: a failed write leaves no half JAR.
     */
    private static void writeJar(Path jar, Manifest manifest, Map<String, Path> entries, FileTime entryTime) {
        try {
            Files.createDirectories(jar.getParent());
            Path tmp = Files.createTempFile(jar.getParent(), jar.getFileName().toString(), ".tmp");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp))) {
                // The manifest comes first, where JarInputStream and the JDK's tools expect it.
                putEntry(out, "META-INF/", entryTime);
                putEntry(out, JarFile.MANIFEST_NAME, entryTime);
                manifest.write(out);
                Set<String> dirs = new HashSet<>();
                for (Map.Entry<String, Path> e : entries.entrySet()) {
                    String entry = e.getKey();
                    StringBuilder dir = new StringBuilder();
                    for (String part : entry.substring(0, entry.lastIndexOf('/')).split("/")) {
                        if (dirs.add(dir.append(part).append('/').toString())) {
                            putEntry(out, dir.toString(), entryTime);
                        }
                    }
                    putEntry(out, entry, entryTime);
                    Files.copy(e.getValue(), out);
                    out.closeEntry();
                }
            } catch (IOException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            if (POSIX) {
                // createTempFile makes the file owner-only; a published JAR must be readable by everyone, as the main JAR
                // is, or it fails to load for another user after `cp -p` or a Docker COPY.
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + jar, e);
        }
    }

    private static void putEntry(JarOutputStream out, String name, FileTime entryTime) throws IOException {
        JarEntry entry = new JarEntry(name);
        entry.setLastModifiedTime(entryTime);
        out.putNextEntry(entry);
    }
}
