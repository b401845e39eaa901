package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A users' linux-gnu library that needs a glibc newer than 2.17: a warning with the fix when no floor is
 * declared (the target still packages), an error when one is. Built with the host's cc, against its glibc.
 */
class GlibcAdviceTest {
    private static final String HOST = "x86_64-unknown-linux-gnu";

    @TempDir
    Path tmp;
    private final TestSupport.RecordingLog log = new TestSupport.RecordingLog();

    /** getrandom is GLIBC_2.25, newer than 2.17 on every glibc that has it. */
    private Path libraryNeedingGlibc225() throws Exception {
        assumeLinuxX86_64();
        Path source = Files.writeString(tmp.resolve("r.c"), "#include <sys/random.h>\n"
                + "long Java_dev_sark_Demo_r(void) { char b[4]; return getrandom(b, 4, 0); }\n");
        Path lib = tmp.resolve("libdemo.so");
        Process cc = new ProcessBuilder("cc", "-shared", "-fPIC", "-o", lib.toString(), source.toString())
                .inheritIO().start();
        assertEquals(0, cc.waitFor(), "cc failed");
        return lib;
    }

    private static void assumeLinuxX86_64() {
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
                && System.getProperty("os.arch").equals("amd64"), "needs an x86_64 Linux JVM and its cc");
    }

    private TargetResult pack(TargetSpec target, Path library) {
        TargetOutputs out = new TargetOutputs(tmp.resolve("out/demo.jar"), tmp.resolve("out/sark"));
        return new LibraryPackager("demo", true, log).pack(target, library, out, "cargo", 1, "rustc 1.0", "(1/1)");
    }

    @Test
    void noDeclaredFloorWarnsWithTheFixAndStillPackages() throws Exception {
        TargetResult r = pack(TargetSpec.builder(HOST).build(), libraryNeedingGlibc225());
        assertEquals(TargetResult.Status.BUILT, r.status(), r.detail());
        assertTrue(r.requirement().startsWith("glibc 2."), r.requirement());
        List<String> warnings = log.lines.stream().filter(l -> l.startsWith("WARN ")).toList();
        assertEquals(1, warnings.size(), log.lines.toString());
        assertTrue(warnings.get(0).contains("declare <glibcFloor>2.17</glibcFloor> on " + HOST
                + ", which makes the plugin build it with cargo-zigbuild"), warnings.get(0));
    }

    @Test
    void aDeclaredFloorMakesItAnError() throws Exception {
        TargetResult r = pack(TargetSpec.builder(HOST).glibcFloor("2.17").build(), libraryNeedingGlibc225());
        assertEquals(TargetResult.Status.FAILED, r.status());
        assertTrue(r.detail().contains("but the floor is 2.17"), r.detail());
        assertTrue(log.lines.stream().noneMatch(l -> l.startsWith("WARN ")), log.lines.toString());
    }

    @Test
    void aLibraryWithinTheRecommendedGlibcGetsNoWarning() throws Exception {
        assumeLinuxX86_64();
        Path source = Files.writeString(tmp.resolve("p.c"), "int Java_dev_sark_Demo_p(void) { return 1; }\n");
        Path lib = tmp.resolve("libdemo.so");
        Process cc = new ProcessBuilder("cc", "-shared", "-fPIC", "-nostdlib", "-o", lib.toString(),
                source.toString()).inheritIO().start();
        assertEquals(0, cc.waitFor(), "cc failed");
        TargetResult r = pack(TargetSpec.builder(HOST).build(), lib);
        assertEquals(TargetResult.Status.BUILT, r.status(), r.detail());
        assertEquals("-", r.requirement());
        assertTrue(log.lines.stream().noneMatch(l -> l.startsWith("WARN ")), log.lines.toString());
    }
}
