package dev.sark.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClasspathLibrariesTest {

    @TempDir
    Path tmp;

    /** Writes a JAR with the given entries; names ending in '/' become directory entries. */
    static Path jar(Path file, String... entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out)) {
            for (String e : entries) {
                jar.putNextEntry(new JarEntry(e));
                if (!e.endsWith("/")) {
                    jar.write(("content of " + e).getBytes());
                }
                jar.closeEntry();
            }
        }
        return file;
    }

    @Test
    void findsTestResourceDirectory() {
        Map<String, String> found = ClasspathLibraries.find("sark_nothing", List.of(getClass().getClassLoader()));
        assertEquals(Set.of("windows-x86_64"), found.keySet());
        assertTrue(found.get("windows-x86_64").endsWith("sark_nothing.dll"), found.toString());
    }

    @Test
    void listsJarEntriesIncludingUnknownClassifiers() throws IOException {
        Path jar = jar(tmp.resolve("natives.jar"), "dev/", "dev/sark/", "dev/sark/native/", "dev/sark/native/linux-aarch_64-musl/",
                "dev/sark/native/linux-aarch_64-musl/libsark_jarred.so", "dev/sark/native/plan9-x86_64/",
                "dev/sark/native/plan9-x86_64/libsark_jarred.so", "dev/sark/native/linux-x86_64/libother.so",
                "dev/sark/native/linux-x86_64/sark_jarred.dll", "dev/sark/native/linux-x86_64/deeper/libsark_jarred.so");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            Map<String, String> found = ClasspathLibraries.find("sark_jarred", List.of(loader));
            // linux-x86_64 only holds a Windows file name and a nested file: neither is a linux-x86_64 library.
            assertEquals(Set.of("linux-aarch_64-musl", "plan9-x86_64"), found.keySet());
            assertTrue(found.get("linux-aarch_64-musl").startsWith("jar:file:"), found.toString());
            assertTrue(found.get("linux-aarch_64-musl").endsWith("!/dev/sark/native/linux-aarch_64-musl/libsark_jarred.so"), found.toString());
        }
    }

    @Test
    void jarWithoutDirectoryEntriesIsFoundByProbingKnownClassifiers() throws IOException {
        Path jar = jar(tmp.resolve("flat.jar"), "dev/sark/native/osx-universal/libsark_flat.dylib",
                "dev/sark/native/linux-arm_32/libsark_flat.so");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertEquals(null, loader.getResource(Platform.RESOURCE_ROOT), "precondition: no directory entry to list");
            assertEquals(Set.of("linux-arm_32", "osx-universal"), ClasspathLibraries.find("sark_flat", List.of(loader)).keySet());
        }
    }

    @Test
    void nothingFound() throws IOException {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            assertTrue(ClasspathLibraries.find("sark_absent", List.of(empty, getClass().getClassLoader())).isEmpty());
        }
    }
}
