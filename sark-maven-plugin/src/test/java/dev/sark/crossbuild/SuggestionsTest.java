package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sark.loader.Platform;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SuggestionsTest {
    private static final Platform AARCH64 = Platform.fromTriple("aarch64-unknown-linux-gnu");

    /** A line of real tool output, the target it came from, and what its fix must say. */
    static Stream<Arguments> triggers() {
        return Stream.of(
                Arguments.of("error: linking with `cc` failed: exit status: 1", "aarch64-unknown-linux-gnu",
                        List.of("<linker>", "aarch64-linux-gnu-gcc from gcc-aarch64-linux-gnu", "zigbuild",
                                "aarch64-unknown-linux-gnu")),
                Arguments.of("  = note: /usr/bin/ld: cannot find -lc: No such file or directory",
                        "aarch64-unknown-linux-gnu", List.of("C library", "aarch64-linux-gnu-gcc", "zigbuild")),
                Arguments.of("/usr/bin/ld: cannot find crt1.o: No such file or directory", "aarch64-unknown-linux-gnu",
                        List.of("crt1.o", "aarch64-unknown-linux-gnu", "zigbuild")),
                Arguments.of("undefined reference to `__stack_chk_fail'", "x86_64-unknown-linux-musl",
                        List.of("-C target-feature=-crt-static", "zigbuild")),
                Arguments.of("error: cannot produce cdylib for `sark-demo v0.1.0` as the target"
                                + " `x86_64-unknown-linux-musl` does not support these crate types",
                        "x86_64-unknown-linux-musl", List.of("<rustflags>-C target-feature=-crt-static</rustflags>")),
                Arguments.of("error[E0463]: can't find crate for `std`", "s390x-unknown-linux-gnu",
                        List.of("rustup target add s390x-unknown-linux-gnu", "build-std")),
                Arguments.of("  = note: the `s390x-unknown-linux-gnu` target may not be installed",
                        "s390x-unknown-linux-gnu", List.of("rustup target add s390x-unknown-linux-gnu")),
                Arguments.of("error: linker `cc` not found", "x86_64-unknown-linux-gnu",
                        List.of("build-essential", "<linker>")),
                Arguments.of("error: failed to run custom build command for `ring v0.17.8`", "aarch64-unknown-linux-gnu",
                        List.of("CC_aarch64_unknown_linux_gnu", "<env>")),
                Arguments.of("error: no matching package named `regorus` found", "x86_64-unknown-linux-gnu",
                        List.of("cargo fetch")),
                Arguments.of("error: failed to download: attempting to make an HTTP request, but --offline was specified",
                        "x86_64-unknown-linux-gnu", List.of("offline", "cargo fetch")),
                Arguments.of("error: no such command: `zigbuild`", "x86_64-unknown-linux-musl",
                        List.of("pip install ziglang cargo-zigbuild")),
                Arguments.of("error: toolchain 'debian' is not installed", "aarch64-unknown-linux-gnu",
                        List.of("rustup toolchain install", "rustup toolchain link")),
                Arguments.of("error: package `regorus v0.5.0` cannot be built because it requires rustc 1.88 or newer",
                        "aarch64-unknown-linux-gnu", List.of("rust-version", "<rustupToolchain>")));
    }

    @ParameterizedTest
    @MethodSource("triggers")
    void eachKnownFailureMapsToItsFix(String line, String triple, List<String> expected) {
        List<String> fixes = Suggestions.forOutput(
                List.of("   Compiling sark-demo v0.1.0", line, "error: could not compile `sark-demo`"),
                Platform.fromTriple(triple));

        assertEquals(1, fixes.size(), "exactly one fix for: " + line + " -> " + fixes);
        for (String e : expected) {
            assertTrue(fixes.get(0).contains(e), "fix for '" + line + "' should mention " + e + ": " + fixes.get(0));
        }
        assertFalse(fixes.get(0).contains("{"), "placeholders are filled: " + fixes.get(0));
    }

    @Test
    void matchingIgnoresCase() {
        assertEquals(Suggestions.forOutput(List.of("error: linking with `cc` failed"), AARCH64),
                Suggestions.forOutput(List.of("ERROR: LINKING WITH `CC` FAILED"), AARCH64));
    }

    @Test
    void linkerPlaceholderFallsBackWhenNoCrossLinkerIsKnown() {
        List<String> fixes = Suggestions.forOutput(List.of("error: linking with `cc` failed: exit status: 1"),
                Platform.fromTriple("aarch64-apple-darwin"));
        assertTrue(fixes.get(0).contains("a cross linker"), fixes.get(0));
    }

    @Test
    void unknownOutputGivesNoFix() {
        assertEquals(List.of(), Suggestions.forOutput(
                List.of("error[E0308]: mismatched types", "error: could not compile `x`"), AARCH64));
        assertEquals(List.of(), Suggestions.forOutput(List.of(), AARCH64));
    }

    @Test
    void fixesAreNotRepeated() {
        List<String> output = List.of(
                "error[E0463]: can't find crate for `std`",
                "  = note: the `aarch64-unknown-linux-gnu` target may not be installed",
                "error[E0463]: can't find crate for `std`",
                "error: linking with `cc` failed: exit status: 1",
                "error: linking with `cc` failed: exit status: 1",
                "/usr/bin/ld: cannot find -lc");

        List<String> fixes = Suggestions.forOutput(output, AARCH64);

        assertEquals(fixes.size(), new HashSet<>(fixes).size(), "no duplicates: " + fixes);
        // std (two triggers, one sentence), linking, -lc
        assertEquals(3, fixes.size(), fixes.toString());
        assertEquals(1, fixes.stream().filter(f -> f.contains("rustup target add")).count(), fixes.toString());
    }

    @Test
    void missingStandardLibraryNamesTheToolchain() {
        String dflt = Suggestions.missingStandardLibrary("s390x-unknown-linux-gnu", null);
        assertTrue(dflt.contains("`rustup target add s390x-unknown-linux-gnu`"), dflt);
        assertTrue(dflt.contains("(default)"), dflt);
        String named = Suggestions.missingStandardLibrary("s390x-unknown-linux-gnu", "stable");
        assertTrue(named.contains("`rustup +stable target add s390x-unknown-linux-gnu`"), named);
    }

    @Test
    void missingLinkerMessages() {
        String unset = Suggestions.missingLinker(Platform.fromTriple("armv7-unknown-linux-gnueabihf"), null);
        assertTrue(unset.contains("<linker>arm-linux-gnueabihf-gcc</linker>"), unset);
        assertTrue(unset.contains("apt-get install gcc-arm-linux-gnueabihf"), unset);

        String knownButAbsent = Suggestions.missingLinker(AARCH64, "aarch64-linux-gnu-gcc");
        assertTrue(knownButAbsent.contains("apt-get install gcc-aarch64-linux-gnu"), knownButAbsent);

        String customAbsent = Suggestions.missingLinker(AARCH64, "/opt/cross/bin/cc");
        assertTrue(customAbsent.contains("'/opt/cross/bin/cc' is not on the PATH"), customAbsent);
        assertFalse(customAbsent.contains("apt-get"), "no package advice for a linker we do not know: " + customAbsent);
    }

    @Test
    void missingLinkerWithoutAKnownCrossLinkerMentionsZigbuildOnce() {
        String m = Suggestions.missingLinker(Platform.fromTriple("aarch64-apple-darwin"), null);
        assertEquals(1, m.split("<strategy>zigbuild</strategy>", -1).length - 1, m);
    }

    @Test
    void toolchainTooOldNamesTheToolchainItsVersionTheRequiredVersionAndTheFix() {
        String m = Suggestions.toolchainTooOld("sark-debian", "rustc 1.85.0 (4d91de4e4 2025-02-17)", "1.95", "sark-opa-native");
        for (String part : List.of("toolchain sark-debian is rustc 1.85.0 (4d91de4e4 2025-02-17)",
                "older than rust-version 1.95 of sark-opa-native", "scripts/install-toolchains.sh", "`rustup update`",
                "<rustupToolchain>")) {
            assertTrue(m.contains(part), "should say '" + part + "': " + m);
        }
        assertTrue(Suggestions.toolchainTooOld(null, "rustc 1.94.0", "1.95", "x").startsWith("toolchain (default) is"));
    }

    @Test
    void exitCode137IsExplainedAsKilledMostLikelyOutOfMemory() {
        assertTrue(Suggestions.exitCodeMeaning(137).orElseThrow().contains("out of memory"));
        assertTrue(Suggestions.exitCodeMeaning(143).orElseThrow().contains("cancelled"));
        assertTrue(Suggestions.exitCodeMeaning(101).isEmpty(), "cargo's own failure code needs no explanation");
    }
}
