package dev.sark.loader;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The Maven coordinates of the API jar a class comes from, so that the "add this dependency" advice names
 * the user's real artifact. Maven writes {@code META-INF/maven/<groupId>/<artifactId>/pom.properties} into
 * every jar it packages; the classifier JARs of a crate share the API jar's groupId, artifactId and version.
 */
record ArtifactCoordinates(String groupId, String artifactId, String version) {

    /** Placeholder parts for when the class does not come from a Maven-built jar (an IDE, a test directory). */
    static ArtifactCoordinates unknown(String artifactId) {
        return new ArtifactCoordinates("<groupId of the API artifact>", artifactId, "<its version>");
    }

    /** The coordinates recorded in the jar {@code anchor} was loaded from, when there is exactly one such record. */
    static Optional<ArtifactCoordinates> of(Class<?> anchor) {
        try {
            CodeSource source = anchor.getProtectionDomain().getCodeSource();
            URL location = source == null ? null : source.getLocation();
            if (location == null || !"file".equals(location.getProtocol())) {
                return Optional.empty();
            }
            Path file = Paths.get(location.toURI());
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            try (JarFile jar = new JarFile(file.toFile(), false)) {
                List<ArtifactCoordinates> found = new ArrayList<>();
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    JarEntry e = entries.nextElement();
                    if (e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties")) {
                        Properties p = new Properties();
                        try (InputStream in = jar.getInputStream(e)) {
                            p.load(in);
                        }
                        String g = p.getProperty("groupId");
                        String a = p.getProperty("artifactId");
                        String v = p.getProperty("version");
                        if (g != null && a != null && v != null) {
                            found.add(new ArtifactCoordinates(g, a, v));
                        }
                    }
                }
                // A shaded jar holds many: then it is not clear which one ships the library.
                return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return Optional.empty(); // only enriches an error message
        }
    }
}
