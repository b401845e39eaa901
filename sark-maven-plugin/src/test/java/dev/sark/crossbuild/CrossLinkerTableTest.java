package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sark.loader.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The per-target linker table ({@link Suggestions#crossLinker}: linker program and Debian package) is the one
 * source: the build's fixes and the doctor read it, and this test holds the installer, the GitHub workflow and
 * the user guide to it, for every target of SARK's matrix that links through a GCC cross linker.
 */
class CrossLinkerTableTest {
    private static final Path ROOT = Path.of("..");
    /** The matrix targets whose libraries may be linked by a GCC cross linker (zig links the others). */
    private static final List<String> LINKED_BY_GCC = List.of("aarch64-unknown-linux-gnu",
            "armv7-unknown-linux-gnueabihf", "x86_64-unknown-linux-musl", "x86_64-pc-windows-gnu");

    private static Suggestions.Linker linker(String triple) {
        return Suggestions.crossLinker(TargetSpec.builder(triple).build().platform())
                .orElseThrow(() -> new AssertionError("no linker in the table for " + triple));
    }

    @Test
    void theInstallerInstallsEveryLinkerPackageOfTheTable() throws IOException {
        String installer = Files.readString(ROOT.resolve("scripts/install-toolchains.sh"));
        for (String triple : LINKED_BY_GCC) {
            String pkg = linker(triple).debianPackage();
            assertTrue(Pattern.compile("apt_install[^\\n]*\\s" + Pattern.quote(pkg) + "(\\s|$)", Pattern.MULTILINE)
                    .matcher(installer).find(), "install-toolchains.sh installs no " + pkg + " for " + triple);
        }
    }

    @Test
    void theWorkflowsAptPackagesAreTheTablesForTheirTarget() throws IOException {
        String workflow = Files.readString(ROOT.resolve(".github/workflows/natives.yml"));
        Matcher row = Pattern.compile("target: (\\S+?),[^\\n]*apt: (\\S+) \\}").matcher(workflow);
        int rows = 0;
        while (row.find()) {
            rows++;
            assertEquals(linker(row.group(1)).debianPackage(), row.group(2), "natives.yml, " + row.group(1));
        }
        assertTrue(rows > 0, "natives.yml installs no cross linker at all: the pattern no longer matches its rows");
    }

    @Test
    void theGuideNamesEveryLinkerProgramOfTheTable() throws IOException {
        String guide = Files.readString(ROOT.resolve("docs/cross-compilation.md"));
        for (String triple : LINKED_BY_GCC) {
            String program = linker(triple).program();
            assertTrue(guide.contains(program), "docs/cross-compilation.md does not name " + program + " for " + triple);
        }
    }

    @Test
    void targetsZigLinksHaveNoGccLinkerToSuggest() {
        for (String triple : List.of("aarch64-unknown-linux-musl", "x86_64-unknown-freebsd", "x86_64-apple-darwin")) {
            Platform platform = TargetSpec.builder(triple).build().platform();
            assertTrue(Suggestions.crossLinker(platform).isEmpty(), triple);
        }
    }
}
