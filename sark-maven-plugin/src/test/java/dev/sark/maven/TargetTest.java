package dev.sark.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sark.crossbuild.StrategyKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetTest {

    @Test
    void strategyNamesHowToBuildAndToolchainIsItsDeprecatedAlias() {
        Target t = new Target("aarch64-unknown-linux-gnu");
        t.setStrategy("zigbuild");
        assertEquals(StrategyKind.ZIGBUILD, t.toSpec().strategy());
        assertTrue(t.deprecation().isEmpty());

        Target old = new Target("aarch64-unknown-linux-gnu");
        old.setToolchain("build-std");
        assertEquals(StrategyKind.BUILD_STD, old.toSpec().strategy());
        assertTrue(old.deprecation().orElseThrow().contains("write <strategy>build-std</strategy>"));

        old.setStrategy("cargo");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, old::toSpec);
        assertTrue(e.getMessage().contains("disagree"), e.getMessage());
    }

    @Test
    void debugOutputShowsTheTripleAndEverySettingGiven() {
        Target t = new Target("x86_64-unknown-linux-musl");
        t.setStrategy("build-std");
        t.setOptional(true);
        t.setCargoArgs(List.of("-v"));
        assertEquals("x86_64-unknown-linux-musl {strategy=build-std, optional=true, cargoArgs=[-v]}", t.toString());
        assertEquals("x86_64-unknown-linux-gnu", new Target("x86_64-unknown-linux-gnu").toString());
    }
}
