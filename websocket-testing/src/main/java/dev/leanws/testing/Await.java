package dev.leanws.testing;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting with a deadline: for a condition that nothing signals (a count of connections, a
 * buffered amount, a thread that should be gone), or for a future. A test never sleeps for
 * something to happen; it waits until it has happened, and fails, naming what it waited for,
 * once the deadline passes.
 *
 * <pre>{@code
 * Await.until("one connection", () -> server.connections().size() == 1);
 * WebSocket only = Await.value("the connection", Duration.ofSeconds(5), () -> first(server.connections()));
 * String reply = Await.result(future);
 * }</pre>
 *
 * Conditions are polled: at once, then with a back-off from 0.1 ms to 5 ms between polls, so a
 * condition that holds soon is seen soon and one that takes seconds costs little CPU.
 */
public final class Await {

    /** The deadline of the forms that take none. */
    public static final Duration DEFAULT = Duration.ofSeconds(10);

    private static final long MIN_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private Await() {
    }

    /** Waits until {@code condition} holds, at most {@link #DEFAULT}. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, DEFAULT, condition);
    }

    /**
     * Waits until {@code condition} holds.
     *
     * @throws AssertionError naming {@code what} if it does not hold within {@code within}
     */
    public static void until(String what, Duration within, BooleanSupplier condition) {
        value(what, within, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }

    /**
     * Waits until {@code condition} holds, at most {@code within}, for a test that reports
     * rather than fails when it does not.
     *
     * @return whether it held in time
     */
    public static boolean holdsWithin(Duration within, BooleanSupplier condition) {
        try {
            until("the condition", within, condition);
            return true;
        } catch (AssertionError notInTime) {
            return false;
        }
    }

    /**
     * Waits until {@code supplier} gives a value other than null, and returns it.
     *
     * @throws AssertionError naming {@code what} if there is none within {@code within}
     */
    public static <T> T value(String what, Duration within, Supplier<T> supplier) {
        long deadline = System.nanoTime() + within.toNanos();
        long pause = MIN_POLL_NANOS;
        while (true) {
            T value = supplier.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + within + ": " + what);
            }
            LockSupport.parkNanos(pause);   // a poll interval: nothing signals this condition
            pause = Math.min(MAX_POLL_NANOS, pause * 2);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting: " + what);
            }
        }
    }

    /** The result of {@code future}, within {@link #DEFAULT}. */
    public static <T> T result(Future<T> future) {
        return result(future, DEFAULT);
    }

    /**
     * The result of {@code future}, within {@code within}.
     *
     * @throws AssertionError if it failed (with the cause), was cancelled, or is not done in time
     */
    public static <T> T result(Future<T> future, Duration within) {
        try {
            return future.get(within.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no result within " + within);
        } catch (CancellationException e) {
            throw new AssertionError("cancelled", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a result", e);
        }
    }

    /**
     * The exception {@code future} failed with, which must be a {@code type}, within {@code within}.
     *
     * @throws AssertionError if it succeeded, failed otherwise, or is not done in time
     */
    public static <X extends Throwable> X failure(Future<?> future, Class<X> type, Duration within) {
        try {
            Object value = future.get(within.toNanos(), TimeUnit.NANOSECONDS);
            throw new AssertionError("expected " + type.getSimpleName() + ", got the result " + value);
        } catch (ExecutionException e) {
            if (!type.isInstance(e.getCause())) {
                throw new AssertionError("expected " + type.getSimpleName() + ", got " + e.getCause(), e.getCause());
            }
            return type.cast(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no " + type.getSimpleName() + " within " + within);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + type.getSimpleName(), e);
        }
    }
}
