package dev.leanws.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.CloseCause;
import dev.leanws.CloseStatus;
import dev.leanws.WebSocketConfig;
import dev.leanws.testing.Await;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        public long tick(long nowNanos) {
            Error e = throwOnce;
            if (e != null) {
                throwOnce = null;
                throw e;
            }
            ticks.countDown();
            return nowNanos;
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

    /** Returns a due time set by the test, and counts its ticks. */
    private static final class Scheduled implements Watchdog.Watched {
        final AtomicInteger ticks = new AtomicInteger();
        volatile long next = Watchdog.NEVER;

        @Override
        public long tick(long nowNanos) {
            ticks.incrementAndGet();
            return next;
        }
    }

    private static void awaitTicks(Scheduled w, int atLeast) {
        Await.until(atLeast + " ticks", () -> w.ticks.get() >= atLeast);
    }

    /**
     * Issue 16: a registration is ticked once on registering, then only when the time its tick
     * returned has come or its slot is lowered: an idle connection costs the walk one comparison.
     */
    @Test
    void aRegistrationIsTickedOnlyWhenDueOrLowered() throws Exception {
        Watchdog watchdog = new Watchdog(PLATFORM);
        Scheduled idle = new Scheduled();
        Scheduled busy = new Scheduled();
        busy.next = System.nanoTime();   // "at the next tick", every time
        Watchdog.Due due = watchdog.register(idle);
        watchdog.register(busy);
        awaitTicks(idle, 1);
        awaitTicks(busy, 12);   // a dozen ticks of the watchdog
        assertEquals(1, idle.ticks.get(), "NEVER: not ticked again");
        idle.next = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
        due.lower(System.nanoTime());
        awaitTicks(idle, 2);
        int seen = busy.ticks.get();
        awaitTicks(busy, seen + 6);
        assertEquals(2, idle.ticks.get(), "due in an hour: not ticked again");
        due.lower(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100));
        awaitTicks(idle, 3);
        unregister(watchdog, idle, busy);
    }

    /** Slots are reused and the table grows in chunks: every one of 2,500 registrations is ticked. */
    @Test
    void manyRegistrationsAcrossChunksAreAllTickedAndFreedSlotsReused() throws Exception {
        Watchdog watchdog = new Watchdog(PLATFORM);
        List<Scheduled> all = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            Scheduled w = new Scheduled();
            all.add(w);
            watchdog.register(w);
        }
        for (Scheduled w : all) {
            awaitTicks(w, 1);
        }
        assertEquals(2_500, watchdog.size());
        Watchdog.Due stale = watchdog.register(all.get(0));   // registering again: same slot, ticked again
        awaitTicks(all.get(0), 2);
        for (int i = all.size() - 1; i >= 0; i--) {
            watchdog.unregister(all.get(i));   // the first one's slot freed last: the next registration gets it
        }
        assertEquals(0, watchdog.size());
        Scheduled late = new Scheduled();
        watchdog.register(late);
        awaitTicks(late, 1);
        stale.lower(System.nanoTime());   // a former owner's late lowering: one early tick at most
        awaitTicks(late, 2);
        watchdog.unregister(late);
    }

    /**
     * A connection's deadline armed earlier than its last tick said reaches the watchdog through
     * its slot: without the lowering, the close deadline below would never be checked.
     */
    @Test
    void aDeadlineArmedAfterAnIdleTickIsEnforcedThroughTheSlot() throws Exception {
        Watchdog watchdog = new Watchdog(PLATFORM);
        CountDownLatch aborted = new CountDownLatch(1);
        ConnectionDeadlines deadlines = closingDeadlines(aborted);
        deadlines.start(System.nanoTime());
        Watchdog.Due slot = watchdog.register(deadlines);
        deadlines.watchedThrough(slot);
        Scheduled clock = new Scheduled();
        clock.next = System.nanoTime();
        watchdog.register(clock);
        awaitTicks(clock, 4);   // the registration tick has happened: nothing armed, slot NEVER
        deadlines.onCloseQueued(System.nanoTime());
        assertTrue(aborted.await(5, TimeUnit.SECONDS), "the close deadline passed unseen");
        unregister(watchdog, deadlines, clock);
    }

    /**
     * Found in review: the registration ticks the connection once at once, possibly before
     * the connection has stored its slot; a deadline armed in between lowered only the
     * connection's own watermark, and with keep-alive and idle timeouts off the slot stayed at
     * NEVER: the close deadline was never enforced.
     */
    @Test
    void aDeadlineArmedBetweenRegistrationAndStoringTheSlotIsNotLost() throws Exception {
        Watchdog watchdog = new Watchdog(PLATFORM);
        CountDownLatch aborted = new CountDownLatch(1);
        ConnectionDeadlines deadlines = closingDeadlines(aborted);
        deadlines.start(System.nanoTime());
        AtomicInteger ticks = new AtomicInteger();
        Watchdog.Watched counting = now -> {
            ticks.incrementAndGet();
            return deadlines.tick(now);
        };
        Watchdog.Due slot = watchdog.register(counting);
        Await.until("the registration tick", () -> ticks.get() > 0);
        deadlines.onCloseQueued(System.nanoTime());   // in the window: no slot known yet
        deadlines.watchedThrough(slot);
        assertTrue(aborted.await(5, TimeUnit.SECONDS), "the close deadline passed unseen");
        watchdog.unregister(counting);
    }

    /** Deadlines with keep-alive and idle timeouts off and a 200 ms close timeout, closing already. */
    private static ConnectionDeadlines closingDeadlines(CountDownLatch aborted) {
        return new ConnectionDeadlines(WebSocketConfig.builder().pingInterval(Duration.ZERO).idleTimeout(Duration.ZERO)
                .closeTimeout(Duration.ofMillis(200)).build(), new ConnectionDeadlines.Actions() {
                    @Override public void ping(ByteBuffer payload) { }
                    @Override public void close(CloseCause cause, CloseStatus status) { }
                    @Override public void abort(CloseCause cause, String detail) { aborted.countDown(); }
                    @Override public boolean isClosed() { return false; }
                    @Override public boolean isClosing() { return true; }
                });
    }
}
