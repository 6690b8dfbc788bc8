package dev.leanws.runtime;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread for every deadline of every connection: keep-alive pings, pong, idle, mid-frame,
 * close and write timeouts, and handshake deadlines. Each registered {@link Watched} is ticked
 * every {@link #TICK_MILLIS} ms and acts on its own deadlines (typically by sending a ping or
 * closing its transport, which wakes its blocked reader or writer at once).
 *
 * <p>Why not a timer per connection or a read timeout: a blocked write and a close started by
 * another thread have to be interrupted from outside anyway, and one scan over all connections
 * costs a few volatile reads each, with no allocation and no timer thread per connection.
 *
 * <p>The thread starts with the first registration and ends when nothing is registered, so a
 * process with no connection has no watchdog thread.
 */
public final class Watchdog {

    /** How often deadlines are checked; deadlines are precise to about this much. */
    public static final long TICK_MILLIS = 50;

    /** Something with deadlines. {@link #tick} must not block. */
    public interface Watched {
        void tick(long nowNanos);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);
    private static final Watchdog SHARED = new Watchdog();

    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lifecycle = new ReentrantLock();
    private final Function<Runnable, Thread> threads;
    private Thread thread;

    private Watchdog() {
        this(loop -> Thread.ofPlatform().daemon().name("leanws-watchdog").start(loop));
    }

    /** A watchdog whose thread is started by {@code threads} (a seam: tests make it fail). */
    Watchdog(Function<Runnable, Thread> threads) {
        this.threads = threads;
    }

    /** The process-wide watchdog. */
    public static Watchdog shared() {
        return SHARED;
    }

    public void register(Watched w) {
        watched.add(w);
        lifecycle.lock();
        try {
            Thread t = thread;
            if (t == null || !t.isAlive()) {
                // Also after a failed hand-over (an OutOfMemoryError while starting the next
                // thread): the next registration brings the watchdog back.
                thread = null;
                thread = startThread();
            }
        } catch (RuntimeException | Error e) {
            // No thread now (out of memory or threads); the next registration tries again.
            LOG.error("could not start the deadline thread ({}); the next registration tries again", e.toString());
        } finally {
            lifecycle.unlock();
        }
    }

    private Thread startThread() {
        return threads.apply(this::run);
    }

    /** Whether a deadline thread is running now (for tests). */
    boolean isRunning() {
        lifecycle.lock();
        try {
            return thread != null && thread.isAlive();
        } finally {
            lifecycle.unlock();
        }
    }

    /** Runs the loop; if an Error ends it, hands over to a new thread so deadlines keep running. */
    private void run() {
        try {
            loop();
        } catch (Throwable e) {
            lifecycle.lock();
            try {
                thread = null;
                // The message only: the trace of an OutOfMemoryError says nothing useful, and
                // building one is what we cannot afford then; a debug log has it.
                LOG.error("the deadline thread failed ({}); starting another", e.toString());
                LOG.debug("deadline thread failure", e);
                if (!watched.isEmpty()) {
                    thread = startThread();
                }
            } catch (Throwable failedAgain) {
                thread = null;   // register() starts one when it can
            } finally {
                lifecycle.unlock();
            }
        }
    }

    public void unregister(Watched w) {
        watched.remove(w);
    }

    /** The number of registered objects (for tests and leak checks). */
    public int size() {
        return watched.size();
    }

    private void loop() {
        while (true) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS));
            long now = System.nanoTime();
            for (Watched w : watched) {
                try {
                    w.tick(now);
                } catch (RuntimeException | AssertionError e) {
                    LOG.warn("deadline check failed for {}", w, e);
                } catch (StackOverflowError | OutOfMemoryError e) {
                    // One connection's trouble must not end every deadline: skip it this tick.
                    LOG.error("deadline check failed for {}: {}", w, e.toString());
                }
            }
            lifecycle.lock();
            try {
                if (watched.isEmpty()) {
                    thread = null;
                    return;
                }
            } finally {
                lifecycle.unlock();
            }
        }
    }
}
