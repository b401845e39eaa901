package dev.sark.opa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code Thread.interrupt()} stops a running evaluation, on the calling thread or on the deep-stack thread. */
class PolicyEngineInterruptTest {

    /** 10^10 iterations: hours if nothing stops them. */
    private static final String RUNAWAY = "count([1 | some x in numbers.range(1, 100000); some y in numbers.range(1, 100000); x == y + 1])";

    @ParameterizedTest
    @ValueSource(ints = {0, 1_000})
    void interruptStopsTheEvaluationAndLeavesTheInterruptStatusSet(int chainLength) throws InterruptedException {
        // A long chain of rules makes the evaluation run on a thread with a large stack instead of the caller's.
        StringBuilder policy = new StringBuilder("package runaway\n");
        for (int i = 0; i < chainLength; i++) {
            policy.append("r").append(i).append(" := r").append(i + 1).append(" + 1\n");
        }
        policy.append("r").append(chainLength).append(" := ").append(RUNAWAY).append("\n");
        // A timeout far beyond the test's patience: only the interrupt can end the evaluation.
        try (PolicyEngine engine = PolicyEngine.builder().timeout(Duration.ofHours(1)).build()) {
            engine.loadPolicy("runaway", policy.toString());
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean stillInterrupted = new AtomicBoolean();
            Thread caller = new Thread(() -> {
                try {
                    engine.isAllowed("data.runaway.r0", null);
                } catch (RuntimeException e) {
                    thrown.set(e);
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            }, "interrupted-caller");
            caller.start();
            Thread.sleep(300); // well inside the evaluation, which takes hours
            caller.interrupt();
            caller.join(Duration.ofSeconds(60).toMillis());
            assertFalse(caller.isAlive(), "the interrupted evaluation kept running");
            PolicyEvaluationException e = assertInstanceOf(PolicyEvaluationException.class, thrown.get());
            assertFalse(e instanceof PolicyTimeoutException, "an interrupt is not a timeout: " + e);
            assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
            assertTrue(stillInterrupted.get(), "the caller's interrupt status is kept");
            assertEquals("2", engine.evaluate("1 + 1", null), "the engine keeps answering");
        }
    }

    @org.junit.jupiter.api.Test
    void closeStopsARunningEvaluation() throws InterruptedException {
        PolicyEngine engine = PolicyEngine.builder().timeout(Duration.ofHours(1)).build();
        engine.loadPolicy("runaway", "package runaway\nn := " + RUNAWAY + "\n");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                engine.evaluate("data.runaway.n", null);
            } catch (RuntimeException e) {
                thrown.set(e);
            }
        }, "closed-over-caller");
        caller.start();
        Thread.sleep(300);
        engine.close();
        caller.join(Duration.ofSeconds(60).toMillis());
        assertFalse(caller.isAlive(), "the evaluation kept running after close()");
        IllegalStateException e = assertInstanceOf(IllegalStateException.class, thrown.get());
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
