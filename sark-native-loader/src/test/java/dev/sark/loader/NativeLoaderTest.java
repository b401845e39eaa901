package dev.sark.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

    /** Keeps the tests from writing into the real user cache. */
    private void isolateDirectories() {
        System.setProperty(ExtractionDirectories.EXTRACT_DIR_PROPERTY, tmp.resolve("extract").toString());
        System.setProperty(ExtractionDirectories.CACHE_DIR_PROPERTY, tmp.resolve("cache").toString());
    }

    @Test
    void missingLibraryMessageHasPlatformFoundClassifiersAndSnippet() {
        Platform here = Platform.current();
        assumeTrue(!here.classifier().equals("windows-x86_64"), "the test resource would match this host");
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class, () -> NativeLoader.load("sark_nothing"));
        String m = e.getMessage();
        assertTrue(m.contains(here.triple()) && m.contains("classifier " + here.classifier()), m);
        assertTrue(m.contains(PlatformDetector.detectWithReason().how()), "says how libc was detected: " + m);
        assertTrue(m.contains(here.resourcePath("sark_nothing")), m);
        assertTrue(m.contains("Found on the class path for classifiers: windows-x86_64"), m);
        assertTrue(m.contains("    <dependency>\n"
                + "      <groupId>dev.sark</groupId>\n"
                + "      <artifactId>sark-nothing-native</artifactId>\n"
                + "      <version>${sark.version}</version>\n"
                + "      <classifier>" + here.classifier() + "</classifier>\n"
                + "    </dependency>"), m);
        assertTrue(m.contains("-Dsark.native.classifier=") && m.contains("-Dsark.native.library.sark_nothing="), m);
        assertFalse(NativeLoader.isLoaded("sark_nothing"));
    }

    @Test
    void explicitArtifactIdAndVersionFromTheAnchor() {
        String version = Test.class.getPackage().getImplementationVersion();
        assumeTrue(version != null, "JUnit's manifest carries Implementation-Version");
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                () -> NativeLoader.load(Test.class, "sark_nothing", "my-natives"));
        assertTrue(e.getMessage().contains("<artifactId>my-natives</artifactId>"), e.getMessage());
        assertTrue(e.getMessage().contains("<version>" + version + "</version>"), e.getMessage());

        e = assertThrows(UnsatisfiedLinkError.class, () -> NativeLoader.load("sark_nothing", "other-natives"));
        assertTrue(e.getMessage().contains("<artifactId>other-natives</artifactId>")
                && e.getMessage().contains("<version>" + NativeLoader.UNKNOWN_VERSION + "</version>"), e.getMessage());
    }

    @Test
    void libcOverrideChangesWhatIsSearchedFor() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"));
        System.setProperty(PlatformDetector.LIBC_PROPERTY, "musl");
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class, () -> NativeLoader.load("sark_nothing"));
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

        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class, () -> NativeLoader.load("sark_nothing"));
        assertTrue(e.getMessage().contains("Could not load native library " + expected), e.getMessage());
        assertTrue(Files.isRegularFile(expected));
        assertTrue(java.util.Arrays.equals(bytes, Files.readAllBytes(expected)));
        assertFalse(NativeLoader.isLoaded("sark_nothing"), "a failed load is not remembered");
    }

    @Test
    void badClassifierOverrideIsALinkErrorNamingTheProperty() {
        System.setProperty(PlatformDetector.CLASSIFIER_PROPERTY, "linux-sparc");
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class, () -> NativeLoader.load("sark_nothing"));
        assertTrue(e.getMessage().contains("-Dsark.native.classifier=linux-sparc"), e.getMessage());
    }

    @Test
    void libraryPropertyNamingNoFileSaysWhichProperty() {
        System.setProperty("sark.native.library.sark_prop_missing", tmp.resolve("nope.so").toString());
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class, () -> NativeLoader.load("sark_prop_missing"));
        assertTrue(e.getMessage().contains("-Dsark.native.library.sark_prop_missing=" + tmp.resolve("nope.so")), e.getMessage());
    }

    @Test
    void libraryPropertyWithANonLibraryFileReportsThePath() throws IOException {
        Path notLib = Files.writeString(tmp.resolve("libfake.so"), "not ELF");
        System.setProperty("sark.native.library.sark_prop_fake", notLib.toString());
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class, () -> NativeLoader.load("sark_prop_fake"));
        assertTrue(e.getMessage().contains(notLib.toString()) && e.getMessage().contains("-Dsark.native.library.sark_prop_fake"),
                e.getMessage());
    }

    @Test
    void libraryPropertyLoadsARealLibrary() throws Exception {
        Path so = TestLibraries.compileSharedLibrary(tmp, "sark_prop_real");
        assumeTrue(so != null, "no C compiler");
        System.setProperty("sark.native.library.sark_prop_real", so.toString());
        NativeLoader.load("sark_prop_real");
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
            NativeLoader.load("sark_cp_real");
            assertTrue(NativeLoader.isLoaded("sark_cp_real"));
            Path extracted = tmp.resolve("extract").resolve(LibraryExtractor.sha256Hex(Files.readAllBytes(so))).resolve("libsark_cp_real.so");
            assertTrue(Files.isRegularFile(extracted));

            deleteTree(tmp.resolve("extract"));
            NativeLoader.load("sark_cp_real"); // remembered: no second extraction
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
                    NativeLoader.load("sark_cp_concurrent");
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
        assertThrows(IllegalArgumentException.class, () -> NativeLoader.load("../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> NativeLoader.load(null));
        assertThrows(IllegalArgumentException.class, () -> NativeLoader.load("sark-cache"));
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
