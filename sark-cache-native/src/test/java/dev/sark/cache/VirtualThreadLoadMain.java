package dev.sark.cache;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Run in a Java 21+ JVM by {@link VirtualThreadCacheTest} (compiled for Java 17, so virtual threads are
 * reached by reflection): THREADS virtual threads, all alive at once, each put VALUE_BYTES under its own key,
 * wait for every other one, then read their value back and check every byte. Prints "ok N" or the first wrong
 * value, and exits non-zero on any failure.
 */
public final class VirtualThreadLoadMain {
    private VirtualThreadLoadMain() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int valueBytes = Integer.parseInt(args[1]);
        AtomicInteger verified = new AtomicInteger();
        AtomicInteger wrong = new AtomicInteger();
        CountDownLatch allPut = new CountDownLatch(threads);
        // ExecutorService is AutoCloseable only from Java 19: shut down by hand, as this compiles for Java 17
        ExecutorService virtualThreads = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                .invoke(null);
        try (NativeCache cache = NativeCache.builder().maximumEntries(threads * 2L).defaultTtl(Duration.ofHours(1)).build()) {
            for (int t = 0; t < threads; t++) {
                int id = t;
                virtualThreads.execute(() -> {
                    byte[] key = ("vt-" + id).getBytes();
                    byte[] value = new byte[valueBytes];
                    Arrays.fill(value, (byte) id);
                    cache.put(key, value);
                    allPut.countDown();
                    try {
                        allPut.await(); // every thread alive with its put done, as under a real burst
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    Thread.yield(); // invites a carrier change between the put and the get
                    if (Arrays.equals(value, cache.get(key))) {
                        verified.incrementAndGet();
                    } else if (wrong.getAndIncrement() == 0) {
                        System.out.println("wrong value for " + new String(key));
                    }
                });
            }
            virtualThreads.shutdown();
            if (!virtualThreads.awaitTermination(120, TimeUnit.SECONDS)) {
                System.out.println("stalled: " + verified.get() + " of " + threads + " verified after 120 s");
                System.exit(2);
            }
        }
        System.out.println(wrong.get() == 0 && verified.get() == threads ? "ok " + verified.get()
                : "failed: " + verified.get() + " verified, " + wrong.get() + " wrong");
        System.exit(wrong.get() == 0 && verified.get() == threads ? 0 : 1);
    }
}
