package dev.sark.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sark.loader.NativeLoader;
import dev.sark.loader.Platform;
import dev.sark.testing.ClassifierJars;
import dev.sark.testing.ForeignJvm;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application server's layout: the loader in a parent class loader, the API classes and the classifier
 * JAR in a child (a web application). JNI binds a library to the class loader that loads it, so the loader
 * must load it on behalf of the child's class, or the child's native methods stay unresolved.
 */
class ClassLoaderIsolationTest {

    @Test
    void libraryIsBoundToTheClassLoaderOfTheClassThatDeclaresTheNativeMethods(@TempDir Path cacheDir) throws Exception {
        Path hostJar = ClassifierJars.find(Path.of("target"), Platform.current().classifier())
                .orElseThrow(() -> new AssertionError("sark:cross-build wrote no host classifier JAR into target/"));
        // A cache directory of its own, so the file is not the one this test JVM has already loaded elsewhere.
        String previous = System.setProperty("sark.native.cacheDir", cacheDir.toString());
        try (URLClassLoader parent = new URLClassLoader(urls(ForeignJvm.codeSource(NativeLoader.class)),
                ClassLoader.getPlatformClassLoader());
             URLClassLoader child = new URLClassLoader(urls(ForeignJvm.codeSource(NativeCache.class), hostJar), parent)) {
            Class<?> cacheClass = child.loadClass(NativeCache.class.getName());
            Class<?> loaderClass = child.loadClass(NativeLoader.class.getName());
            assertEquals(parent, loaderClass.getClassLoader(), "the loader must come from the parent class loader");

            Object cache = cacheClass.getConstructor(long.class, Duration.class).newInstance(4L, Duration.ofMinutes(1));
            cacheClass.getMethod("put", String.class, String.class).invoke(cache, "k", "v");
            assertEquals("v", cacheClass.getMethod("get", String.class).invoke(cache, "k"));
            cacheClass.getMethod("close").invoke(cache);
        } finally {
            if (previous == null) {
                System.clearProperty("sark.native.cacheDir");
            } else {
                System.setProperty("sark.native.cacheDir", previous);
            }
        }
    }

    private static URL[] urls(Path... paths) throws Exception {
        URL[] urls = new URL[paths.length];
        for (int i = 0; i < paths.length; i++) {
            urls[i] = paths[i].toUri().toURL();
        }
        return urls;
    }
}
