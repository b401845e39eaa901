package dev.sark.loader;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Loads a SARK native library (a Rust cdylib) for the running platform, once.
 *
 * <p>Order: a file named by {@code -Dsark.native.library.<libName>}; else the resource
 * {@code dev/sark/native/<classifier>/<file>} from a classifier JAR on the class path, extracted by
 * {@link LibraryExtractor} into {@code -Dsark.native.extractDir}, the user cache dir
 * ({@code -Dsark.native.cacheDir} overrides it) or {@code java.io.tmpdir}. The platform comes from
 * {@link PlatformDetector} ({@code -Dsark.native.classifier}, {@code -Dsark.native.libc} override it).
 *
 * <p>JNI binds a library to the class loader of the class that calls {@code System.load}: API classes pass
 * their own {@code path -> System.load(path)} (see {@link #load(Class, String, String, Consumer)}), so the
 * library is bound to their class loader even when this loader sits in a parent one, as in application
 * servers. Loading is remembered per name.
 */
public final class NativeLoader {

    /** Prefix of the property naming a library file to load instead of the class path: {@code sark.native.library.<libName>}. */
    public static final String LIBRARY_PROPERTY_PREFIX = "sark.native.library.";
    /** The version printed in the suggested dependency when the caller's version is unknown. */
    public static final String UNKNOWN_VERSION = "${sark.version}";

    private static final Set<String> LOADED = ConcurrentHashMap.newKeySet();
    private static final ConcurrentHashMap<String, Object> LOCKS = new ConcurrentHashMap<>();

    private NativeLoader() {
    }

    /** Loads {@code libName} (the Rust [lib] name, e.g. {@code sark_cache}); the artifact is assumed to be {@code sark-cache-native}. */
    public static void load(String libName) {
        load(libName, artifactIdFor(libName));
    }

    /** Like {@link #load(String)}, naming the Maven artifact that ships the library (for the error message). */
    public static void load(String libName, String artifactId) {
        load(null, libName, artifactId);
    }

    /**
     * Like {@link #load(String, String)}, also searching {@code anchor}'s class loader first and taking the
     * version for the error message from its package's Implementation-Version.
     */
    public static void load(Class<?> anchor, String libName, String artifactId) {
        load(anchor, libName, artifactId, System::load);
    }

    /**
     * Like {@link #load(Class, String, String)}, with {@code System.load} called by the anchor itself: pass
     * {@code path -> System.load(path)} written in the class that declares the native methods. JNI binds a
     * library to the class loader of the class calling {@code System.load}; in an application server the
     * API classes may sit in a child class loader of this one, and their native methods would otherwise stay
     * unresolved.
     */
    public static void load(Class<?> anchor, String libName, String artifactId, Consumer<String> systemLoad) {
        requireLibName(libName);
        if (LOADED.contains(libName)) {
            return;
        }
        synchronized (LOCKS.computeIfAbsent(libName, k -> new Object())) {
            if (LOADED.contains(libName)) {
                return;
            }
            doLoad(anchor, libName, artifactId == null || artifactId.isBlank() ? artifactIdFor(libName) : artifactId,
                    systemLoad);
            LOADED.add(libName); // only after success: a failed load may succeed later (e.g. after fixing a property)
        }
    }

    /** Whether {@code libName} has been loaded through this class. */
    public static boolean isLoaded(String libName) {
        return LOADED.contains(libName);
    }

    /** {@code sark_cache} -> {@code sark-cache-native}: the module naming convention of this project. */
    public static String artifactIdFor(String libName) {
        requireLibName(libName);
        return libName.replace('_', '-') + "-native";
    }

    private static void doLoad(Class<?> anchor, String libName, String artifactId, Consumer<String> systemLoad) {
        String property = LIBRARY_PROPERTY_PREFIX + libName;
        String explicit = System.getProperty(property);
        if (explicit != null && !explicit.isBlank()) {
            Path file = Paths.get(explicit).toAbsolutePath();
            if (!Files.isRegularFile(file)) {
                throw new UnsatisfiedLinkError("-D" + property + "=" + explicit + " names no file (" + file + " does not exist"
                        + " or is not a regular file)");
            }
            loadFile(systemLoad, file, "-D" + property);
            return;
        }

        PlatformDetector.Detection detection;
        try {
            detection = PlatformDetector.detectWithReason();
        } catch (IllegalArgumentException e) {
            throw linkError("Cannot load native library '" + libName + "': " + e.getMessage(), e);
        }
        List<ClassLoader> loaders = loaders(anchor);
        List<String> searched = new ArrayList<>();
        for (Platform p : candidates(detection.platform())) {
            String path = p.resourcePath(libName);
            searched.add(path);
            for (ClassLoader loader : loaders) {
                URL url = loader.getResource(path);
                if (url != null) {
                    byte[] content = read(url);
                    new LibraryExtractor(ExtractionDirectories.fromSystem(), f -> systemLoad.accept(f.toString()), MountInfo::isNoexec)
                            .extractAndLoad(p.libraryFileName(libName), content, url.toString());
                    return;
                }
            }
        }
        throw new UnsatisfiedLinkError(MissingLibraryMessage.build(libName, artifactId, version(anchor), detection, searched,
                ClasspathLibraries.find(libName, loaders)));
    }

    /** On macOS a universal (fat) library also fits, when no library for the exact architecture is there. */
    private static List<Platform> candidates(Platform detected) {
        List<Platform> list = new ArrayList<>(List.of(detected));
        if (detected.os() == Platform.Os.OSX && detected.arch() != Platform.Arch.UNIVERSAL) {
            list.add(Platform.fromClassifier("osx-universal"));
        }
        return list;
    }

    /** The anchor's (or this class's) loader first; the context loader as a fallback for containers and plugins. */
    private static List<ClassLoader> loaders(Class<?> anchor) {
        List<ClassLoader> loaders = new ArrayList<>();
        ClassLoader primary = anchor != null ? anchor.getClassLoader() : NativeLoader.class.getClassLoader();
        loaders.add(primary != null ? primary : ClassLoader.getSystemClassLoader());
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && !loaders.contains(context)) {
            loaders.add(context);
        }
        return loaders;
    }

    private static String version(Class<?> anchor) {
        Package pkg = anchor == null ? null : anchor.getPackage();
        String v = pkg == null ? null : pkg.getImplementationVersion();
        return v == null || v.isBlank() ? UNKNOWN_VERSION : v;
    }

    private static byte[] read(URL url) {
        try (InputStream in = url.openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw linkError("Cannot read native library " + url + ": " + e, e);
        }
    }

    private static void loadFile(Consumer<String> systemLoad, Path file, String origin) {
        try {
            systemLoad.accept(file.toString());
        } catch (UnsatisfiedLinkError e) {
            throw linkError("Could not load native library " + file + " (from " + origin + "): " + e.getMessage(), e);
        }
    }

    private static UnsatisfiedLinkError linkError(String message, Throwable cause) {
        UnsatisfiedLinkError e = new UnsatisfiedLinkError(message);
        e.initCause(cause);
        return e;
    }

    private static void requireLibName(String libName) {
        if (libName == null || !libName.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("Library name '" + libName
                    + "' is not a Rust library name (letters, digits and '_' only, as in [lib] name)");
        }
    }
}
