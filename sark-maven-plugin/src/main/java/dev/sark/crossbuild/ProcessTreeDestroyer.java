package dev.sark.crossbuild;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.commons.exec.ProcessDestroyer;

/**
 * Stops every running command, and all the processes it started, when Maven's JVM stops (Ctrl-C, a CI
 * cancel, an IDE's stop button). Cargo does not pass a SIGTERM on to its rustc and linker children, and
 * commons-exec's own shutdown hook ends only the direct child, so the whole tree is ended here.
 */
final class ProcessTreeDestroyer implements ProcessDestroyer {
    static final ProcessTreeDestroyer INSTANCE = new ProcessTreeDestroyer();

    private final Set<Process> running = ConcurrentHashMap.newKeySet();

    private ProcessTreeDestroyer() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::destroyAll, "sark-stop-children"));
    }

    @Override
    public boolean add(Process process) {
        return running.add(process);
    }

    @Override
    public boolean remove(Process process) {
        return running.remove(process);
    }

    @Override
    public int size() {
        return running.size();
    }

    /** Asks each running command and its descendants to stop, then forces whatever is left after five seconds. */
    void destroyAll() {
        for (Process p : running) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : running) {
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
