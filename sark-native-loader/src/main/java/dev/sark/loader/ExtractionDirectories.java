package dev.sark.loader;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The directories a library may be extracted to, in the order they are tried: the one the user configured,
 * the per-user cache (survives reboots, so the library is written once per version), then the temporary
 * directory (always there, but often mounted noexec on hardened hosts).
 */
final class ExtractionDirectories {

    static final String EXTRACT_DIR_PROPERTY = "sark.native.extractDir";
    static final String CACHE_DIR_PROPERTY = "sark.native.cacheDir";

    /**
     * One place to try, and where it came from ("-Dsark.native.extractDir", "cache directory", ...) for error
     * messages. Every candidate is checked the same way before use (see {@link TrustedDirectories}).
     */
    record Candidate(Path path, String origin) {
        @Override
        public String toString() {
            return path + " (" + origin + ")";
        }
    }

    private ExtractionDirectories() {
    }

    static List<Candidate> fromSystem() {
        return candidates(System::getProperty, System::getenv);
    }

    /**
     * @param property system property lookup ({@code os.name}, {@code user.home}, {@code user.name},
     *                 {@code java.io.tmpdir} and the two override properties)
     * @param env environment variable lookup ({@code XDG_CACHE_HOME}, {@code LOCALAPPDATA})
     */
    static List<Candidate> candidates(UnaryOperator<String> property, UnaryOperator<String> env) {
        List<Candidate> dirs = new ArrayList<>();
        String extractDir = property.apply(EXTRACT_DIR_PROPERTY);
        if (notBlank(extractDir)) {
            add(dirs, new Candidate(Paths.get(extractDir), "-D" + EXTRACT_DIR_PROPERTY));
        }
        String cacheDir = property.apply(CACHE_DIR_PROPERTY);
        if (notBlank(cacheDir)) {
            add(dirs, new Candidate(Paths.get(cacheDir), "-D" + CACHE_DIR_PROPERTY));
        } else {
            Path dflt = defaultCacheDir(property, env);
            if (dflt != null) {
                add(dirs, new Candidate(dflt, "cache directory"));
            }
        }
        String tmp = property.apply("java.io.tmpdir");
        if (notBlank(tmp)) {
            // Per-user name: the temp dir is shared, and another user's directory would be refused anyway.
            add(dirs, new Candidate(Paths.get(tmp, "sark-native-" + safeUserName(property.apply("user.name"))),
                    "java.io.tmpdir"));
        }
        return dirs;
    }

    /** The platform's per-user cache location, or null when the home directory is unknown. */
    static Path defaultCacheDir(UnaryOperator<String> property, UnaryOperator<String> env) {
        // Cache layout follows the host the JVM runs on, not a forced classifier.
        String os = String.valueOf(property.apply("os.name")).toLowerCase(Locale.ROOT);
        // A uid without a passwd entry (containers) gets user.home "?": a relative path, which System.load refuses.
        String home = absoluteOrNull(property.apply("user.home"));
        if (os.startsWith("windows")) {
            String local = env.apply("LOCALAPPDATA");
            if (notBlank(local)) {
                return Paths.get(local, "sark", "native");
            }
            return notBlank(home) ? Paths.get(home, "AppData", "Local", "sark", "native") : null;
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return notBlank(home) ? Paths.get(home, "Library", "Caches", "sark", "native") : null;
        }
        // XDG base directory spec: a relative XDG_CACHE_HOME is invalid and must be ignored.
        String xdg = env.apply("XDG_CACHE_HOME");
        if (notBlank(xdg) && Paths.get(xdg).isAbsolute()) {
            return Paths.get(xdg, "sark", "native");
        }
        return notBlank(home) ? Paths.get(home, ".cache", "sark", "native") : null;
    }

    /** User names go into a path; anything odd (or JDK's "?" for an unnamed uid) is replaced. */
    static String safeUserName(String user) {
        String u = notBlank(user) ? user.replaceAll("[^A-Za-z0-9._-]", "_") : "";
        return u.isEmpty() || u.matches("[._]+") ? "unknown" : u;
    }

    private static void add(List<Candidate> dirs, Candidate c) {
        for (Candidate d : dirs) {
            if (d.path().toAbsolutePath().normalize().equals(c.path().toAbsolutePath().normalize())) {
                return; // trying the same directory twice would only repeat its error
            }
        }
        dirs.add(c);
    }

    private static String absoluteOrNull(String path) {
        try {
            return notBlank(path) && Paths.get(path).isAbsolute() ? path : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
