package dev.sark.opa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The issue 11 cases that used to abort the JVM (allocations of terabytes, an 8,000-deep value, a 10^10-step
 * loop...) run in a child JVM with its address space capped at 4 GiB and thread stacks of 512 KiB, so an abort
 * or a stack overflow kills only the child, and an allocation the guards let through fails for real instead of
 * swapping. See {@link HostileCasesMain} for the cases.
 */
@EnabledOnOs(OS.LINUX)
class HostileInputChildJvmTest {
    private static final long ADDRESS_SPACE_KIB = 4L << 20;

    @Test
    void every_hostile_case_ends_in_an_exception_or_the_right_answer_and_the_jvm_survives() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = Files.createTempFile("hostile-policy", ".log");
        ProcessBuilder launcher = new ProcessBuilder("/bin/sh", "-c", "ulimit -v " + ADDRESS_SPACE_KIB + " && exec \"$@\"", "sh",
                // 512 KiB thread stacks, half the JVM's default: the 8,000-deep value is built, printed and
                // dropped within them (measured: it overflows at 256 KiB)
                java.toString(), "-Xss512k", "-Xmx256m", "-XX:ReservedCodeCacheSize=64m", "-XX:CompressedClassSpaceSize=64m",
                "-XX:ErrorFile=" + log.resolveSibling("hs_err_%p.log"),
                // surefire runs the tests through a manifest-only JAR and names the real class path here
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                HostileCasesMain.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        launcher.environment().remove("JAVA_TOOL_OPTIONS");
        launcher.environment().put("MALLOC_ARENA_MAX", "2");
        Process child = launcher.start();
        boolean finished = child.waitFor(180, TimeUnit.SECONDS);
        if (!finished) {
            child.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(finished, "the hostile cases did not finish in 180 s:\n" + output);
        assertEquals(0, child.exitValue(), "exit 134 is an abort, 139 a stack overflow; the last case named died:\n" + output);
        assertTrue(output.contains("engine still answers: 2"), output);
        Files.deleteIfExists(log);
    }
}
