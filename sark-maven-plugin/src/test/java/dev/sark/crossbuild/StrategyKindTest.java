package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class StrategyKindTest {

    @ParameterizedTest
    @CsvSource({
        "auto, AUTO",
        "cargo, CARGO",
        "' Cargo ', CARGO",
        "CROSS, CROSS",
        "zigbuild, ZIGBUILD",
        "build-std, BUILD_STD",
        "Build-Std, BUILD_STD",
    })
    void parsesThePomSpelling(String value, StrategyKind expected) {
        assertEquals(expected, StrategyKind.parse(value, "x86_64-unknown-linux-gnu"));
    }

    @Test
    void missingValueMeansAuto() {
        assertEquals(StrategyKind.AUTO, StrategyKind.parse(null, "x86_64-unknown-linux-gnu"));
        assertEquals(StrategyKind.AUTO, StrategyKind.parse("  ", "x86_64-unknown-linux-gnu"));
    }

    @ParameterizedTest
    @EnumSource(StrategyKind.class)
    void pomNameRoundTrips(StrategyKind kind) {
        assertEquals(kind, StrategyKind.parse(kind.pomName(), "x86_64-unknown-linux-gnu"));
        assertEquals(kind.pomName().toLowerCase(), kind.pomName());
    }

    @Test
    void buildStdPomNameUsesADash() {
        assertEquals("build-std", StrategyKind.BUILD_STD.pomName());
    }

    @Test
    void unknownNameNamesTheTargetAndListsEveryValidName() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> StrategyKind.parse("docker", "aarch64-unknown-linux-gnu"));
        String m = e.getMessage();
        assertTrue(m.contains("aarch64-unknown-linux-gnu"), m);
        assertTrue(m.contains("docker"), m);
        for (StrategyKind kind : StrategyKind.values()) {
            assertTrue(m.contains(kind.pomName()), "message lists " + kind.pomName() + ": " + m);
        }
    }
}
