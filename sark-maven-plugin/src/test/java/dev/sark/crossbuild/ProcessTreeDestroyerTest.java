package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessTreeDestroyerTest {

    @Test
    void stoppingMavenEndsTheCommandAndEveryProcessItStarted() throws Exception {
        assumeTrue(!System.getProperty("os.name").startsWith("Windows"));
        // Like cargo with rustc children: a parent that does not pass SIGTERM on to its child.
        Process cargo = new ProcessBuilder("sh", "-c", "sleep 300 & wait").start();
        List<ProcessHandle> children = List.of();
        for (int i = 0; i < 100 && children.isEmpty(); i++) {
            Thread.sleep(20);
            children = cargo.descendants().toList();
        }
        assertFalse(children.isEmpty(), "the stand-in started its child");
        ProcessTreeDestroyer.INSTANCE.add(cargo);
        try {
            ProcessTreeDestroyer.INSTANCE.destroyAll();
            assertTrue(cargo.waitFor(10, TimeUnit.SECONDS), "the command ended");
            for (ProcessHandle child : children) {
                assertTrue(child.onExit().get(10, TimeUnit.SECONDS) != null && !child.isAlive(), "child " + child.pid() + " ended");
            }
        } finally {
            ProcessTreeDestroyer.INSTANCE.remove(cargo);
            children.forEach(ProcessHandle::destroyForcibly);
            cargo.destroyForcibly();
        }
    }
}
