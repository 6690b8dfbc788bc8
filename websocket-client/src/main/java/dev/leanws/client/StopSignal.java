package dev.leanws.client;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A one-way flag that ends a client's reconnecting: set by the application's close or abort,
 * it wakes a backoff wait at once, and it orders itself against the binding of a new
 * connection, so a connection is either bound before the stop (and then closed by it) or never.
 * The lock guards the flag only, never I/O or a handler.
 */
final class StopSignal {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stoppedCondition = lock.newCondition();
    private volatile boolean stopped;

    boolean isStopped() {
        return stopped;
    }

    void stop() {
        lock.lock();
        try {
            stopped = true;
            stoppedCondition.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits out {@code delay} unless stopped first; an interrupt counts as a stop.
     *
     * @return whether the delay passed without a stop
     */
    boolean sleep(Duration delay) {
        lock.lock();
        try {
            long left = delay.toNanos();
            while (!stopped && left > 0) {
                left = stoppedCondition.awaitNanos(left);
            }
            return !stopped;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} (short, no I/O) unless stopped, atomically with {@link #stop()}; returns whether it ran. */
    boolean unlessStopped(Runnable action) {
        lock.lock();
        try {
            if (stopped) {
                return false;
            }
            action.run();
            return true;
        } finally {
            lock.unlock();
        }
    }
}
