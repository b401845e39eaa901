package dev.sark.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sark.crossbuild.ConfigurationException;
import dev.sark.crossbuild.ConfigurationException.Setting;
import dev.sark.crossbuild.TargetMatrix;
import dev.sark.crossbuild.TargetSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The core says what is wrong; the goals say where the pom wrote it and what to write instead. */
class ConfigurationErrorsTest {

    @Test
    void aTargetsSettingIsWordedAsThePomWroteItWithTheFix() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> TargetSpec.builder("x86_64-unknown-linux-musl").glibcFloor("2.17").build());

        assertEquals("Configuration error, nothing was built: target x86_64-unknown-linux-musl:"
                + " <glibcFloor>2.17</glibcFloor> does not apply: the target does not link glibc\n"
                + "  fix: give a linux-gnu <target> a <glibcFloor> such as 2.17, and no other target one",
                ConfigurationErrors.describe(e));
    }

    @Test
    void aCommandLinePropertyIsWordedAsAProperty() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> TargetMatrix.resolve(List.of(), ",", "x86_64-unknown-linux-gnu"));

        String worded = ConfigurationErrors.describe(e);
        assertTrue(worded.startsWith("Configuration error, nothing was built: -Dsark.targets=',' names no target"), worded);
        assertTrue(worded.contains("fix: name triples separated by commas"), worded);
    }

    @Test
    void everySettingHasAPomSpellingAndARemedyInPomTerms() {
        for (Setting setting : Setting.values()) {
            String written = ConfigurationErrors.written(setting, "v");
            assertTrue(written.contains("<") || written.contains("-Dsark."), setting + ": " + written);
            String remedy = ConfigurationErrors.remedy(setting);
            assertTrue(remedy.contains("<") || remedy.contains("-Dsark."), setting + ": " + remedy);
        }
    }

    @Test
    void theCoresOwnMessageNamesNoPomElement() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> TargetSpec.builder("x86_64-apple-darwin").macosMinimum("ten").build());

        assertEquals("target x86_64-apple-darwin: macos minimum 'ten' is not a macOS version such as 10.12 or 11.0",
                e.getMessage());
    }
}
