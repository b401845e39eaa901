package dev.sark.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sark.testing.ChildJvm;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Native memory running out must reach Java as an OutOfMemoryError, not abort the process (1 MiB
 * puts under a virtual-memory limit ended in "memory allocation of 1048592 bytes failed" and SIGABRT). The
 * load runs in a child JVM whose address space is capped with {@code ulimit -v}, so running out is real and
 * cannot touch this JVM; the child then checks the cache is consistent and still usable.
 */
@EnabledOnOs(OS.LINUX)
class NativeMemoryExhaustionTest {
    /** Room for the child JVM itself (about 480 MB of address space with the flags below) plus ~500 MB of values. */
    private static final long ADDRESS_SPACE_KIB = 1024 * 1024;

    @Test
    void filling_native_memory_under_an_address_space_limit_throws_and_keeps_the_cache_usable() throws Exception {
        assertChildSucceeds(1 << 20);
    }

    @Test
    void values_larger_than_the_scratch_buffer_and_smaller_ones_alike() throws Exception {
        assertChildSucceeds(48 * 1024); // through the per-thread scratch buffer, not a Java array
    }

    private static void assertChildSucceeds(int valueBytes) throws Exception {
        ChildJvm.Outcome outcome = ChildJvm.ofThisJvm()
                // -Xint: the JIT compilers allocate native memory too, and with the address space full a
                // compilation would abort the JVM itself (HotSpot's own "malloc failed", not the cache's)
                .options("-Xint", "-XX:ErrorFile=" + System.getProperty("java.io.tmpdir") + "/hs_err_%p.log", "-XX:+UseSerialGC",
                        "-Xmx64m", "-Xss512k", "-XX:ReservedCodeCacheSize=32m", "-XX:CompressedClassSpaceSize=64m",
                        "-XX:MaxMetaspaceSize=64m")
                // glibc gives each thread's arena 64 MiB of address space; two keep the JVM's own share small
                .environment("MALLOC_ARENA_MAX", "2")
                .addressSpaceKib(ADDRESS_SPACE_KIB)
                .run(NativeMemoryFillMain.class, Duration.ofSeconds(120), Integer.toString(valueBytes));
        assertTrue(outcome.finished(), outcome.describe());
        assertEquals(0, outcome.exitCode(), "the child JVM failed (exit 134 is an abort): " + outcome.describe());
        assertTrue(outcome.output().contains("ok ") && outcome.output().contains("native memory"), outcome.output());
    }
}
