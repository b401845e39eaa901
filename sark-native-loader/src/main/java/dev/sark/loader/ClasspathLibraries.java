package dev.sark.loader;

import java.io.File;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLConnection;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Lists the classifiers for which a library is on the class path, so the "not found" error can say
 * "you have linux-x86_64, this is linux-aarch_64-musl" instead of just "not found".
 *
 * <p>Two ways, because neither is complete alone: listing {@code dev/sark/native/} finds classifiers
 * this version does not know yet, but JARs built without directory entries do not answer a directory
 * lookup; asking for every known classifier's exact resource path always works for known ones.
 */
final class ClasspathLibraries {

    private ClasspathLibraries() {
    }

    /** Classifier -> where the library for it was found, sorted by classifier. */
    static SortedMap<String, String> find(String libName, List<ClassLoader> loaders) {
        SortedMap<String, String> found = new TreeMap<>();
        Set<String> anyOsFileNames = new LinkedHashSet<>();
        for (Platform.Os os : Platform.Os.values()) {
            anyOsFileNames.add(os.libraryPrefix() + libName + os.librarySuffix());
        }
        for (ClassLoader loader : loaders) {
            try {
                Enumeration<URL> roots = loader.getResources(Platform.RESOURCE_ROOT);
                while (roots.hasMoreElements()) {
                    scanRoot(roots.nextElement(), libName, anyOsFileNames, found);
                }
            } catch (IOException | RuntimeException e) {
                // Best effort: this only enriches an error message, it must not replace it.
            }
            for (String classifier : knownClassifiers()) {
                URL url = loader.getResource(Platform.fromClassifier(classifier).resourcePath(libName));
                if (url != null) {
                    found.putIfAbsent(classifier, url.toString());
                }
            }
        }
        return found;
    }

    /**
     * The JARs on the class path that cannot be opened (truncated or corrupt): a class loader skips them
     * silently, so a library inside looks "missing" when it is damaged.
     */
    static List<String> unreadableJars(List<ClassLoader> loaders) {
        Set<Path> jars = new LinkedHashSet<>();
        String classPath = System.getProperty("java.class.path", "");
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.endsWith(".jar")) {
                jars.add(Paths.get(entry).toAbsolutePath());
            }
        }
        for (ClassLoader start : loaders) {
            for (ClassLoader loader = start; loader != null; loader = loader.getParent()) {
                if (!(loader instanceof URLClassLoader)) {
                    continue;
                }
                for (URL url : ((URLClassLoader) loader).getURLs()) {
                    try {
                        if ("file".equals(url.getProtocol()) && url.getPath().endsWith(".jar")) {
                            jars.add(Paths.get(url.toURI()));
                        }
                    } catch (URISyntaxException | IllegalArgumentException e) {
                        // not a local file
                    }
                }
            }
        }
        List<String> unreadable = new ArrayList<>();
        for (Path jar : jars) {
            if (!Files.isRegularFile(jar)) {
                continue;
            }
            try (JarFile ignored = new JarFile(jar.toFile(), false)) {
                // opens: its central directory is intact
            } catch (IOException | RuntimeException e) {
                unreadable.add(jar + " (" + e.getMessage() + ")");
            }
        }
        return unreadable;
    }

    /** Every classifier the {@link Platform} mapping can produce. */
    static Set<String> knownClassifiers() {
        Set<String> all = new LinkedHashSet<>();
        for (Platform.Os os : Platform.Os.values()) {
            for (Platform.Arch arch : Platform.Arch.values()) {
                for (Platform.Libc libc : Platform.Libc.values()) {
                    for (boolean hardFloat : new boolean[] {true, false}) {
                        try {
                            all.add(Platform.of(os, arch, libc, hardFloat).classifier());
                        } catch (IllegalArgumentException e) {
                            // not a real combination (e.g. universal outside macOS)
                        }
                    }
                }
            }
        }
        return all;
    }

    private static void scanRoot(URL root, String libName, Set<String> anyOsFileNames, SortedMap<String, String> found)
            throws IOException {
        if ("file".equals(root.getProtocol())) {
            Path dir;
            try {
                dir = Paths.get(root.toURI());
            } catch (URISyntaxException | IllegalArgumentException e) {
                return;
            }
            try (DirectoryStream<Path> classifiers = Files.newDirectoryStream(dir, Files::isDirectory)) {
                for (Path c : classifiers) {
                    String classifier = c.getFileName().toString();
                    for (String name : fileNames(classifier, libName, anyOsFileNames)) {
                        if (Files.isRegularFile(c.resolve(name))) {
                            found.putIfAbsent(classifier, c.resolve(name).toString());
                        }
                    }
                }
            }
        } else if ("jar".equals(root.getProtocol())) {
            URLConnection conn = root.openConnection();
            if (!(conn instanceof JarURLConnection)) {
                return;
            }
            // No cache: a cached JarFile is shared with the class loader and must not be closed here.
            conn.setUseCaches(false);
            try (JarFile jar = ((JarURLConnection) conn).getJarFile()) {
                String base = ((JarURLConnection) conn).getJarFileURL().toString();
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    String entry = entries.nextElement().getName();
                    if (!entry.startsWith(Platform.RESOURCE_ROOT)) {
                        continue;
                    }
                    String[] rest = entry.substring(Platform.RESOURCE_ROOT.length()).split("/");
                    if (rest.length == 2 && fileNames(rest[0], libName, anyOsFileNames).contains(rest[1])) {
                        found.putIfAbsent(rest[0], "jar:" + base + "!/" + entry);
                    }
                }
            }
        }
    }

    /** The file name a classifier implies, or any OS's name for a classifier this version does not know. */
    private static Set<String> fileNames(String classifier, String libName, Set<String> anyOsFileNames) {
        try {
            return Set.of(Platform.fromClassifier(classifier).libraryFileName(libName));
        } catch (IllegalArgumentException e) {
            return anyOsFileNames;
        }
    }
}
