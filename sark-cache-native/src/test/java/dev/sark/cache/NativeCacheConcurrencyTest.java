package dev.sark.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

/** Many threads at once: values never get mixed up, the bound holds, close() races safely. */
class NativeCacheConcurrencyTest {

    private static final int THREADS = 8;
    private static final Duration HOUR = Duration.ofHours(1);

    /** The only value ever stored under {@code key}, so any mix-up between entries is visible. */
    private static String valueFor(String key) {
        return "value-of-" + key + "-\uD83D\uDE00-" + key.length();
    }

    /** Runs {@code body} on {@link #THREADS} threads started together; returns what they threw. */
    private static List<Throwable> runTogether(ThrowingRunnable body, Runnable meanwhile) throws InterruptedException {
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    body.run();
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        meanwhile.run();
        for (Thread thread : threads) {
            thread.join();
        }
        return new ArrayList<>(failures);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void concurrentReadersAndWritersNeverMixUpValuesAndKeepTheBound() throws InterruptedException {
        long capacity = 200;
        try (NativeCache cache = new NativeCache(capacity, HOUR)) {
            List<Throwable> failures = runTogether(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 5_000; i++) {
                    String key = "k" + random.nextInt(1_000);
                    switch (random.nextInt(10)) {
                        case 0, 1, 2 -> cache.put(key, valueFor(key));
                        case 3 -> cache.put(key.getBytes(StandardCharsets.UTF_8),
                                valueFor(key).getBytes(StandardCharsets.UTF_8), Duration.ofMillis(random.nextInt(1, 50)));
                        case 4 -> cache.remove(key);
                        case 5 -> cache.cleanupExpired();
                        default -> {
                            String value = cache.get(key);
                            if (value != null && !value.equals(valueFor(key))) {
                                throw new AssertionError("key " + key + " returned " + value);
                            }
                        }
                    }
                    long size = cache.size();
                    if (size > capacity) {
                        throw new AssertionError("size " + size + " exceeds capacity " + capacity);
                    }
                }
            }, () -> { });
            assertEquals(List.of(), failures);
            assertTrue(cache.size() <= capacity);
            CacheStats stats = cache.stats();
            assertTrue(stats.hits() + stats.misses() > 0);
            assertTrue(stats.evictions() > 0, "1000 keys through 200 slots must evict");
        }
    }

    @Test
    void closeRacingWithOtherCallsOnlyCausesIllegalState() throws InterruptedException {
        for (int round = 0; round < 20; round++) {
            NativeCache cache = new NativeCache(50, HOUR);
            List<Throwable> failures = runTogether(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 100_000; i++) {
                    String key = "k" + random.nextInt(100);
                    try {
                        switch (random.nextInt(6)) {
                            case 0 -> cache.put(key, valueFor(key));
                            case 1 -> cache.put(key.getBytes(StandardCharsets.UTF_8), new byte[1024]);
                            case 2 -> cache.remove(key);
                            case 3 -> cache.stats();
                            case 4 -> cache.clear();
                            default -> cache.get(key);
                        }
                    } catch (IllegalStateException closed) {
                        return; // the only acceptable failure, and once closed it stays closed
                    }
                }
            }, () -> {
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(1, 5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                cache.close();
            });
            assertEquals(List.of(), failures, "round " + round);
        }
    }
}
