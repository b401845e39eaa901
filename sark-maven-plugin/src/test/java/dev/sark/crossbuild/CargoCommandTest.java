package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sark.crossbuild.check.GlibcFloor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CargoCommandTest {
    private static final String GNU = "aarch64-unknown-linux-gnu";

    @TempDir
    Path tmp;

    private BuildContext context(CargoOptions options) throws Exception {
        CrateInfo crate = CrateInfo.read(TestSupport.writeCdylibCrate(tmp.resolve("c"), "demo"));
        Files.writeString(tmp.resolve("c/Cargo.lock"), "version = 4\n");
        return new BuildContext(crate, tmp.resolve("t"), "release", false, true, true).withCargoOptions(options);
    }

    @Test
    void zigbuildWithAGlibcFloorBuildStdFlagsAndThePomsArgumentsLast() throws Exception {
        BuildContext context = context(new CargoOptions(List.of("fast"), null, null, List.of("--config", "x=1")));
        TargetSpec target = TargetSpec.builder(GNU).glibcFloor("2.17")
                .cargoOptions(new CargoOptions(List.of("neon"), null, null, List.of())).build();

        List<String> args = CargoCommand.build("cargo", "sark-debian", target, context)
                .withFlags("-Zbuild-std=std,panic_unwind").withSubcommand("zigbuild").withGlibcFloor(GlibcFloor.parse("2.17")).arguments();

        assertEquals(List.of("cargo", "+sark-debian", "zigbuild", "--manifest-path", context.crate().manifest().toString(),
                "--target", GNU + ".2.17", "--target-dir", context.cargoTargetDir().toString(), "--profile", "release",
                "--lib", "--message-format=json-render-diagnostics", "--locked", "-Zbuild-std=std,panic_unwind", "--features", "fast,neon", "--config", "x=1"), args);
    }

    @Test
    void aMessageFormatInThePomsArgumentsIsRefusedBeforeCargoRefusesTwo() throws Exception {
        BuildContext context = context(CargoOptions.NONE);
        TargetSpec target = TargetSpec.builder(GNU)
                .cargoOptions(new CargoOptions(List.of(), null, null, List.of("--message-format=short"))).build();

        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> CargoCommand.build("cargo", null, target, context));

        assertEquals(ConfigurationException.Setting.CARGO_ARGUMENTS, e.setting());
        assertEquals(GNU, e.target());
        assertEquals("--message-format=short", e.value());
        CargoOptions testOnly = new CargoOptions(List.of(), null, null, List.of("--message-format=short"));
        List<String> test = CargoCommand.test("cargo", context(testOnly)).arguments();
        assertEquals("--message-format=short", test.get(test.size() - 1), "cargo test sets no format of its own, so the pom may");
    }

    @Test
    void noFloorMeansThePlainTripleAndTheTestCommandHasNoTargetProfileOrLib() throws Exception {
        BuildContext context = context(CargoOptions.NONE);
        assertEquals(GNU, argumentAfter("--target",
                CargoCommand.build("cross", null, TargetSpec.builder(GNU).build(), context).withGlibcFloor(null).arguments()));
        assertEquals(List.of("cargo", "test", "--manifest-path", context.crate().manifest().toString(), "--target-dir",
                context.cargoTargetDir().toString(), "--locked"), CargoCommand.test("cargo", context).arguments());
    }

    private static String argumentAfter(String flag, List<String> args) {
        return args.get(args.indexOf(flag) + 1);
    }
}
