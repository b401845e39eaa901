package dev.sark.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sark.loader.NativeLoader;
import dev.sark.loader.Platform;
import dev.sark.loader.PlatformDetector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The runtime loader's choice of library when the platform is forced: runs a module's main class in a child
 * of the test JVM ({@link HostJvm}) with {@code -Dsark.native.classifier=<classifier>} and checks that the
 * loader took {@code dev/sark/native/<classifier>/<file>} from the classifier JAR (even with the host's own
 * classifier JAR on the class path before it), extracted exactly those bytes to
 * {@code <cacheDir>/<sha256>/<file>}, extracted nothing else, and handed that file to {@code System.load}.
 *
 * <p>The main class uses the module's API, so each module has its own; it must print {@code key=value}
 * lines: {@code detected=<Platform.current().classifier()>}, then either {@code loaded=true} and
 * {@code roundtrip=true} (a call through the library worked), or {@code loaded=false} and
 * {@code error=<the UnsatisfiedLinkError's message, newlines as \n>}.
 */
public final class ForcedPlatform {

    private ForcedPlatform() {
    }

    /** What the child printed, the file the loader extracted and the JAR entry it came from. */
    public static final class Outcome {
        public final ForeignJvm.Result result;
        public final Path extracted;
        public final String entry;

        Outcome(ForeignJvm.Result result, Path extracted, String entry) {
            this.result = result;
            this.extracted = extracted;
            this.entry = entry;
        }

        /** Whether {@code System.load} accepted the extracted library in the child. */
        public boolean loaded() {
            return "true".equals(result.value("loaded"));
        }

        /** The loader's error when the library did not load, else null. */
        public String error() {
            return result.value("error");
        }

        @Override
        public String toString() {
            return entry + " -> " + extracted + ": " + result;
        }
    }

    /**
     * Runs {@code mainClass} with the platform forced to {@code classifier} and checks what the loader did.
     *
     * @param jar       the classifier JAR for {@code classifier}; the host's own classifier JAR, when it is
     *                  next to it, goes first on the class path
     * @param libName   the Rust library name, e.g. {@code sark_cache}
     * @param cacheDir  the loader's extraction directory ({@code -Dsark.native.cacheDir}); must not exist yet
     *                  or be empty
     * @param anchors   classes whose code source the child needs (the module's API classes); the loader's own
     *                  is always added
     * @param mainClass the module's forced-platform main, run from its code source
     */
    public static Outcome run(Path jar, String classifier, String libName, Path cacheDir, List<Class<?>> anchors,
            Class<?> mainClass) {
        String entry = ClassifierJars.libraryEntry(classifier, libName);
        byte[] bytes = ClassifierJars.read(jar, entry);

        Set<Path> classPath = new LinkedHashSet<>();
        // The host's own library first, when built: forcing the platform must still select the forced one.
        String host = hostClassifier();
        if (host != null && !host.equals(classifier)) {
            ClassifierJars.find(jar.toAbsolutePath().getParent(), host).ifPresent(classPath::add);
        }
        classPath.add(ForeignJvm.codeSource(NativeLoader.class));
        anchors.forEach(a -> classPath.add(ForeignJvm.codeSource(a)));
        classPath.add(jar);
        classPath.add(ForeignJvm.codeSource(mainClass));
        ForeignJvm.Result r = HostJvm.run(new ArrayList<>(classPath),
                List.of("-D" + PlatformDetector.CLASSIFIER_PROPERTY + "=" + classifier, "-Dsark.native.cacheDir=" + cacheDir),
                mainClass.getName());

        assertEquals(0, r.exitCode, r.toString());
        assertEquals(classifier, r.value("detected"), r.toString());

        Path extracted = cacheDir.resolve(sha256(bytes)).resolve(entry.substring(entry.lastIndexOf('/') + 1));
        assertTrue(Files.isRegularFile(extracted), () -> "the loader extracted nothing to " + extracted
                + "; the cache dir holds " + list(cacheDir) + "\n" + r);
        assertArrayEquals(bytes, readAllBytes(extracted), "the extracted file differs from the JAR entry " + entry);
        assertEquals(List.of(extracted), list(cacheDir), "the loader extracted something else besides " + extracted);

        if ("true".equals(r.value("loaded"))) {
            assertEquals("true", r.value("roundtrip"), r.toString());
        } else {
            assertEquals("false", r.value("loaded"), r.toString());
            String error = r.value("error");
            assertNotNull(error, r.toString());
            assertTrue(error.contains("Could not load native library " + extracted + " (extracted from jar:"), r.toString());
            assertTrue(error.contains(jar.getFileName() + "!/" + entry + ")"), () -> "the library did not come from " + jar
                    + ": " + r);
        }
        return new Outcome(r, extracted, entry);
    }

    /** The classifier of the JVM running the tests, or null when the loader does not know this platform. */
    public static String hostClassifier() {
        try {
            return Platform.current().classifier();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The SHA-256 of {@code bytes} in lower-case hex, the name of the loader's extraction directory. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readAllBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
