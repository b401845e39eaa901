package dev.sark.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sark.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Virtual threads (Java 21+, run in a JDK of that age when the machine has one; the project targets Java 17):
 * 5,000 of them alive at once, each putting 40 KB, with direct memory capped at 64 MiB. A scratch buffer per
 * thread would need 320 MiB of direct memory; the cache must finish and return every value intact.
 */
class VirtualThreadCacheTest {
    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    @Test
    void fiveThousandVirtualThreadsPuttingFortyKilobytesUnderA64MiBDirectMemoryCap() throws Exception {
        Optional<Path> java = javaAtLeast21();
        assumeTrue(java.isPresent(), "no JDK 21 or newer here (-Dsark.jdk21.home=DIR or /usr/lib/jvm/*)");
        // a time bound, so a stall fails the test instead of hanging the build (the child gives up after 120 s)
        ChildJvm.Outcome outcome = ChildJvm.of(java.get()).options("-XX:MaxDirectMemorySize=64m")
                .run(VirtualThreadLoadMain.class, Duration.ofSeconds(180), "5000", "40960");
        assertTrue(outcome.finished(), "the virtual-thread load did not finish: " + outcome.describe());
        assertEquals(0, outcome.exitCode(), outcome.describe());
        assertTrue(outcome.output().contains("ok 5000"), outcome.output());
    }

    private static Optional<Path> javaAtLeast21() throws IOException {
        String configured = System.getProperty("sark.jdk21.home");
        List<Path> homes;
        if (configured != null) {
            homes = List.of(Path.of(configured));
        } else if (Files.isDirectory(Path.of("/usr/lib/jvm"))) {
            try (Stream<Path> dirs = Files.list(Path.of("/usr/lib/jvm"))) {
                homes = dirs.sorted().toList();
            }
        } else {
            homes = List.of();
        }
        for (Path home : homes) {
            Path release = home.resolve("release");
            Path java = home.resolve("bin/java");
            if (Files.isRegularFile(release) && Files.isExecutable(java)) {
                Matcher m = JAVA_VERSION.matcher(Files.readString(release));
                if (m.find() && Integer.parseInt(m.group(1)) >= 21) {
                    return Optional.of(java);
                }
            }
        }
        return Optional.empty();
    }
}
