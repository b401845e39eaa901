package dev.sark.loader;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * Reads a library's bytes from the class path and proves them intact before anything maps them: the
 * classifier JAR's manifest records the library's SHA-256 ({@code Sark-Sha256}), and a JAR with a flipped
 * or missing byte must give an error naming the JAR, never a crash inside the dynamic loader.
 */
final class PackagedLibrary {

    /** Manifest attribute with the library's SHA-256, as the plugin writes it. */
    static final String SHA256_ATTRIBUTE = "Sark-Sha256";
    /** Main-section attribute naming the entry the main-section {@code Sark-Sha256} belongs to. */
    static final String LIBRARY_ATTRIBUTE = "Sark-Library";

    private PackagedLibrary() {
    }

    /**
     * The bytes of {@code url} (the resource {@code entryName}), checked against the SHA-256 the JAR's manifest
     * records for that entry when it records one.
     *
     * @throws UnsatisfiedLinkError naming the JAR when it cannot be read or the bytes do not match
     */
    static byte[] read(URL url, String entryName) {
        URLConnection conn;
        byte[] content;
        try {
            conn = url.openConnection();
            try (InputStream in = conn.getInputStream()) {
                content = in.readAllBytes();
            }
        } catch (IOException e) {
            throw corrupt(url, "cannot be read: " + e, e);
        }
        Optional<String> expected;
        try {
            expected = expectedSha256(conn, entryName);
        } catch (IOException e) {
            throw corrupt(url, "has an unreadable manifest: " + e, e);
        }
        if (expected.isPresent()) {
            String actual = LibraryExtractor.sha256Hex(content);
            if (!actual.equalsIgnoreCase(expected.get())) {
                throw corrupt(url, "holds a library whose SHA-256 is " + actual + ", but its manifest records "
                        + expected.get() + " for " + entryName, null);
            }
        }
        return content;
    }

    /** The recorded digest: the entry's own manifest section first, then the main section when it names this entry. */
    static Optional<String> expectedSha256(Manifest manifest, String entryName) {
        if (manifest == null) {
            return Optional.empty();
        }
        Attributes own = manifest.getAttributes(entryName);
        if (own != null && own.getValue(SHA256_ATTRIBUTE) != null) {
            return Optional.of(own.getValue(SHA256_ATTRIBUTE).trim());
        }
        Attributes main = manifest.getMainAttributes();
        if (entryName.equals(main.getValue(LIBRARY_ATTRIBUTE)) && main.getValue(SHA256_ATTRIBUTE) != null) {
            return Optional.of(main.getValue(SHA256_ATTRIBUTE).trim());
        }
        return Optional.empty();
    }

    private static Optional<String> expectedSha256(URLConnection conn, String entryName) throws IOException {
        if (!(conn instanceof JarURLConnection)) {
            return Optional.empty(); // a directory on the class path (an IDE, or tests): nothing records a digest
        }
        Optional<String> sha = expectedSha256(((JarURLConnection) conn).getManifest(), entryName);
        if (sha.isPresent() && !sha.get().matches("(?i)[0-9a-f]{64}")) {
            throw new IOException(SHA256_ATTRIBUTE + " is not a SHA-256: " + sha.get());
        }
        return sha;
    }

    private static UnsatisfiedLinkError corrupt(URL url, String what, Throwable cause) {
        UnsatisfiedLinkError e = new UnsatisfiedLinkError("The JAR " + jarOf(url) + " " + what
                + ". It is corrupt or was cut short (an interrupted download or copy): delete it (in ~/.m2/repository"
                + " for a Maven dependency) and let the build fetch it again.");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /** {@code jar:file:/x/y.jar!/dev/...} -> {@code /x/y.jar}; other URLs as they are. */
    static String jarOf(URL url) {
        String s = url.toString();
        if (s.startsWith("jar:") && s.contains("!/")) {
            String inner = s.substring(4, s.indexOf("!/"));
            try {
                return inner.startsWith("file:") ? Paths.get(URI.create(inner)).toString() : inner;
            } catch (RuntimeException e) {
                return inner;
            }
        }
        return s;
    }
}
