package dev.sark.opa.conformance;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs each case on a worker thread and waits for it at most a fixed time, like JUnit's
 * assertTimeoutPreemptively: a case that hangs (even inside native code, where it cannot be interrupted)
 * is reported as a timeout, its daemon thread is abandoned and the next case gets a new worker. Whatever a
 * case throws becomes a failed outcome, so one case cannot stop the suite.
 */
final class CaseTimeLimit implements AutoCloseable {
    private final Duration limit;
    private final AtomicInteger abandoned = new AtomicInteger();
    private ExecutorService worker = newWorker();

    CaseTimeLimit(Duration limit) {
        this.limit = limit;
    }

    Outcome run(Supplier<Outcome> task) {
        Future<Outcome> future = worker.submit(task::get);
        try {
            return future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            worker.shutdownNow();
            worker = newWorker();
            abandoned.incrementAndGet();
            return Outcome.failed("timeout", "no answer within " + limit + " (worker thread abandoned)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String message = String.valueOf(cause.getMessage());
            String reason = message.startsWith("native panic") ? "native panic" : "exception " + cause.getClass().getSimpleName();
            return Outcome.failed(reason, FailureReasons.shortMessage(message));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running a case", e);
        }
    }

    /** How many workers were left behind in a hung case. */
    int abandonedWorkers() {
        return abandoned.get();
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    private ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "opa-conformance-case");
            t.setDaemon(true);
            return t;
        });
    }
}
