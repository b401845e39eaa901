package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BuildContextTest {
    @TempDir
    Path tmp;

    private CrateInfo crate;

    @BeforeEach
    void setUp() throws IOException {
        crate = CrateInfo.read(TestSupport.writeCdylibCrate(tmp.resolve("crate"), "sark-demo"));
    }

    @ParameterizedTest
    @CsvSource({"release, release", "dev, debug", "test, debug", "size-opt, size-opt"})
    void outputDirFollowsCargosProfileDirectories(String profile, String dir) {
        BuildContext ctx = new BuildContext(crate, tmp.resolve("t"), profile, false);
        TargetSpec t = TargetSpec.builder("aarch64-unknown-linux-gnu").build();
        assertEquals(tmp.resolve("t/aarch64-unknown-linux-gnu").resolve(dir), ctx.outputDir(t));
    }

    @Test
    void blankProfileIsRelease() {
        assertEquals("release", new BuildContext(crate, tmp, null, false).profile());
        assertEquals("release", new BuildContext(crate, tmp, " ", false).profile());
        assertEquals("dev", new BuildContext(crate, tmp, " dev ", false).profile());
    }

    @Test
    void libraryPathUsesThePlatformsFileName() {
        BuildContext ctx = new BuildContext(crate, tmp.resolve("t"), "release", false);
        assertEquals(tmp.resolve("t/x86_64-pc-windows-gnu/release/sark_demo.dll"),
                ctx.libraryPath(TargetSpec.builder("x86_64-pc-windows-gnu").build()));
        assertEquals(tmp.resolve("t/aarch64-apple-darwin/release/libsark_demo.dylib"),
                ctx.libraryPath(TargetSpec.builder("aarch64-apple-darwin").build()));
        assertEquals(tmp.resolve("t/x86_64-unknown-linux-gnu/release/libsark_demo.so"),
                ctx.libraryPath(TargetSpec.builder("x86_64-unknown-linux-gnu").build()));
    }

    @Test
    void cargoTargetDirIsMadeAbsolute() {
        assertEquals(Path.of("rel/t").toAbsolutePath().normalize(),
                new BuildContext(crate, Path.of("rel/./t"), "release", false).cargoTargetDir());
    }

    @Test
    void benchProfileIsWrittenToRelease() {
        BuildContext ctx = new BuildContext(crate, tmp.resolve("t"), "bench", false);
        assertEquals(tmp.resolve("t/x86_64-unknown-linux-gnu/release"),
                ctx.outputDir(TargetSpec.builder("x86_64-unknown-linux-gnu").build()));
    }
}
