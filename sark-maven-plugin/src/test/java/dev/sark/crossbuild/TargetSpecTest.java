package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sark.loader.Platform;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TargetSpecTest {

    @ParameterizedTest
    @CsvSource({
        "x86_64-unknown-linux-gnu, linux-x86_64",
        "aarch64-unknown-linux-gnu, linux-aarch_64",
        "armv7-unknown-linux-gnueabihf, linux-arm_32",
        "x86_64-unknown-linux-musl, linux-x86_64-musl",
        "aarch64-unknown-linux-musl, linux-aarch_64-musl",
        "x86_64-unknown-freebsd, freebsd-x86_64",
        "x86_64-pc-windows-gnu, windows-x86_64",
        "x86_64-apple-darwin, osx-x86_64",
        "aarch64-apple-darwin, osx-aarch_64",
        "universal2-apple-darwin, osx-universal",
    })
    void defaultClassifierComesFromThePlatformMapping(String triple, String classifier) {
        TargetSpec spec = TargetSpec.builder(triple).build();
        assertEquals(classifier, spec.classifier());
        assertEquals(Platform.fromTriple(triple).classifier(), spec.classifier());
        assertEquals(triple, spec.triple());
    }

    @Test
    void customClassifierIsTrimmedAndKeepsThePlatform() {
        TargetSpec spec = TargetSpec.builder("aarch64-unknown-linux-gnu").classifier("  linux-aarch_64-debian.12 ").build();
        assertEquals("linux-aarch_64-debian.12", spec.classifier());
        assertEquals("linux-aarch_64", spec.platform().classifier());
    }

    @Test
    void blankClassifierMeansTheDefault() {
        assertEquals("linux-aarch_64", TargetSpec.builder("aarch64-unknown-linux-gnu").classifier("  ").build().classifier());
    }

    @ParameterizedTest
    @ValueSource(strings = {"linux x86", "linux/x86_64", "a:b", "linux-x86_64\u00e9", "a,b", "../x"})
    void classifierWithInvalidCharactersIsRejected(String classifier) {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> TargetSpec.builder("x86_64-unknown-linux-gnu").classifier(classifier).build());
        assertTrue(e.getMessage().contains("x86_64-unknown-linux-gnu"), e.getMessage());
        assertTrue(e.getMessage().contains(classifier.trim()), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {".", ".."})
    void classifierThatIsADotPathSegmentIsRejected(String classifier) {
        assertThrows(ConfigurationException.class,
                () -> TargetSpec.builder("x86_64-unknown-linux-gnu").classifier(classifier).build());
    }

    @Test
    void defaults() {
        TargetSpec spec = TargetSpec.builder("x86_64-unknown-linux-gnu").build();
        assertEquals(StrategyKind.AUTO, spec.strategy());
        assertNull(spec.rustupToolchain());
        assertNull(spec.linker());
        assertNull(spec.rustflags());
        assertTrue(spec.env().isEmpty());
        assertFalse(spec.optional());
    }

    @Test
    void blankSettingsBecomeNullAndOthersAreTrimmed() {
        TargetSpec spec = TargetSpec.builder("x86_64-unknown-linux-gnu")
                .rustupToolchain(" ").linker("\t").rustflags("").build();
        assertNull(spec.rustupToolchain());
        assertNull(spec.linker());
        assertNull(spec.rustflags());

        TargetSpec trimmed = TargetSpec.builder("x86_64-unknown-linux-gnu")
                .rustupToolchain(" stable ").linker(" cc ").rustflags(" -C opt-level=s ").build();
        assertEquals("stable", trimmed.rustupToolchain());
        assertEquals("cc", trimmed.linker());
        assertEquals("-C opt-level=s", trimmed.rustflags());
    }

    @Test
    void envIsCopiedAndUnmodifiable() {
        Map<String, String> env = new HashMap<>(Map.of("A", "1"));
        TargetSpec spec = TargetSpec.builder("x86_64-unknown-linux-gnu").env(env).env(null).build();
        env.put("B", "2");
        assertEquals(Map.of("A", "1"), spec.env());
        assertThrows(UnsupportedOperationException.class, () -> spec.env().put("C", "3"));
    }

    @Test
    void invalidTripleIsRejected() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> TargetSpec.builder("x86_64-linux").build());
        assertTrue(e.getMessage().contains("x86_64-linux"), e.getMessage());
    }

    @Test
    void glibcFloorIsAGlibcVersionForGlibcTargetsOnly() {
        assertEquals("2.17", TargetSpec.builder("aarch64-unknown-linux-gnu").glibcFloor(" 2.17 ").build().glibcFloor().toString());
        assertNull(TargetSpec.builder("aarch64-unknown-linux-gnu").glibcFloor(" ").build().glibcFloor());
        for (String bad : new String[] {"2", "2.x", "3.1", "GLIBC_2.17", "2.17.1"}) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> TargetSpec.builder("aarch64-unknown-linux-gnu").glibcFloor(bad).build(), bad);
            assertTrue(e.getMessage().contains("aarch64-unknown-linux-gnu"), e.getMessage());
        }
        for (String notGlibc : new String[] {"x86_64-unknown-linux-musl", "x86_64-pc-windows-gnu", "aarch64-apple-darwin"}) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> TargetSpec.builder(notGlibc).glibcFloor("2.17").build(), notGlibc);
            assertTrue(e.getMessage().contains(notGlibc), e.getMessage());
        }
    }

    @Test
    void toolchainCannotBeNull() {
        assertThrows(NullPointerException.class, () -> TargetSpec.builder("x86_64-unknown-linux-gnu").strategy(null));
    }

    @Test
    void macosMinimumDefaultsToRustsAndIsValidated() {
        assertEquals("10.12", TargetSpec.builder("x86_64-apple-darwin").build().macosMinimum());
        assertEquals("11.0", TargetSpec.builder("aarch64-apple-darwin").build().macosMinimum());
        assertEquals("10.15", TargetSpec.builder("x86_64-apple-darwin").macosMinimum(" 10.15 ").build().macosMinimum());
        assertEquals("12.0", TargetSpec.builder("aarch64-apple-darwin").macosMinimum("12.0").build().floors()
                .macosMinimum(Platform.Arch.AARCH_64));
        assertNull(TargetSpec.builder("universal2-apple-darwin").build().macosMinimum());
        assertNull(TargetSpec.builder("x86_64-unknown-linux-gnu").build().macosMinimum());
        assertTrue(assertThrows(ConfigurationException.class,
                () -> TargetSpec.builder("x86_64-apple-darwin").macosMinimum("ten").build()).getMessage()
                .contains("is not a macOS version such as 10.12 or 11.0"));
        assertTrue(assertThrows(ConfigurationException.class,
                () -> TargetSpec.builder("universal2-apple-darwin").macosMinimum("11.0").build()).getMessage()
                .contains("set it on x86_64-apple-darwin and aarch64-apple-darwin"));
        assertTrue(assertThrows(ConfigurationException.class,
                () -> TargetSpec.builder("x86_64-unknown-linux-gnu").macosMinimum("11.0").build()).getMessage()
                .contains("is not a macOS target"));
    }

    @Test
    void onlyTheUniversalMacTargetIsMergedFromSlices() {
        assertEquals(List.of("x86_64-apple-darwin", "aarch64-apple-darwin"),
                TargetSpec.builder("universal2-apple-darwin").build().slices());
        assertEquals(List.of(), TargetSpec.builder("aarch64-apple-darwin").build().slices());
        assertEquals(List.of(), TargetSpec.builder("x86_64-unknown-linux-gnu").build().slices());
    }
}
