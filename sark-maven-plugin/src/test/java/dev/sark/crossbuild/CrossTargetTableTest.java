package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sark.loader.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The per-target table ({@link CrossTargetTable}: GCC cross linker, its Debian package, the Debian
 * architecture of the packaged standard library) is the one source: the build's fixes and the doctor read
 * it, and this test holds the installer, the GitHub workflow and the user guide to it, for every target of
 * SARK's matrix that links through a GCC cross linker.
 */
class CrossTargetTableTest {
    private static final Path ROOT = Path.of("..");
    /** The matrix targets whose libraries may be linked by a GCC cross linker (zig links the others). */
    private static final List<String> LINKED_BY_GCC = List.of("aarch64-unknown-linux-gnu",
            "armv7-unknown-linux-gnueabihf", "x86_64-unknown-linux-musl", "x86_64-pc-windows-gnu");

    private static CrossTargetTable.Entry entry(String triple) {
        return CrossTargetTable.of(Platform.fromTriple(triple))
                .orElseThrow(() -> new AssertionError("no entry in the table for " + triple));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
        "aarch64-unknown-linux-gnu, aarch64-linux-gnu-gcc, gcc-aarch64-linux-gnu, arm64",
        "armv7-unknown-linux-gnueabihf, arm-linux-gnueabihf-gcc, gcc-arm-linux-gnueabihf, armhf",
        "arm-unknown-linux-gnueabi, arm-linux-gnueabi-gcc, gcc-arm-linux-gnueabi, armel",
        "x86_64-pc-windows-gnu, x86_64-w64-mingw32-gcc, gcc-mingw-w64-x86-64, -",
        "x86_64-unknown-linux-musl, musl-gcc, musl-tools, -",
        "x86_64-unknown-linux-gnu, x86_64-linux-gnu-gcc, gcc-x86-64-linux-gnu, amd64",
    })
    void entriesOfKnownTargets(String triple, String linker, String linkerPackage, String debianArch) {
        assertEquals(new CrossTargetTable.Entry(linker, linkerPackage, debianArch), entry(triple));
    }

    @ParameterizedTest
    @ValueSource(strings = {"aarch64-unknown-linux-musl", "x86_64-pc-windows-msvc", "aarch64-apple-darwin",
        "x86_64-unknown-freebsd"})
    void noEntryWhereDebianHasNoCrossLinker(String triple) {
        assertEquals(Optional.empty(), CrossTargetTable.of(Platform.fromTriple(triple)));
    }

    @Test
    void theInstallerInstallsEveryLinkerPackageOfTheTable() throws IOException {
        String installer = Files.readString(ROOT.resolve("scripts/install-toolchains.sh"));
        for (String triple : LINKED_BY_GCC) {
            String pkg = entry(triple).linkerPackage();
            assertTrue(Pattern.compile("apt_install[^\\n]*\\s" + Pattern.quote(pkg) + "(\\s|$)", Pattern.MULTILINE)
                    .matcher(installer).find(), "install-toolchains.sh installs no " + pkg + " for " + triple);
        }
    }

    @Test
    void theInstallersForeignArchitecturesServeTheTargetsOfTheTable() throws IOException {
        String installer = Files.readString(ROOT.resolve("scripts/install-toolchains.sh"));
        Matcher arches = Pattern.compile("FOREIGN_ARCHES=\\(([^)]*)\\)").matcher(installer);
        assertTrue(arches.find(), "install-toolchains.sh has no FOREIGN_ARCHES");
        List<String> foreign = List.of(arches.group(1).trim().split("\\s+"));
        assertTrue(!foreign.isEmpty());
        for (String arch : foreign) {
            Matcher mapping = Pattern.compile("\\n\\s+" + Pattern.quote(arch) + "\\) echo (\\S+) ;;").matcher(installer);
            assertTrue(mapping.find(), "foreign_triple maps no target for " + arch);
            assertEquals(arch, entry(mapping.group(1)).debianArch(), "install-toolchains.sh, " + arch);
        }
    }

    @Test
    void theWorkflowsAptPackagesAreTheTablesForTheirTarget() throws IOException {
        String workflow = Files.readString(ROOT.resolve(".github/workflows/natives.yml"));
        Matcher row = Pattern.compile("target: (\\S+?),[^\\n]*apt: (\\S+) \\}").matcher(workflow);
        int rows = 0;
        while (row.find()) {
            rows++;
            assertEquals(entry(row.group(1)).linkerPackage(), row.group(2), "natives.yml, " + row.group(1));
        }
        assertTrue(rows > 0, "natives.yml installs no cross linker at all: the pattern no longer matches its rows");
    }

    @Test
    void theGuidesTableIsTheTable() throws IOException {
        String guide = Files.readString(ROOT.resolve("docs/cross-compilation.md"));
        List<String> missing = new ArrayList<>();
        for (String triple : LINKED_BY_GCC) {
            CrossTargetTable.Entry e = entry(triple);
            String row = "| " + triple + " | `" + e.linker() + "` | `" + e.linkerPackage() + "` | "
                    + (e.debianArch() == null ? "-" : "`libstd-rust-web-dev:" + e.debianArch() + "`") + " |";
            if (!guide.contains(row)) {
                missing.add(row);
            }
        }
        assertEquals(List.of(), missing, "docs/cross-compilation.md lacks these rows of the table");
    }
}
