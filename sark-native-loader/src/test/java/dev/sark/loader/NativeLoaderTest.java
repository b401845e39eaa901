package dev.sark.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLoaderTest {

    private static final String DLL_RESOURCE = "dev/sark/native/windows-x86_64/sark_nothing.dll";

    @TempDir
    Path tmp;

    @AfterEach
    void clearProperties() {
        for (String p : List.of(PlatformDetector.CLASSIFIER_PROPERTY, PlatformDetector.LIBC_PROPERTY,
                ExtractionDirectories.EXTRACT_DIR_PROPERTY, ExtractionDirectories.CACHE_DIR_PROPERTY)) {
            System.clearProperty(p);
        }
        System.getProperties().stringPropertyNames().stream().filter(n -> n.startsWith(NativeLoader.LIBRARY_PROPERTY_PREFIX))
                .forEach(System::clearProperty);
    }

    /** Loads as a class of this test would: bound to this class's loader. */
    private static void load(String libName) {
        NativeLoader.load(MethodHandles.lookup(), libName);
    }

    /** Keeps the tests from writing into the real user cache. */
    private void isolateDirectories() {
        System.setProperty(ExtractionDirectories.EXTRACT_DIR_PROPERTY, tmp.resolve("extract").toString());
        System.setProperty(ExtractionDirectories.CACHE_DIR_PROPERTY, tmp.resolve("cache").toString());
    }

    @Test
    void missingLibraryMessageHasPlatformFoundClassifiersAndSnippet() {
        Platform here = Platform.current();
        assumeTrue(!here.classifier().equals("windows-x86_64"), "the test resource would match this host");
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class, () -> load("sark_nothing"));
        String m = e.getMessage();
        assertTrue(m.contains(here.triple()) && m.contains("classifier " + here.classifier()), m);
        assertTrue(m.contains(PlatformDetector.detectWithReason().how()), "says how libc was detected: " + m);
        assertTrue(m.contains(here.resourcePath("sark_nothing")), m);
        assertTrue(m.contains("Found on the class path for classifiers: windows-x86_64"), m);
        assertTrue(m.contains("    <dependency>\n"
                + "      <groupId><groupId of the API artifact></groupId>\n"
                + "      <artifactId>sark-nothing-native</artifactId>\n"
                + "      <version><its version></version>\n"
                + "      <classifier>" + here.classifier() + "</classifier>\n"
                + "    </dependency>"), m);
        assertTrue(m.contains("-Dsark.native.classifier=") && m.contains("-Dsark.native.library.sark_nothing="), m);
        assertFalse(NativeLoader.isLoaded("sark_nothing"));
    }

    @Test
    void coordinatesInTheHintComeFromTheAnchorsJar() throws Exception {
        Path jar = tmp.resolve("acme-api-2.3.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/maven/com.acme/acme-api/pom.properties"));
            out.write("groupId=com.acme\nartifactId=acme-api\nversion=2.3\n".getBytes(StandardCharsets.UTF_8));
            String fixture = Fixture.class.getName().replace('.', '/') + ".class";
            out.putNextEntry(new JarEntry(fixture));
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(fixture)) {
                in.transferTo(out);
            }
        }
        try (URLClassLoader app = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Class<?> anchor = app.loadClass(Fixture.class.getName());
            UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                    () -> NativeLoader.load(anchor, "sark_nothing", "ignored-natives", path -> { }));
            assertTrue(e.getMessage().contains("<groupId>com.acme</groupId>\n      <artifactId>acme-api</artifactId>\n"
                    + "      <version>2.3</version>"), e.getMessage());
        }
    }

    /** A class to put into a jar of its own. */
    static final class Fixture {
    }

    @Test
    void aTruncatedJarOnTheClassPathIsNamedNotReportedMissing() throws Exception {
        Path jar = tmp.resolve("sark-nothing-native-1.0-" + Platform.current().classifier() + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry(Platform.current().resourcePath("sark_nothing")));
            out.write(new byte[4096]);
        }
        byte[] whole = Files.readAllBytes(jar);
        Files.write(jar, Arrays.copyOf(whole, whole.length / 2)); // an interrupted download
        try (URLClassLoader app = new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
            ClassLoader saved = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(app);
            try {
                UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class, () -> load("sark_nothing"));
                assertTrue(e.getMessage().contains("cannot be read") && e.getMessage().contains(jar.toString()), e.getMessage());
            } finally {
                Thread.currentThread().setContextClassLoader(saved);
            }
        }
    }

    @Test
    void aLibraryWhoseBytesDoNotMatchTheManifestIsRefusedNamingTheJar() throws Exception {
        isolateDirectories();
        String entry = Platform.current().resourcePath("sark_flipped");
        byte[] library = "pretend this is a library".getBytes(StandardCharsets.UTF_8);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        Attributes section = new Attributes();
        section.putValue(PackagedLibrary.SHA256_ATTRIBUTE, LibraryExtractor.sha256Hex(library));
        manifest.getEntries().put(entry, section);
        library[3] ^= 1; // one flipped bit, as from a bad disk or download
        Path jar = tmp.resolve("flipped.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new JarEntry(entry));
            out.write(library);
        }
        List<String> loaded = new ArrayList<>();
        try (URLClassLoader app = new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
            ClassLoader saved = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(app);
            try {
                UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                        () -> NativeLoader.load(NativeLoaderTest.class, "sark_flipped", null, loaded::add));
                assertTrue(e.getMessage().contains(jar.toString()) && e.getMessage().contains("SHA-256"), e.getMessage());
            } finally {
                Thread.currentThread().setContextClassLoader(saved);
            }
        }
        assertEquals(List.of(), loaded, "nothing was handed to System.load");
        assertFalse(Files.exists(tmp.resolve("extract")), "nothing was extracted");
    }

    @Test
    void libcOverrideChangesWhatIsSearchedFor() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"));
        System.setProperty(PlatformDetector.LIBC_PROPERTY, "musl");
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class, () -> load("sark_nothing"));
        String musl = Platform.current().classifier();
        assertTrue(musl.endsWith("-musl"), musl);
        assertTrue(e.getMessage().contains("dev/sark/native/" + musl + "/libsark_nothing.so"), e.getMessage());
        assertTrue(e.getMessage().contains("<classifier>" + musl + "</classifier>"), e.getMessage());
        assertTrue(e.getMessage().contains("forced by -D" + PlatformDetector.LIBC_PROPERTY + "=musl"), e.getMessage());
    }

    @Test
    void classifierOverrideExtractsThatLibraryAndReportsTheLoadErrorWithItsPath() throws IOException {
        assumeTrue(!System.getProperty("os.name").startsWith("Windows"), "the placeholder DLL must fail to load");
        isolateDirectories();
        System.setProperty(PlatformDetector.CLASSIFIER_PROPERTY, "windows-x86_64");
        byte[] bytes;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(DLL_RESOURCE)) {
            bytes = in.readAllBytes();
        }
        Path expected = tmp.resolve("extract").resolve(LibraryExtractor.sha256Hex(bytes)).resolve("sark_nothing.dll");

        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class, () -> load("sark_nothing"));
        assertTrue(e.getMessage().contains("Could not load native library " + expected), e.getMessage());
        assertTrue(e.getMessage().contains("but this JVM runs on " + PlatformDetector.detectHost().platform().triple()),
                "a forced platform that does not fit the host is named: " + e.getMessage());
        assertTrue(Files.isRegularFile(expected));
        assertTrue(java.util.Arrays.equals(bytes, Files.readAllBytes(expected)));
        assertFalse(NativeLoader.isLoaded("sark_nothing"), "a failed load is not remembered");
    }

    @Test
    void badClassifierOverrideIsALinkErrorNamingTheProperty() {
        System.setProperty(PlatformDetector.CLASSIFIER_PROPERTY, "linux-sparc");
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class, () -> load("sark_nothing"));
        assertTrue(e.getMessage().contains("-Dsark.native.classifier=linux-sparc"), e.getMessage());
    }

    @Test
    void libraryPropertyNamingNoFileSaysWhichProperty() {
        System.setProperty("sark.native.library.sark_prop_missing", tmp.resolve("nope.so").toString());
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class, () -> load("sark_prop_missing"));
        assertTrue(e.getMessage().contains("-Dsark.native.library.sark_prop_missing=" + tmp.resolve("nope.so")), e.getMessage());
    }

    @Test
    void libraryPropertyWithANonLibraryFileReportsThePath() throws IOException {
        Path notLib = Files.writeString(tmp.resolve("libfake.so"), "not ELF");
        System.setProperty("sark.native.library.sark_prop_fake", notLib.toString());
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class, () -> load("sark_prop_fake"));
        assertTrue(e.getMessage().contains(notLib.toString()) && e.getMessage().contains("-Dsark.native.library.sark_prop_fake"),
                e.getMessage());
    }

    @Test
    void libraryPropertyLoadsARealLibrary() throws Exception {
        Path so = TestLibraries.compileSharedLibrary(tmp, "sark_prop_real");
        assumeTrue(so != null, "no C compiler");
        System.setProperty("sark.native.library.sark_prop_real", so.toString());
        load("sark_prop_real");
        assertTrue(NativeLoader.isLoaded("sark_prop_real"));
    }

    @Test
    void realLibraryFromTheContextClassLoaderIsExtractedLoadedAndRememberedOnce() throws Exception {
        Path so = TestLibraries.compileSharedLibrary(tmp, "sark_cp_real");
        assumeTrue(so != null, "no C compiler");
        Path classes = classpathWith(so, "sark_cp_real");
        isolateDirectories();
        ClassLoader saved = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader context = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            Thread.currentThread().setContextClassLoader(context);
            load("sark_cp_real");
            assertTrue(NativeLoader.isLoaded("sark_cp_real"));
            Path extracted = tmp.resolve("extract").resolve(LibraryExtractor.sha256Hex(Files.readAllBytes(so))).resolve("libsark_cp_real.so");
            assertTrue(Files.isRegularFile(extracted));

            deleteTree(tmp.resolve("extract"));
            load("sark_cp_real"); // remembered: no second extraction
            assertFalse(Files.exists(tmp.resolve("extract")));
        } finally {
            Thread.currentThread().setContextClassLoader(saved);
        }
    }

    @Test
    void concurrentFirstLoadsExtractOnceAndAllSucceed() throws Exception {
        Path so = TestLibraries.compileSharedLibrary(tmp, "sark_cp_concurrent");
        assumeTrue(so != null, "no C compiler");
        Path classes = classpathWith(so, "sark_cp_concurrent");
        isolateDirectories();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (URLClassLoader context = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> {
                    Thread.currentThread().setContextClassLoader(context);
                    start.await();
                    load("sark_cp_concurrent");
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : results) {
                f.get(); // rethrows any thread's failure
            }
            assertTrue(NativeLoader.isLoaded("sark_cp_concurrent"));
            try (Stream<Path> files = Files.walk(tmp.resolve("extract"))) {
                assertEquals(1, files.filter(Files::isRegularFile).count());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void invalidNamesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> load("../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> load(null));
        assertThrows(IllegalArgumentException.class, () -> load("sark-cache"));
    }

    @Test
    void artifactIdConvention() {
        assertEquals("sark-cache-native", NativeLoader.artifactIdFor("sark_cache"));
        assertEquals("sark-opa-native", NativeLoader.artifactIdFor("sark_opa"));
    }

    /** A class path directory holding {@code so} where the loader looks for this host's classifier. */
    private Path classpathWith(Path so, String libName) throws IOException {
        Platform here = Platform.current();
        Path classes = tmp.resolve("classes-" + libName);
        Path target = classes.resolve(here.resourcePath(libName));
        Files.createDirectories(target.getParent());
        Files.copy(so, target);
        return classes;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
