package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildContextTest {
    @TempDir
    Path tmp;

    private CrateInfo crate;

    @BeforeEach
    void setUp() throws IOException {
        crate = CrateInfo.read(TestSupport.writeCdylibCrate(tmp.resolve("crate"), "sark-demo"));
    }

    @Test
    void blankProfileIsRelease() {
        assertEquals("release", new BuildContext(crate, tmp, null, false, false, true).profile());
        assertEquals("release", new BuildContext(crate, tmp, " ", false, false, true).profile());
        assertEquals("dev", new BuildContext(crate, tmp, " dev ", false, false, true).profile());
    }

    @Test
    void cargoTargetDirIsMadeAbsolute() {
        assertEquals(Path.of("rel/t").toAbsolutePath().normalize(),
                new BuildContext(crate, Path.of("rel/./t"), "release", false, false, true).cargoTargetDir());
    }
}
