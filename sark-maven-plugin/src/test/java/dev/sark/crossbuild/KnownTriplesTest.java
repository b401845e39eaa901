package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KnownTriplesTest {
    private final KnownTriples known = new KnownTriples(Set.of("x86_64-unknown-linux-gnu", "x86_64-unknown-linux-musl",
            "aarch64-unknown-linux-gnu", "x86_64-apple-darwin", "aarch64-apple-darwin", "s390x-unknown-linux-gnu"));

    @Test
    void aTypoIsRefusedBeforeAnythingIsBuiltWithTheNearestTriple() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> known.requireKnown(List.of(
                "aarch64-unknown-linux-gnu",
                "x86_64-unknown-linux-gnux",
                "aarch46-unknown-linux-musl")));
        assertEquals(ConfigurationException.Setting.TARGETS, e.setting());
        assertTrue(e.problem().contains("\n  - 'x86_64-unknown-linux-gnux' is not a target triple rustc knows; did you"
                + " mean x86_64-unknown-linux-gnu?"), e.getMessage());
        assertTrue(e.problem().contains("\n  - 'aarch46-unknown-linux-musl'"), "every unknown triple at once: " + e.getMessage());
        assertFalse(e.problem().contains("'aarch64-unknown-linux-gnu'"), "known triples pass: " + e.getMessage());
        assertTrue(e.problem().contains("rustc --print target-list"), e.getMessage());
    }

    @Test
    void universal2AndRealTriplesPass() {
        known.requireKnown(List.of("x86_64-apple-darwin",
                "universal2-apple-darwin"));
    }

    @Test
    void somethingFarFromEveryTripleGetsNoGuess() {
        BuildException e = assertThrows(BuildException.class,
                () -> known.requireKnown(List.of("linux")));
        assertTrue(!e.getMessage().contains("did you mean"), e.getMessage());
    }

    @Test
    void editDistance() {
        assertEquals(1, KnownTriples.distance("gnux", "gnu"));
        assertEquals(2, KnownTriples.distance("aarch46", "aarch64"));
        assertEquals(0, KnownTriples.distance("same", "same"));
    }
}
