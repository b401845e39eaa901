package dev.sark.maven;

import dev.sark.crossbuild.ConfigurationException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sark.crossbuild.TargetSpec;
import dev.sark.crossbuild.StrategyKind;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.junit.jupiter.api.Test;

/** Maven's configurator fills {@link CrossBuildMojo#targets} from a pom, and {@link Target#toSpec} validates it. */
@MojoTest
class CrossBuildMojoConfigurationTest {

    private static List<TargetSpec> specs(CrossBuildMojo mojo) throws IllegalAccessException {
        List<Target> targets = MojoExtension.getVariableValueFromObject(mojo, "targets");
        return targets.stream().map(Target::toSpec).collect(Collectors.toList());
    }

    @Test
    @InjectMojo(goal = "cross-build", pom = "src/test/resources/unit/cross-build-config/pom.xml")
    void shortAndLongFormTargetsConvertToTargetSpecs(CrossBuildMojo mojo) throws Exception {
        List<TargetSpec> specs = specs(mojo);

        assertEquals(List.of("x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu", "x86_64-unknown-linux-musl",
                "x86_64-pc-windows-gnu"), specs.stream().map(TargetSpec::triple).collect(Collectors.toList()));

        TargetSpec shortForm = specs.get(0);
        assertEquals("linux-x86_64", shortForm.classifier());
        assertEquals(StrategyKind.AUTO, shortForm.strategy());
        assertNull(shortForm.rustupToolchain());
        assertNull(shortForm.linker());
        assertNull(shortForm.rustflags());
        assertEquals(Map.of(), shortForm.env());
        assertFalse(shortForm.optional());

        TargetSpec longForm = specs.get(1);
        assertEquals(StrategyKind.CARGO, longForm.strategy());
        assertEquals("sark-debian", longForm.rustupToolchain());
        assertEquals("aarch64-linux-gnu-gcc", longForm.linker());
        assertEquals("linux-aarch_64-debian", longForm.classifier());
        assertEquals("linux-aarch_64", longForm.platform().classifier());
        assertEquals("-C target-cpu=cortex-a72", longForm.rustflags());
        assertEquals(Map.of("CC_aarch64_unknown_linux_gnu", "aarch64-linux-gnu-gcc", "SARK_FLAG", "on"), longForm.env());
        assertTrue(longForm.optional());

        // short form with the triple on its own line
        assertEquals("linux-x86_64-musl", specs.get(2).classifier());

        assertEquals(StrategyKind.BUILD_STD, specs.get(3).strategy());
        assertEquals("windows-x86_64", specs.get(3).classifier());
    }

    @Test
    @InjectMojo(goal = "cross-build", pom = "src/test/resources/unit/cross-build-config/pom.xml")
    void otherParametersTakeThePomOrTheirDefaults(CrossBuildMojo mojo) throws Exception {
        assertEquals("dev", MojoExtension.getVariableValueFromObject(mojo, "profile"));
        assertEquals(Boolean.FALSE, MojoExtension.getVariableValueFromObject(mojo, "skip"));
        assertNull(MojoExtension.getVariableValueFromObject(mojo, "targetsOverride"));
    }

    @Test
    @InjectMojo(goal = "cross-build", pom = "src/test/resources/unit/bad-toolchain/pom.xml")
    void unknownToolchainIsReportedWithTheTarget(CrossBuildMojo mojo) throws Exception {
        List<Target> targets = MojoExtension.getVariableValueFromObject(mojo, "targets");
        assertEquals(1, targets.size());
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> targets.get(0).toSpec());
        assertEquals("aarch64-unknown-linux-gnu", e.target());
        assertEquals("docker", e.value());
        String worded = ConfigurationErrors.describe(e);
        assertTrue(worded.startsWith("Configuration error, nothing was built: target aarch64-unknown-linux-gnu: <strategy>docker</strategy>"
                + " is not a strategy"), worded);
        assertTrue(worded.contains("\n  fix: write one of <strategy>auto</strategy>"), worded);
    }

    @Test
    void targetWithoutTripleIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Target().toSpec());
        assertTrue(e.getMessage().contains("<triple>"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Target("  ").toSpec());
    }
}
