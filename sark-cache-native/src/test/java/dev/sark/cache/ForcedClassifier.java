package dev.sark.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sark.loader.NativeLoader;
import dev.sark.loader.Platform;
import dev.sark.testing.ClassifierJars;
import dev.sark.testing.ForeignJvm;
import dev.sark.testing.HostJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs {@link ForcedPlatformMain} in a child of the test JVM with {@code -Dsark.native.classifier=<classifier>}
 * and checks what the runtime loader did: it took {@code dev/sark/native/<classifier>/<file>} from the
 * classifier JAR (even with the host's own library on the class path before it), extracted exactly those
 * bytes to {@code <cacheDir>/<sha256>/<file>} and handed that file to {@code System.load}.
 */
final class ForcedClassifier {

    private ForcedClassifier() {
    }

    /** What the child printed, and the extracted file. */
    static final class Outcome {
        final ForeignJvm.Result result;
        final Path extracted;
        final String entry;

        Outcome(ForeignJvm.Result result, Path extracted, String entry) {
            this.result = result;
            this.extracted = extracted;
            this.entry = entry;
        }

        boolean loaded() {
            return "true".equals(result.value("loaded"));
        }

        String error() {
            return result.value("error");
        }
    }

    static Outcome run(Path jar, String classifier, Path cacheDir) throws IOException {
        String entry = ClassifierJars.libraryEntry(classifier, "sark_cache");
        byte[] bytes = ClassifierJars.read(jar, entry);

        List<Path> classPath = new ArrayList<>();
        // The host's own library first, when built: forcing the platform must still select the forced one.
        String host = hostClassifier();
        if (host != null && !host.equals(classifier)) {
            ClassifierJars.find(Path.of("target"), host).ifPresent(classPath::add);
        }
        classPath.addAll(List.of(ForeignJvm.codeSource(NativeLoader.class), ForeignJvm.codeSource(NativeCache.class), jar,
                ForeignJvm.codeSource(ForcedPlatformMain.class)));
        ForeignJvm.Result r = HostJvm.run(classPath,
                List.of("-Dsark.native.classifier=" + classifier, "-Dsark.native.cacheDir=" + cacheDir),
                ForcedPlatformMain.class.getName());

        assertEquals(0, r.exitCode, r.toString());
        assertEquals(classifier, r.value("detected"), r.toString());

        Path extracted = cacheDir.resolve(sha256(bytes)).resolve(entry.substring(entry.lastIndexOf('/') + 1));
        assertTrue(Files.isRegularFile(extracted), "the loader extracted nothing to " + extracted + "; the cache dir holds "
                + list(cacheDir) + "\n" + r);
        assertArrayEquals(bytes, Files.readAllBytes(extracted), "the extracted file differs from the JAR entry " + entry);
        assertEquals(List.of(extracted), list(cacheDir), "the loader extracted something else besides " + extracted);

        if ("true".equals(r.value("loaded"))) {
            assertEquals("true", r.value("roundtrip"), r.toString());
        } else {
            assertEquals("false", r.value("loaded"), r.toString());
            String error = r.value("error");
            assertTrue(error.contains("Could not load native library " + extracted + " (extracted from jar:"), r.toString());
            assertTrue(error.contains(jar.getFileName() + "!/" + entry + ")"), "the library did not come from " + jar + ": " + r);
        }
        return new Outcome(r, extracted, entry);
    }

    /** The classifier of the JVM running the tests, or null when the loader does not know this platform. */
    static String hostClassifier() {
        try {
            return Platform.current().classifier();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The classifier JAR in target/, or a skip: it is missing only when its toolchain was not installed. */
    static Optional<Path> jar(String classifier) {
        return ClassifierJars.find(Path.of("target"), classifier);
    }

    /** Whether missing run-time tools fail the tests instead of skipping them ({@code -Dsark.requireAll}). */
    static boolean requireAll() {
        String v = System.getProperty("sark.requireAll");
        return v != null && !v.equalsIgnoreCase("false");
    }
}
