package dev.leanws.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, F1: the deadline thread always comes back. Its thread is started through a seam,
 * so a test can make starting it fail as an exhausted JVM would.
 */
class WatchdogTest {

    /** A watched object that counts its ticks and may throw once. */
    private static final class Ticking implements Watchdog.Watched {
        final CountDownLatch ticks;
        volatile Error throwOnce;

        Ticking(int wanted) {
            ticks = new CountDownLatch(wanted);
        }

        @Override
        public void tick(long nowNanos) {
            Error e = throwOnce;
            if (e != null) {
                throwOnce = null;
                throw e;
            }
            ticks.countDown();
        }
    }

    private static final Function<Runnable, Thread> PLATFORM =
            loop -> Thread.ofPlatform().daemon().name("test-watchdog").start(loop);

    @Test
    void outOfMemoryInOneTickSkipsOnlyThatCheck() throws Exception {
        Watchdog watchdog = new Watchdog(PLATFORM);
        Ticking failing = new Ticking(3);
        failing.throwOnce = new OutOfMemoryError("injected");
        Ticking healthy = new Ticking(3);
        watchdog.register(failing);
        watchdog.register(healthy);
        assertTrue(healthy.ticks.await(5, TimeUnit.SECONDS));
        assertTrue(failing.ticks.await(5, TimeUnit.SECONDS), "ticked again after its failure");
        unregister(watchdog, failing, healthy);
    }

    @Test
    void anErrorThatEndsTheLoopHandsOverToANewThread() throws Exception {
        AtomicInteger started = new AtomicInteger();
        Watchdog watchdog = new Watchdog(loop -> {
            started.incrementAndGet();
            return PLATFORM.apply(loop);
        });
        Ticking failing = new Ticking(3);
        failing.throwOnce = new InternalError("injected: not caught per tick");
        watchdog.register(failing);
        assertTrue(failing.ticks.await(5, TimeUnit.SECONDS), "deadlines kept running");
        assertTrue(started.get() >= 2, "a second thread took over");
        unregister(watchdog, failing);
    }

    @Test
    void whenNoThreadCanBeStartedTheNextRegistrationStartsOne() throws Exception {
        AtomicInteger failures = new AtomicInteger(1);
        Watchdog watchdog = new Watchdog(loop -> {
            if (failures.getAndDecrement() > 0) {
                throw new OutOfMemoryError("injected: unable to create native thread");
            }
            return PLATFORM.apply(loop);
        });
        Ticking first = new Ticking(1);
        watchdog.register(first);
        assertFalse(watchdog.isRunning());
        Ticking second = new Ticking(1);
        watchdog.register(second);
        assertTrue(watchdog.isRunning());
        assertTrue(first.ticks.await(5, TimeUnit.SECONDS));
        assertTrue(second.ticks.await(5, TimeUnit.SECONDS));
        unregister(watchdog, first, second);
    }

    @Test
    void aHandOverThatFailsIsRepairedByTheNextRegistration() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Watchdog watchdog = new Watchdog(loop -> {
            if (calls.incrementAndGet() == 2) {   // the hand-over after the loop's failure
                throw new OutOfMemoryError("injected: unable to create native thread");
            }
            return PLATFORM.apply(loop);
        });
        Ticking failing = new Ticking(1);
        failing.throwOnce = new InternalError("injected: ends the loop");
        watchdog.register(failing);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (calls.get() < 2 || watchdog.isRunning()) {
            assertTrue(System.nanoTime() < deadline, "the loop failed and its hand-over failed");
            Thread.onSpinWait();
        }
        Ticking next = new Ticking(1);
        watchdog.register(next);
        assertTrue(next.ticks.await(5, TimeUnit.SECONDS), "a dead thread is replaced on registration");
        assertTrue(failing.ticks.await(5, TimeUnit.SECONDS));
        unregister(watchdog, failing, next);
    }

    private static void unregister(Watchdog watchdog, Watchdog.Watched... all) {
        for (Watchdog.Watched w : all) {
            watchdog.unregister(w);
        }
    }
}
