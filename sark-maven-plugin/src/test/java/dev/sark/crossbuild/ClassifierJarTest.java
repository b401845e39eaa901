package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sark.loader.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifierJarTest {
    private static final Platform AARCH64 = Platform.fromTriple("aarch64-unknown-linux-gnu");

    @TempDir
    Path tmp;

    private Path library;
    private byte[] libraryBytes;

    @BeforeEach
    void setUp() throws IOException {
        libraryBytes = new byte[70_000];
        for (int i = 0; i < libraryBytes.length; i++) {
            libraryBytes[i] = (byte) (i * 31 + 7);
        }
        library = Files.write(tmp.resolve("libsark_demo.so"), libraryBytes);
    }

    private ClassifierJar.Contents contents(String classifier) {
        return new ClassifierJar.Contents(library, "sark_demo", "aarch64-unknown-linux-gnu", classifier,
                Digests.sha256(library), "rustc 1.85.0 (4d91de4e4 2025-02-17) (built from a source tarball)");
    }

    private static List<String> entryNames(Path jar) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream().forEach(e -> names.add(e.getName()));
        }
        return names;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void entriesAreTheManifestTheDirectoriesAndTheLibraryOnly() throws IOException {
        Path jar = tmp.resolve("out/sark-demo-1.0-linux-aarch_64.jar");
        ClassifierJar.write(jar, AARCH64, contents("linux-aarch_64"));

        assertEquals(List.of("META-INF/", "META-INF/MANIFEST.MF", "dev/", "dev/sark/", "dev/sark/native/",
                "dev/sark/native/linux-aarch_64/", "dev/sark/native/linux-aarch_64/libsark_demo.so"), entryNames(jar));
        try (ZipFile zip = new ZipFile(jar.toFile());
             InputStream in = zip.getInputStream(zip.getEntry("dev/sark/native/linux-aarch_64/libsark_demo.so"))) {
            assertArrayEquals(libraryBytes, in.readAllBytes());
        }
        try (var files = Files.list(jar.getParent())) {
            assertEquals(List.of(jar), files.toList(), "no temporary file left beside the JAR");
        }
    }

    @Test
    void manifestDescribesTheLibrary() throws Exception {
        Path jar = tmp.resolve("a.jar");
        ClassifierJar.write(jar, AARCH64, contents("linux-aarch_64"));

        Manifest manifest;
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            manifest = in.getManifest(); // null unless the manifest is among the first entries
        }
        Attributes a = manifest.getMainAttributes();
        assertEquals("1.0", a.getValue(Attributes.Name.MANIFEST_VERSION));
        assertEquals("aarch64-unknown-linux-gnu", a.getValue("Sark-Target"));
        assertEquals("linux-aarch_64", a.getValue("Sark-Classifier"));
        assertEquals(sha256(libraryBytes), a.getValue("Sark-Sha256"));
        assertEquals(String.valueOf(libraryBytes.length), a.getValue("Sark-Size"));
        assertEquals("rustc 1.85.0 (4d91de4e4 2025-02-17) (built from a source tarball)", a.getValue("Sark-Rustc"));
        assertEquals("dev/sark/native/linux-aarch_64/libsark_demo.so", a.getValue("Sark-Library"));
        assertEquals(sha256(libraryBytes), manifest.getAttributes("dev/sark/native/linux-aarch_64/libsark_demo.so")
                .getValue("Sark-Sha256"), "the entry's own digest, which the runtime loader checks");
    }

    @Test
    void theModuleNameIsAValidJavaNameThatNeverClashesWithTheApiModule() throws Exception {
        Path jar = tmp.resolve("sark-cache-native-1.0-linux-aarch_64.jar");
        ClassifierJar.write(jar, AARCH64, contents("linux-aarch_64"));
        String name = java.lang.module.ModuleFinder.of(jar).findAll().iterator().next().descriptor().name();
        assertEquals("sark_demo.natives.linux_aarch_64", name);
        assertEquals("native_.natives.osx_universal", ClassifierJar.moduleName("native", "osx-universal"), "keywords are escaped");
    }

    @Test
    void entriesCarryTheProjectsOutputTimestamp() throws IOException {
        Path jar = tmp.resolve("t.jar");
        java.nio.file.attribute.FileTime time = java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2026-05-01T10:00:00Z"));
        ClassifierJar.write(jar, AARCH64, new ClassifierJar.Contents(library, "sark_demo", "aarch64-unknown-linux-gnu",
                "linux-aarch_64", Digests.sha256(library), "rustc 1.95.0", time));
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream().forEach(e -> assertEquals(time.toMillis(), e.getLastModifiedTime().toMillis(), e.getName()));
        }
    }

    @Test
    void theJarIsReadableByEveryoneLikeTheMainJar() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path jar = tmp.resolve("m.jar");
        ClassifierJar.write(jar, AARCH64, contents("linux-aarch_64"));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(jar)),
                "after cp -p or a Docker COPY another user must still read it");
    }

    @Test
    void writingTwiceGivesByteIdenticalJars() throws IOException {
        Path first = tmp.resolve("first.jar");
        Path second = tmp.resolve("second.jar");
        ClassifierJar.write(first, AARCH64, contents("linux-aarch_64"));
        ClassifierJar.write(second, AARCH64, contents("linux-aarch_64"));
        byte[] firstBytes = Files.readAllBytes(first);
        assertArrayEquals(firstBytes, Files.readAllBytes(second));

        // rewriting in place gives the same bytes again
        ClassifierJar.write(first, AARCH64, contents("linux-aarch_64"));
        assertArrayEquals(firstBytes, Files.readAllBytes(first));

        // and no entry carries the time of writing, so a later run gives the same bytes too
        Instant dayAgo = Instant.now().minusSeconds(86_400);
        try (ZipFile zip = new ZipFile(first.toFile())) {
            for (ZipEntry e : zip.stream().toList()) {
                assertTrue(e.getLastModifiedTime().toInstant().isBefore(dayAgo), e.getName() + " " + e.getLastModifiedTime());
            }
        }
    }

    @Test
    void differentLibraryGivesDifferentJar() throws IOException {
        Path first = tmp.resolve("first.jar");
        ClassifierJar.write(first, AARCH64, contents("linux-aarch_64"));
        byte[] firstBytes = Files.readAllBytes(first);
        libraryBytes[0] ^= 1;
        Files.write(library, libraryBytes);
        ClassifierJar.write(first, AARCH64, contents("linux-aarch_64"));
        assertTrue(!java.util.Arrays.equals(firstBytes, Files.readAllBytes(first)));
    }

    @Test
    void customMavenClassifierKeepsThePlatformsResourcePath() throws IOException {
        Path jar = tmp.resolve("custom.jar");
        ClassifierJar.write(jar, AARCH64, contents("linux-aarch_64-debian12"));

        List<String> names = entryNames(jar);
        assertTrue(names.contains("dev/sark/native/linux-aarch_64/libsark_demo.so"), names.toString());
        assertTrue(names.stream().noneMatch(n -> n.contains("debian12")), names.toString());
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Attributes a = in.getManifest().getMainAttributes();
            assertEquals("linux-aarch_64-debian12", a.getValue("Sark-Classifier"));
            assertEquals("dev/sark/native/linux-aarch_64/libsark_demo.so", a.getValue("Sark-Library"));
        }
    }

    @Test
    void windowsLibraryHasNoLibPrefix() throws IOException {
        Platform windows = Platform.fromTriple("x86_64-pc-windows-gnu");
        Path jar = tmp.resolve("win.jar");
        ClassifierJar.write(jar, windows, new ClassifierJar.Contents(library, "sark_demo", "x86_64-pc-windows-gnu",
                "windows-x86_64", Digests.sha256(library), "rustc"));
        assertEquals("dev/sark/native/windows-x86_64/sark_demo.dll", entryNames(jar).get(entryNames(jar).size() - 1));
        assertEquals("dev/sark/native/windows-x86_64/sark_demo.dll", ClassifierJar.entryName(windows, "sark_demo"));
    }

    @Test
    void jarEntriesAreReadableAsAJar() throws IOException {
        Path jar = tmp.resolve("b.jar");
        ClassifierJar.write(jar, AARCH64, contents("linux-aarch_64"));
        List<String> names = new ArrayList<>();
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            for (JarEntry e; (e = in.getNextJarEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        // JarInputStream consumes the manifest entries itself
        assertEquals("dev/sark/native/linux-aarch_64/libsark_demo.so", names.get(names.size() - 1));
    }
}
