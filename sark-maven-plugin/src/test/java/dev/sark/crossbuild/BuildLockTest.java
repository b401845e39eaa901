package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sark.crossbuild.TestSupport.RecordingLog;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two Maven runs of one project, as two processes: the second waits for the first, and says so. */
class BuildLockTest {

    /** The other Maven run: takes the lock, says so, holds it until its stdin closes. */
    public static void main(String[] args) throws Exception {
        try (BuildLock lock = BuildLock.acquire(Path.of(args[0]), new RecordingLog())) {
            System.out.println("locked");
            System.out.flush();
            System.in.read(); // returns -1 when the test closes our stdin
        }
    }

    @Test
    void aSecondBuildWaitsUntilTheFirstReleasesTheLock(@TempDir Path tmp) throws Exception {
        Path lockFile = tmp.resolve("target/sark/build.lock");
        Process first = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BuildLockTest.class.getName(), lockFile.toString()))
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine(), "the first build holds the lock");

            RecordingLog log = new RecordingLog();
            Thread release = new Thread(() -> {
                try {
                    for (int i = 0; i < 1000 && log.messages().isEmpty(); i++) {
                        Thread.sleep(10); // until the second build reported that it waits
                    }
                    first.getOutputStream().close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            release.setDaemon(true);
            release.start();
            try (BuildLock second = BuildLock.acquire(lockFile, log)) {
                assertTrue(first.waitFor(10, TimeUnit.SECONDS));
                assertFalse(first.isAlive(), "the second build got the lock only after the first one ended");
            }
            release.join();
            assertTrue(log.messages().get(0).startsWith("Waiting for another build of this project to finish"), log.lines.toString());
        } finally {
            first.destroyForcibly();
        }
    }
}
