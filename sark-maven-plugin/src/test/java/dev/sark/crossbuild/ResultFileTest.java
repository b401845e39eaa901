package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFileTest {

    @Test
    void oneEntryPerTargetWithWhatScriptsNeed(@TempDir Path tmp) throws Exception {
        Path lib = Files.write(tmp.resolve("libx.so"), new byte[1234]);
        TargetSpec host = TargetSpec.builder("x86_64-unknown-linux-gnu").build();
        TargetSpec arm = TargetSpec.builder("aarch64-unknown-linux-gnu").optional(true).build();
        List<TargetResult> results = List.of(
                TargetResult.packaged(host, false, "cargo", 12.3456, lib, tmp.resolve("x.jar"), "glibc 2.17")
                        .withCommand("cargo build --target x86_64-unknown-linux-gnu", List.of("serde", "sark_x")),
                TargetResult.unavailable(arm, "no linker \"aarch64-linux-gnu-gcc\"\n  fix: apt-get install gcc-aarch64-linux-gnu"));
        Path file = tmp.resolve("target/sark/cross-build.json");

        ResultFile.writeBuild(file, "cross-build", 14.5, results);

        String json = Files.readString(file);
        assertTrue(json.startsWith("{\n  \"format\": 1,\n  \"goal\": \"cross-build\",\n  \"seconds\": 14.5,\n  \"targets\": ["), json);
        assertTrue(json.contains("\"compiled\": [\n        \"serde\",\n        \"sark_x\"\n      ]"), json);
        assertTrue(json.contains("\"compiled\": []"), "a target cargo did not run for: " + json);
        assertTrue(json.contains("\"triple\": \"x86_64-unknown-linux-gnu\""), json);
        assertTrue(json.contains("\"classifier\": \"linux-x86_64\""), json);
        assertTrue(json.contains("\"status\": \"built\""), json);
        assertTrue(json.contains("\"command\": \"cargo build --target x86_64-unknown-linux-gnu\""), json);
        assertTrue(json.contains("\"seconds\": 12.346"), json);
        assertTrue(json.contains("\"size\": 1234"), json);
        assertTrue(json.contains("\"requires\": \"glibc 2.17\""), json);
        assertTrue(json.contains("\"status\": \"unavailable\""), json);
        assertTrue(json.contains("\"optional\": true"), json);
        assertTrue(json.contains("\"detail\": \"no linker \\\"aarch64-linux-gnu-gcc\\\"\\n  fix: apt-get install gcc-aarch64-linux-gnu\""),
                "quotes and newlines escaped: " + json);
        assertTrue(json.contains("\"jar\": null"), json);
    }

    @Test
    void theTestGoalRecordsItsRunPassedOrFailed(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("target/sark/test.json");

        ResultFile.writeTest(file, 5, "x86_64-unknown-linux-gnu",
                new CargoTest.Outcome("cargo test --manifest-path C", 4.25, "cargo test failed (exit code 101)"));

        String json = Files.readString(file);
        assertTrue(json.contains("\"goal\": \"test\""), json);
        assertTrue(json.contains("\"triple\": \"x86_64-unknown-linux-gnu\""), json);
        assertTrue(json.contains("\"status\": \"failed\""), json);
        assertTrue(json.contains("\"command\": \"cargo test --manifest-path C\""), json);
        assertTrue(json.contains("\"seconds\": 4.25"), json);
        assertTrue(json.contains("\"detail\": \"cargo test failed (exit code 101)\""), json);

        ResultFile.writeTest(file, 2, "x86_64-unknown-linux-gnu", new CargoTest.Outcome("cargo test", 1, null));
        assertTrue(Files.readString(file).contains("\"status\": \"passed\""));
        assertTrue(Files.readString(file).contains("\"detail\": null"));
    }

    @Test
    void theCiSummaryScriptReadsTheFileAsWritten(@TempDir Path tmp) throws Exception {
        assumeTrue(new CommandRunner().capture(List.of("python3", "--version"), java.util.Map.of(), tmp) != null, "python3");
        Path lib = Files.write(tmp.resolve("libx.so"), new byte[2048]);
        TargetSpec host = TargetSpec.builder("x86_64-unknown-linux-gnu").build();
        TargetSpec arm = TargetSpec.builder("aarch64-unknown-linux-gnu").build();
        Path file = tmp.resolve("sark-demo/target/sark/cross-build.json");
        ResultFile.writeBuild(file, "cross-build", 3, List.of(
                TargetResult.packaged(host, false, "zigbuild", 2.5, lib, tmp.resolve("x.jar"), "glibc 2.17")
                        .withCommand("cargo zigbuild", List.of("sark_demo")),
                TargetResult.failed(arm, "cargo", 0.5, "target aarch64-unknown-linux-gnu failed\n  fix: ...", List.of())));

        CommandRunner.Result r = new CommandRunner().capture(
                List.of("python3", Path.of("../scripts/result_summary.py").toAbsolutePath().toString(), file.toString()),
                java.util.Map.of(), tmp);

        assertTrue(r.succeeded(), String.join("\n", r.output()));
        assertTrue(r.output().contains("| sark-demo | cross-build | x86_64-unknown-linux-gnu | built | zigbuild | 2.5 | 2.0 KiB"
                + " | glibc 2.17 | sark_demo |"), String.join("\n", r.output()));
        assertTrue(r.output().contains("| sark-demo | cross-build | aarch64-unknown-linux-gnu | failed | cargo | 0.5 | - | - | - |"),
                String.join("\n", r.output()));
        assertTrue(r.output().contains("|  |  |  | target aarch64-unknown-linux-gnu failed |  |  |  |  |  |"),
                String.join("\n", r.output()));
    }
}
