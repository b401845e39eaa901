package dev.sark.loader;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Loads a native library (a Rust cdylib) for the running platform, once per class loader. This is how an
 * API class of your own crate loads its library:
 *
 * <pre>{@code
 * public final class MyCrate {
 *     static {
 *         NativeLoader.load(MethodHandles.lookup(), "my_crate"); // the [lib] name in Cargo.toml
 *     }
 *     static native int answer();
 * }
 * }</pre>
 *
 * <p>Order: a file named by {@code -Dsark.native.library.<libName>}; else the resource
 * {@code dev/sark/native/<classifier>/<file>} from a classifier JAR on the class path, checked against the
 * SHA-256 its manifest records and extracted by {@link LibraryExtractor} into {@code -Dsark.native.extractDir},
 * the user cache dir ({@code -Dsark.native.cacheDir} overrides it) or {@code java.io.tmpdir}, each only when
 * no other user can change it. The platform comes from {@link PlatformDetector} ({@code -Dsark.native.classifier},
 * {@code -Dsark.native.libc} override it).
 *
 * <p>JNI binds a library to the class loader of the class that calls {@code System.load}, so the library is
 * loaded by the caller itself (through its lookup, or the {@code System.load} it passes): its native methods
 * resolve even when this loader sits in a parent class loader, as in application servers. Each class loader
 * loads its own copy; a library is remembered per class loader and name.
 */
public final class NativeLoader {

    /** Prefix of the property naming a library file to load instead of the class path: {@code sark.native.library.<libName>}. */
    public static final String LIBRARY_PROPERTY_PREFIX = "sark.native.library.";

    /** Class loader -> names loaded by it; weak, so a redeployed application's loader can be collected. */
    private static final Map<ClassLoader, Set<String>> LOADED = Collections.synchronizedMap(new WeakHashMap<>());
    private static final ConcurrentHashMap<String, Object> LOCKS = new ConcurrentHashMap<>();
    private static final MethodType LOAD_TYPE = MethodType.methodType(void.class, String.class);

    private NativeLoader() {
    }

