package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CargoOptionsTest {

    @Test
    void theBuildsOptionsComeFirstAndATargetsOwnAreAdded() {
        CargoOptions build = new CargoOptions(List.of("serde, simd"), true, null, List.of("--config", "net.retry=5"));
        CargoOptions target = new CargoOptions(List.of("simd,arm-neon"), false, null, List.of("-v"));
        assertEquals(List.of("--features", "serde,simd,arm-neon", "--config", "net.retry=5", "-v"),
                build.with(target).arguments(), "the target's <noDefaultFeatures>false</noDefaultFeatures> wins");
        assertEquals(List.of("--features", "serde,simd", "--no-default-features", "--config", "net.retry=5"),
                build.with(CargoOptions.NONE).arguments());
    }

    @Test
    void contradictoryFeatureSwitchesAreAConfigurationError() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new CargoOptions(List.of(), true, true, List.of()));
        assertEquals(ConfigurationException.Setting.FEATURES, e.setting());
        assertTrue(e.problem().contains("all features") && e.problem().contains("no default features"), e.getMessage());
    }

    @Test
    void theyReachTheCargoCommandOfEveryStrategy() {
        TargetSpec t = TargetSpec.builder("x86_64-unknown-linux-gnu")
                .cargoOptions(new CargoOptions(List.of("fast"), null, true, List.of())).build();
        assertEquals(List.of("--features", "fast", "--all-features"), CargoOptions.NONE.with(t.cargoOptions()).arguments());
    }
}
