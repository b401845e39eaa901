package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TargetMatrixTest {
    private static final String HOST = "x86_64-unknown-linux-gnu";
    private static final String AARCH64 = "aarch64-unknown-linux-gnu";
    private static final String ARMV7 = "armv7-unknown-linux-gnueabihf";

    private static List<String> triples(List<TargetSpec> specs) {
        return specs.stream().map(TargetSpec::triple).collect(Collectors.toList());
    }

    private static TargetSpec aarch64WithSettings() {
        return TargetSpec.builder(AARCH64)
                .strategy(StrategyKind.CARGO)
                .rustupToolchain("debian")
                .linker("aarch64-linux-gnu-gcc")
                .classifier("linux-aarch_64-custom")
                .rustflags("-C target-cpu=cortex-a72")
                .env(Map.of("CC_aarch64_unknown_linux_gnu", "aarch64-linux-gnu-gcc"))
                .optional(true)
                .build();
    }

    @Test
    void emptyMatrixWithoutOverrideBuildsTheHostAlone() {
        List<TargetSpec> resolved = TargetMatrix.resolve(List.of(), null, HOST);

        assertEquals(List.of(HOST), triples(resolved));
        TargetSpec host = resolved.get(0);
        assertEquals("linux-x86_64", host.classifier());
        assertEquals(StrategyKind.AUTO, host.strategy());
        assertNull(host.linker());
    }

    @Test
    void blankOverrideCountsAsNoOverride() {
        assertEquals(List.of(HOST), triples(TargetMatrix.resolve(List.of(), "   ", HOST)));
        List<TargetSpec> declared = List.of(aarch64WithSettings(), TargetSpec.builder(HOST).build());
        assertEquals(declared, TargetMatrix.resolve(declared, "", HOST));
    }

    @Test
    void declaredMatrixIsKeptInOrderWithoutOverride() {
        TargetSpec a = aarch64WithSettings();
        TargetSpec h = TargetSpec.builder(HOST).build();
        List<TargetSpec> resolved = TargetMatrix.resolve(List.of(a, h), null, HOST);
        assertEquals(List.of(AARCH64, HOST), triples(resolved));
        assertSame(a, resolved.get(0));
    }

    @Test
    void overrideReplacesTheMatrixAndKeepsADeclaredTargetsSettings() {
        TargetSpec declaredAarch64 = aarch64WithSettings();
        List<TargetSpec> declared = List.of(TargetSpec.builder(HOST).linker("cc").build(), declaredAarch64);

        List<TargetSpec> resolved = TargetMatrix.resolve(declared, AARCH64 + "," + ARMV7, HOST);

        // the host was declared but not named: the override replaces the matrix
        assertEquals(List.of(AARCH64, ARMV7), triples(resolved));
        TargetSpec a = resolved.get(0);
        assertEquals("aarch64-linux-gnu-gcc", a.linker());
        assertEquals("debian", a.rustupToolchain());
        assertEquals("linux-aarch_64-custom", a.classifier());
        assertEquals("-C target-cpu=cortex-a72", a.rustflags());
        assertEquals(StrategyKind.CARGO, a.strategy());
        assertEquals(Map.of("CC_aarch64_unknown_linux_gnu", "aarch64-linux-gnu-gcc"), a.env());
        assertTrue(a.optional());
        // a triple the pom does not declare gets the defaults
        TargetSpec arm = resolved.get(1);
        assertNull(arm.linker());
        assertEquals("linux-arm_32", arm.classifier());
        assertEquals(StrategyKind.AUTO, arm.strategy());
    }

    @Test
    void hostKeywordStandsForTheMachinesTriple() {
        assertEquals(List.of(HOST, AARCH64), triples(TargetMatrix.resolve(List.of(), "host," + AARCH64, HOST)));

        TargetSpec declaredHost = TargetSpec.builder(HOST).linker("my-cc").classifier("linux-x86_64-fast").build();
        List<TargetSpec> resolved = TargetMatrix.resolve(List.of(declaredHost, aarch64WithSettings()), "host", HOST);
        assertEquals(List.of(HOST), triples(resolved));
        assertEquals("my-cc", resolved.get(0).linker());
        assertEquals("linux-x86_64-fast", resolved.get(0).classifier());
    }

    @Test
    void hostKeywordWithUnknownHostFails() {
        BuildException e = assertThrows(BuildException.class,
                () -> TargetMatrix.resolve(List.of(aarch64WithSettings()), "host", null));
        assertTrue(e.getMessage().contains("rustc -vV"), e.getMessage());
    }

    @Test
    void blankItemsAreIgnoredAndItemsTrimmed() {
        List<TargetSpec> resolved = TargetMatrix.resolve(List.of(aarch64WithSettings()),
                " , " + AARCH64 + " ,, ,\t" + HOST + " , ", HOST);
        assertEquals(List.of(AARCH64, HOST), triples(resolved));
        assertEquals("aarch64-linux-gnu-gcc", resolved.get(0).linker(), "trimmed item still finds the declared target");
    }

    @Test
    void aTripleDeclaredTwiceIsRejected() {
        List<TargetSpec> declared = List.of(TargetSpec.builder(AARCH64).build(), TargetSpec.builder(HOST).build(),
                TargetSpec.builder(AARCH64).linker("x").build());
        BuildException e = assertThrows(BuildException.class, () -> TargetMatrix.resolve(declared, null, HOST));
        assertTrue(e.getMessage().contains(AARCH64), e.getMessage());
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
        // also when an override would not even pick it
        assertThrows(BuildException.class, () -> TargetMatrix.resolve(declared, HOST, HOST));
    }

    @Test
    void overrideNamingNoTripleIsRejected() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> TargetMatrix.resolve(List.of(aarch64WithSettings()), " , ,, ", HOST));
        assertEquals(ConfigurationException.Setting.TARGET_SELECTION, e.setting());
        assertEquals(" , ,, ", e.value());
        assertTrue(e.problem().contains("names no target"), e.getMessage());
    }

    @Test
    void unknownHostWithEmptyMatrixFailsWithAUsefulMessage() {
        BuildException e = assertThrows(BuildException.class, () -> TargetMatrix.resolve(List.of(), null, null));
        String m = e.getMessage();
        assertTrue(m.contains("rustc -vV"), m);
        assertTrue(m.contains("rustup"), m);
        assertTrue(m.contains("<targets>"), m);
    }

    @Test
    void unknownHostDoesNotMatterWhenTheMatrixIsDeclared() {
        assertEquals(List.of(AARCH64), triples(TargetMatrix.resolve(List.of(aarch64WithSettings()), null, null)));
        assertEquals(List.of(ARMV7), triples(TargetMatrix.resolve(List.of(), ARMV7, null)));
    }

    @Test
    void overrideWithAnInvalidTripleNamesIt() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> TargetMatrix.resolve(List.of(), "sparc-sun-solaris", HOST));
        assertEquals(ConfigurationException.Setting.TARGETS, e.setting());
        assertEquals("sparc-sun-solaris", e.value());
    }

    private static final String MAC_X86 = "x86_64-apple-darwin";
    private static final String MAC_ARM = "aarch64-apple-darwin";
    private static final String UNIVERSAL = "universal2-apple-darwin";

    @Test
    void aUniversalTargetDeclaredFirstMovesAfterItsSlices() {
        TargetSpec universal = TargetSpec.builder(UNIVERSAL).build();
        List<TargetSpec> declared = List.of(universal, TargetSpec.builder(MAC_ARM).build(), TargetSpec.builder(HOST).build(),
                TargetSpec.builder(MAC_X86).build());

        List<TargetSpec> resolved = TargetMatrix.resolve(declared, null, HOST);

        assertEquals(List.of(MAC_ARM, HOST, MAC_X86, UNIVERSAL), triples(resolved));
        assertSame(universal, resolved.get(3));
    }

    @Test
    void missingSlicesAreAddedWithTheUniversalTargetsOptionality() {
        List<TargetSpec> resolved = TargetMatrix.resolve(
                List.of(TargetSpec.builder(UNIVERSAL).optional(true).build(), TargetSpec.builder(MAC_ARM).build()), null, HOST);

        assertEquals(List.of(MAC_ARM, MAC_X86, UNIVERSAL), triples(resolved));
        assertTrue(resolved.get(1).optional(), "an added slice is as optional as the universal target");
        assertEquals(false, resolved.get(0).optional(), "a declared slice keeps its own settings");
        assertEquals(List.of(MAC_X86, MAC_ARM, UNIVERSAL), triples(TargetMatrix.resolve(List.of(), UNIVERSAL, HOST)),
                "-Dsark.targets=universal2-apple-darwin alone builds both slices first");
    }
}
