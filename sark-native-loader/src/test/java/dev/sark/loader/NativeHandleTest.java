package dev.sark.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** NativeHandle with stand-in native functions that record what they were called with. */
class NativeHandleTest {
    private static final long ADDRESS = 0x7f00_1234_5000L;

    private final AtomicInteger closes = new AtomicInteger();
    private final AtomicLong freed = new AtomicLong();

    private NativeHandle handle() {
        return NativeHandle.wrap(ADDRESS, "TestCache", a -> closes.incrementAndGet(), freed::set);
    }

    @Test
    void everyKindOfCallGetsTheAddress() {
        NativeHandle handle = handle();
        List<Long> seen = new ArrayList<>();
        assertEquals("v", handle.call(a -> { seen.add(a); return "v"; }));
        assertTrue(handle.test(a -> seen.add(a)));
        assertEquals(42L, handle.callLong(a -> { seen.add(a); return 42L; }));
        handle.run(seen::add);
        assertEquals(List.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS), seen);
    }

    @Test
    void callsWithArgumentsGetTheAddressAndTheArguments() {
        NativeHandle handle = handle();
        assertEquals(ADDRESS + ":key", handle.call("key", (a, key) -> a + ":" + key));
        assertEquals(ADDRESS + 5 + 7, handle.callLong(5, 7L, (a, first, second) -> a + first + second));
    }

    @Test
    void afterCloseEveryCallThrowsNamingTheOwnerAndNoNativeFunctionRuns() {
        NativeHandle handle = handle();
        handle.close();
        AtomicInteger nativeCalls = new AtomicInteger();

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> handle.run(a -> nativeCalls.incrementAndGet()));
        assertEquals("TestCache is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> handle.call(a -> nativeCalls.incrementAndGet()));
        assertThrows(IllegalStateException.class, () -> handle.test(a -> nativeCalls.incrementAndGet() > 0));
        assertThrows(IllegalStateException.class, () -> handle.callLong(a -> nativeCalls.incrementAndGet()));
        assertThrows(IllegalStateException.class, () -> handle.call("x", (a, x) -> nativeCalls.incrementAndGet()));
        assertThrows(IllegalStateException.class, () -> handle.callLong("x", "y", (a, x, y) -> nativeCalls.incrementAndGet()));
        assertThrows(IllegalStateException.class, handle::checkOpen);
        assertEquals(0, nativeCalls.get());
        assertTrue(handle.isClosed());
    }

    @Test
    void closeReachesTheNativeSideOnceAndDoesNotFree() {
        NativeHandle handle = handle();
        handle.close();
        handle.close();
        assertEquals(1, closes.get());
        assertEquals(0, freed.get(), "memory is freed by the Cleaner only, once no call can be in flight");
    }

    @Test
    void aCallInFlightKeepsTheHandleAliveAcrossCloseFromAnotherThread() throws Exception {
        NativeHandle handle = handle();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        AtomicLong freedDuringCall = new AtomicLong(-1);
        Thread caller = new Thread(() -> handle.run(a -> {
            inside.countDown();
            await(closed);
            System.gc(); // the caller's handle reference is the only one left that matters
            freedDuringCall.set(freed.get());
        }));
        caller.start();
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        handle.close();
        closed.countDown();
        caller.join();
        assertEquals(0, freedDuringCall.get(), "freed while a native call was running");
        assertEquals(1, closes.get());
    }

    @Test
    void theCleanerFreesTheAddressOnceTheHandleIsUnreachable() throws InterruptedException {
        unreachableHandle();
        for (int i = 0; i < 200 && freed.get() == 0; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(ADDRESS, freed.get());
        assertFalse(closes.get() > 0, "an unclosed handle is freed without a close call");
    }

    private void unreachableHandle() {
        handle().run(a -> { });
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aNullArgumentIsAnIllegalArgumentNamingIt() {
        assertEquals("x", NativeHandle.requireArgument("x", "key"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NativeHandle.requireArgument(null, "input JSON"));
        assertEquals("input JSON must not be null", e.getMessage());
    }
}
