package dev.sark.opa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sark.testing.ChildJvm;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The hostile cases that used to abort the JVM (allocations of terabytes, an 8,000-deep value, a 10^10-step
 * loop...) run in a child JVM with its address space capped at 4 GiB and thread stacks of 512 KiB, so an abort
 * or a stack overflow kills only the child, and an allocation the guards let through fails for real instead of
 * swapping. See {@link HostileCasesMain} for the cases.
 */
@EnabledOnOs(OS.LINUX)
class HostileInputChildJvmTest {
    private static final long ADDRESS_SPACE_KIB = 4L << 20;

    @Test
    void every_hostile_case_ends_in_an_exception_or_the_right_answer_and_the_jvm_survives() throws Exception {
        ChildJvm.Outcome outcome = ChildJvm.ofThisJvm()
                // 512 KiB thread stacks, half the JVM's default: the 8,000-deep value is built, printed and
                // dropped within them (measured: it overflows at 256 KiB)
                .options("-Xss512k", "-Xmx256m", "-XX:ReservedCodeCacheSize=64m", "-XX:CompressedClassSpaceSize=64m",
                        "-XX:ErrorFile=" + System.getProperty("java.io.tmpdir") + "/hs_err_%p.log")
                .environment("MALLOC_ARENA_MAX", "2")
                .addressSpaceKib(ADDRESS_SPACE_KIB)
                .run(HostileCasesMain.class, Duration.ofSeconds(180));
        assertTrue(outcome.finished(), "the hostile cases did not finish in 180 s: " + outcome.describe());
        assertEquals(0, outcome.exitCode(), "the last case named died: " + outcome.describe());
        assertTrue(outcome.output().contains("engine still answers: 2"), outcome.output());
    }
}