    /**
     * Loads {@code libName} (the Rust {@code [lib]} name, e.g. {@code my_crate}) for the class of {@code caller},
     * which must be {@code MethodHandles.lookup()} called in the class that declares the native methods. The
     * missing-library error names the Maven coordinates of the jar that class comes from.
     *
     * @throws UnsatisfiedLinkError when no library for this platform is found or it does not load; the message
     *                              says what was detected, what is on the class path and what to add to the pom
     * @throws IllegalArgumentException when {@code libName} is not a Rust library name, or the lookup lacks full
     *                              privilege access (it must come from {@code MethodHandles.lookup()})
     */
    public static void load(MethodHandles.Lookup caller, String libName) {
        Objects.requireNonNull(caller, "caller");
        MethodHandle systemLoad;
        try {
            // System.load is caller-sensitive: through this handle, the lookup class is the caller.
            systemLoad = caller.findStatic(System.class, "load", LOAD_TYPE);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalArgumentException("Pass MethodHandles.lookup() of the class that declares the native"
                    + " methods (a full-privilege lookup): " + e.getMessage(), e);
        }
        load(caller.lookupClass(), libName, null, path -> {
            try {
                systemLoad.invokeExact(path);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * Loads {@code libName} for {@code anchor}, which passes {@code path -> System.load(path)} written in its own
     * code, so the library binds to its class loader.
     *
     * @param artifactId the artifact that ships the library, for the error message when the anchor's jar does not
     *                   record its coordinates; null for the convention {@link #artifactIdFor}
     */
    public static void load(Class<?> anchor, String libName, String artifactId, Consumer<String> systemLoad) {
        Objects.requireNonNull(anchor, "anchor");
        Objects.requireNonNull(systemLoad, "systemLoad");
        requireLibName(libName);
        ClassLoader owner = classLoaderOf(anchor);
        if (loadedBy(owner).contains(libName)) {
            return;
        }
        synchronized (LOCKS.computeIfAbsent(libName, k -> new Object())) {
            if (loadedBy(owner).contains(libName)) {
                return;
            }
            doLoad(anchor, libName, artifactId == null || artifactId.isBlank() ? artifactIdFor(libName) : artifactId,
                    systemLoad);
            loadedBy(owner).add(libName); // only after success: a failed load may succeed later (e.g. after fixing a property)
        }
    }

    /** Whether {@code libName} has been loaded through this class, by any class loader. */
    public static boolean isLoaded(String libName) {
        synchronized (LOADED) {
            return LOADED.values().stream().anyMatch(names -> names.contains(libName));
        }
    }

    private static Set<String> loadedBy(ClassLoader loader) {
        return LOADED.computeIfAbsent(loader, k -> ConcurrentHashMap.newKeySet());
    }

    private static ClassLoader classLoaderOf(Class<?> anchor) {
        ClassLoader l = anchor.getClassLoader();
        return l != null ? l : ClassLoader.getPlatformClassLoader();
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
                    byte[] content = PackagedLibrary.read(url, path);
                    try {
                        new LibraryExtractor(ExtractionDirectories.fromSystem(), f -> systemLoad.accept(f.toString()),
                                MountInfo::isNoexec).extractAndLoad(p.libraryFileName(libName), content, url.toString());
                    } catch (UnsatisfiedLinkError e) {
                        throw withForcedPlatformHint(e, detection);
                    }
                    return;
                }
            }
        }
        ArtifactCoordinates coordinates = ArtifactCoordinates.of(anchor).orElse(ArtifactCoordinates.unknown(artifactId));
        throw new UnsatisfiedLinkError(MissingLibraryMessage.build(libName, coordinates, detection, searched,
                ClasspathLibraries.find(libName, loaders), ClasspathLibraries.unreadableJars(loaders)));
    }

    /** A library forced by -Dsark.native.classifier for another platform fails in the dynamic loader: say so. */
    private static UnsatisfiedLinkError withForcedPlatformHint(UnsatisfiedLinkError e, PlatformDetector.Detection detection) {
        if (!detection.forced()) {
            return e;
        }
        Platform host;
        try {
            host = PlatformDetector.detectHost().platform();
        } catch (RuntimeException unknownHost) {
            return e;
        }
        if (host.equals(detection.platform())) {
            return e;
        }
        UnsatisfiedLinkError hinted = new UnsatisfiedLinkError(e.getMessage() + "\n  -D" + PlatformDetector.CLASSIFIER_PROPERTY
                + "=" + detection.platform().classifier() + " forces the library for " + detection.platform().triple()
                + ", but this JVM runs on " + host.triple() + " (classifier " + host.classifier() + "): remove the"
                + " property, or set it to " + host.classifier() + ".");
        hinted.initCause(e);
        return hinted;
    }

    /** On macOS a universal (fat) library also fits, when no library for the exact architecture is there. */
    private static List<Platform> candidates(Platform detected) {
        List<Platform> list = new ArrayList<>(List.of(detected));
        if (detected.os() == Platform.Os.OSX && detected.arch() != Platform.Arch.UNIVERSAL) {
            list.add(Platform.fromClassifier("osx-universal"));
        }
        return list;
    }

    /** The anchor's loader first; the context loader as a fallback for containers and plugins. */
    private static List<ClassLoader> loaders(Class<?> anchor) {
        List<ClassLoader> loaders = new ArrayList<>();
        ClassLoader primary = anchor.getClassLoader();
        loaders.add(primary != null ? primary : ClassLoader.getSystemClassLoader());
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && !loaders.contains(context)) {
            loaders.add(context);
        }
        return loaders;
    }

    private static void loadFile(Consumer<String> systemLoad, Path file, String origin) {
        try {
            systemLoad.accept(file.toString());
        } catch (UnsatisfiedLinkError e) {
            String hint = LibraryExtractor.loadedByAnotherClassLoader(e.getMessage())
                    ? " (" + origin + " names one file, and a file can be loaded by one class loader only: remove the"
                    + " property so that each class loader extracts its own copy from the class path, or load the API"
                    + " classes from one shared class loader)"
                    : "";
            throw linkError("Could not load native library " + file + " (from " + origin + "): " + e.getMessage() + hint, e);
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
