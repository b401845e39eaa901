package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RustVersionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1.95                                                              | 1.95.0",
        "1.95.0                                                            | 1.95.0",
        "1                                                                 | ",
        "rustc 1.96.0 (ac68faa20 2026-05-25) (built from a source tarball) | 1.96.0",
        "rustc 1.97.0-nightly (e50aa6fba 2026-05-19)                       | 1.97.0",
        "rustc 1.100.2                                                     | 1.100.2",
        "unknown                                                           | ",
    })
    void parsesRustVersionValuesAndRustcLines(String text, String expected) {
        assertEquals(Optional.ofNullable(expected), RustVersion.parse(text).map(RustVersion::toString));
    }

    @ParameterizedTest
    @CsvSource({
        "rustc 1.85.0 (4d91de4e4 2025-02-17), 1.95",
        "rustc 1.95.0 (59807616e 2026-04-14), 1.95.1",
        "rustc 1.99.0, 1.100",
    })
    void olderCompilers(String rustc, String rustVersion) {
        assertTrue(RustVersion.olderThan(rustc, rustVersion));
    }

    @ParameterizedTest
    @CsvSource({
        "rustc 1.95.0 (59807616e 2026-04-14), 1.95",
        "rustc 1.95.0 (59807616e 2026-04-14), 1.95.0",
        "rustc 1.96.0 (ac68faa20 2026-05-25), 1.95",
        "rustc 1.95.0-nightly (e50aa6fba 2026-03-01), 1.95",
        "rustc 1.100.0, 1.99",
        // unknown on either side: no verdict, cargo decides
        "unknown, 1.95",
        "rustc 1.85.0,",
    })
    void compilersThatAreNotOlder(String rustc, String rustVersion) {
        assertFalse(RustVersion.olderThan(rustc, rustVersion));
    }
}
