package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sark:package-natives' core: finding prebuilt libraries, checking them, and refusing what does not fit. */
class PrebuiltPackagerTest {
    private static final String HOST = "x86_64-unknown-linux-gnu";
    private static final String AARCH64 = "aarch64-unknown-linux-gnu";

    @TempDir
    Path tmp;
    private Path prebuilt;
    private final TestSupport.RecordingLog log = new TestSupport.RecordingLog();
    private final TargetOutputs.Layout layout = t -> new TargetOutputs(
            tmp.resolve("out/demo-" + t.classifier() + ".jar"), tmp.resolve("out/sark/prebuilt/" + t.classifier()));

    @BeforeEach
    void setUp() throws IOException {
        prebuilt = Files.createDirectories(tmp.resolve("prebuilt"));
    }

    /** A real x86_64 shared library exporting a JNI-named function (variant changes its bytes). */
    private Path hostLibrary(Path file, int variant) throws IOException, InterruptedException {
        Files.createDirectories(file.getParent());
        Path source = tmp.resolve("demo" + variant + ".c");
        Files.writeString(source, "int Java_dev_sark_Demo_v" + variant + "(void) { return " + variant + "; }\n");
        Process cc = new ProcessBuilder("cc", "-shared", "-fPIC", "-o", file.toString(), source.toString())
                .inheritIO().start();
        assertEquals(0, cc.waitFor(), "cc failed");
        return file;
    }

    private List<TargetResult> packageAll(String... triples) {
        List<TargetSpec> targets = Arrays.stream(triples).map(t -> TargetSpec.builder(t).build())
                .collect(Collectors.toList());
        return new PrebuiltPackager(prebuilt, new LibraryPackager("demo", true, log), log).packageAll(targets, layout);
    }

    @Test
    void aLibraryInADirectoryNamedAfterItsTripleIsCheckedAndPackaged() throws Exception {
        hostLibrary(prebuilt.resolve("natives-linux-x86_64/" + HOST + "/release/libdemo.so"), 1);
        hostLibrary(prebuilt.resolve("natives-linux-x86_64/" + HOST + "/release/deps/libdemo.so"), 1);

        TargetResult r = packageAll(HOST).get(0);

        assertEquals(TargetResult.Status.BUILT, r.status(), r.detail());
        try (JarFile jar = new JarFile(r.jar().toFile())) {
            assertNotNull(jar.getEntry("dev/sark/native/linux-x86_64/libdemo.so"));
            assertEquals(HOST, jar.getManifest().getMainAttributes().getValue("Sark-Target"));
        }
    }

    @Test
    void aLibraryOfTheWrongArchitectureIsRefusedNamingBothSides() throws Exception {
        hostLibrary(prebuilt.resolve(AARCH64 + "/libdemo.so"), 1); // an x86_64 file where aarch64 is expected

        TargetResult r = packageAll(AARCH64).get(0);

        assertEquals(TargetResult.Status.FAILED, r.status());
        assertTrue(r.detail().contains("EM_X86_64") && r.detail().contains("EM_AARCH64"), r.detail());
        assertFalse(Files.exists(tmp.resolve("out/demo-linux-aarch_64.jar")), "nothing is packaged");
    }

    @Test
    void twoDifferentLibrariesForOneTargetAreAmbiguous() throws Exception {
        hostLibrary(prebuilt.resolve("job-a/" + HOST + "/libdemo.so"), 1);
        hostLibrary(prebuilt.resolve("job-b/linux-x86_64/libdemo.so"), 2);

        TargetResult r = packageAll(HOST).get(0);

        assertEquals(TargetResult.Status.FAILED, r.status());
        assertTrue(r.detail().contains("2 different prebuilt libraries match"), r.detail());
    }

    @Test
    void aClassifierJarFromAnEarlierJobIsUnpackedAndRepackaged() throws Exception {
        Path library = hostLibrary(tmp.resolve("built/libdemo.so"), 3);
        TargetSpec host = TargetSpec.builder(HOST).build();
        ClassifierJar.write(prebuilt.resolve("demo-1.0-linux-x86_64.jar"), host.platform(),
                new ClassifierJar.Contents(library, "demo", HOST, "linux-x86_64", "unused", "rustc test"));

        TargetResult r = packageAll(HOST).get(0);

        assertEquals(TargetResult.Status.BUILT, r.status(), r.detail());
        assertEquals(Files.size(library), Files.size(r.library()));
    }

    @Test
    void aMissingTargetIsUnavailableWithWhereItLooked() {
        TargetResult r = packageAll(AARCH64).get(0);
        assertEquals(TargetResult.Status.UNAVAILABLE, r.status());
        assertTrue(r.detail().contains("a directory named " + AARCH64 + " or linux-aarch_64"), r.detail());
        assertTrue(r.detail().contains("*-linux-aarch_64.jar"), r.detail());
    }
}
