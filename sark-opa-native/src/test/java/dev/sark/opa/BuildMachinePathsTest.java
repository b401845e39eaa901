package dev.sark.opa;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sark.loader.Platform;
import dev.sark.testing.ClassifierJars;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The shipped library must not carry the build machine's home directory: panic locations name the source
 * files of registry crates, which live under CARGO_HOME, and the plugin remaps that prefix to /cargo.
 */
class BuildMachinePathsTest {

    @Test
    void theHostLibraryNamesRegistrySourcesUnderCargoNotTheBuildersHome() throws Exception {
        String classifier = Platform.current().classifier();
        Path jar = ClassifierJars.find(Path.of("target"), classifier)
                .orElseThrow(() -> new AssertionError("sark:cross-build wrote no host classifier JAR into target/"));
        String text;
        try (JarFile j = new JarFile(jar.toFile());
             InputStream in = j.getInputStream(j.getEntry(ClassifierJars.libraryEntry(classifier, "sark_opa")))) {
            text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        assertTrue(text.contains("/cargo/registry/src/"), "regorus' panic locations are there, remapped");
        String home = System.getProperty("user.home");
        assertFalse(text.contains(home + "/.cargo") || text.contains(home + "/.rustup"), "the builder's home " + home);
    }
}
