package dev.sark.opa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Many threads evaluating while policies and data change underneath them. */
class PolicyEngineConcurrencyTest {
    private static final int THREADS = 8;
    private static final int EVALUATIONS_PER_THREAD = 2_000;

    private static final String POLICY = String.join("\n",
            "package authz",
            "default allow := false",
            "allow if input.role == \"admin\"",
            "allow if {",
            "  input.role == \"user\"",
            "  input.action == \"read\"",
            "}",
            "reasons contains \"not admin\" if input.role != \"admin\"",
            "reasons contains \"writes need admin\" if { input.action != \"read\"; input.role != \"admin\" }",
            "");

    private static String input(int i) {
        String[] roles = {"admin", "user", "guest"};
        String[] actions = {"read", "write", "delete"};
        return "{\"role\": \"" + roles[i % 3] + "\", \"action\": \"" + actions[(i / 3) % 3] + "\", \"n\": " + i + "}";
    }

    @Test
    void concurrentEvaluationsMatchSingleThreadedAnswersWhilePoliciesReload() throws Exception {
        try (PolicyEngine engine = new PolicyEngine()) {
            engine.loadPolicy("authz", POLICY);
            int inputs = 27;
            List<Boolean> expectedAllow = new ArrayList<>();
            List<String> expectedReasons = new ArrayList<>();
            for (int i = 0; i < inputs; i++) {
                expectedAllow.add(engine.isAllowed("data.authz.allow", input(i)));
                expectedReasons.add(engine.evaluate("data.authz.reasons", input(i)));
            }
            assertTrue(expectedAllow.contains(true) && expectedAllow.contains(false));

            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger reloads = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> evaluators = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                evaluators.add(pool.submit(() -> {
                    start.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int k = 0; k < EVALUATIONS_PER_THREAD; k++) {
                        int i = random.nextInt(inputs);
                        if (k % 2 == 0) {
                            assertEquals(expectedAllow.get(i), engine.isAllowed("data.authz.allow", input(i)), input(i));
                        } else {
                            assertEquals(expectedReasons.get(i), engine.evaluate("data.authz.reasons", input(i)), input(i));
                        }
                    }
                    return null;
                }));
            }
            Future<?> reloader = pool.submit(() -> {
                start.await();
                int n = 0;
                while (!done.get()) {
                    // The same rules in new text, an unrelated policy coming and going, more data.
                    engine.loadPolicy("authz", POLICY + "# reload " + n + "\n");
                    engine.loadPolicy("noise", "package noise\nx := " + n + "\n");
                    engine.addData("{\"generation" + n + "\": " + n + "}");
                    if (n % 2 == 0) {
                        engine.removePolicy("noise");
                    }
                    n++;
                    reloads.incrementAndGet();
                }
                return null;
            });
            start.countDown();
            for (Future<?> evaluator : evaluators) {
                evaluator.get(2, TimeUnit.MINUTES);
            }
            done.set(true);
            reloader.get(1, TimeUnit.MINUTES);
            pool.shutdown();
            assertTrue(reloads.get() > 0, "reloads happened during the evaluations");
            assertTrue(engine.hasPolicy("authz"));
        }
    }

    @Test
    void closeRacingWithEvaluationsGivesAnswersOrIllegalState() throws Exception {
        for (int round = 0; round < 20; round++) {
            PolicyEngine engine = new PolicyEngine();
            engine.loadPolicy("authz", POLICY);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            CountDownLatch running = new CountDownLatch(4);
            List<Future<Integer>> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                workers.add(pool.submit(() -> {
                    running.countDown();
                    int answered = 0;
                    while (true) {
                        try {
                            assertTrue(engine.isAllowed("data.authz.allow", input(0)));
                            answered++;
                        } catch (IllegalStateException closed) {
                            return answered;
                        }
                    }
                }));
            }
            running.await();
            engine.close();
            for (Future<Integer> worker : workers) {
                worker.get(1, TimeUnit.MINUTES);
            }
            pool.shutdown();
        }
    }

    @Test
    void unclosedEnginesAreFreedByTheCleaner() throws Exception {
        for (int i = 0; i < 200; i++) {
            PolicyEngine engine = new PolicyEngine();
            engine.loadPolicy("authz", POLICY);
            assertTrue(engine.isAllowed("data.authz.allow", input(0)));
        }
        System.gc();
        Thread.sleep(100);
        try (PolicyEngine engine = new PolicyEngine()) {
            engine.loadPolicy("authz", POLICY);
            assertTrue(engine.isAllowed("data.authz.allow", input(0)));
        }
    }
}
