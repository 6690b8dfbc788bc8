package dev.leanws.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Records what a callback receives (events, messages) in a queue that the test takes from with
 * a deadline (the OkHttp {@code WebSocketRecorder} idea): no sleeps, and a missing item fails
 * after the deadline instead of hanging. It also collects the failures of callbacks
 * ({@link #failed}): a test that does not expect one fails at {@link #close()}, so an assertion
 * inside a handler counts.
 *
 * <pre>{@code
 * Recorder<WsEvent> events = new Recorder<>();
 * events.closing(manager.subscribe(EventFilter.all(), events::accept));
 * manager.onHandlerFailure((event, failure) -> events.failed(failure));
 * ...
 * TextEvent text = events.next(TextEvent.class);
 * events.skipTo(CloseEvent.class);
 * events.close();   // unsubscribes; fails if a handler threw
 * }</pre>
 *
 * Each module's tests have a small {@code EventRecorder} that does the wiring above for an
 * {@code EventManager} (this module cannot name it: it does not depend on websocket-core).
 *
 * @param <T> what is recorded
 */
public class Recorder<T> implements Consumer<T>, AutoCloseable {

    /** The deadline of the forms that take none. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<T> items = new LinkedBlockingQueue<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> registrations = new CopyOnWriteArrayList<>();

    /** Records an item (thread-safe; usable as a callback: {@code recorder::accept}). */
    @Override
    public void accept(T item) {
        items.add(item);
    }

    /** Records a callback's failure: {@link #close()} fails unless the test took it with {@link #takeFailures()}. */
    public void failed(Throwable failure) {
        failures.add(failure);
    }

    /** A registration (a subscription, a listener) that {@link #close()} closes first. */
    public Recorder<T> closing(AutoCloseable registration) {
        registrations.add(registration);
        return this;
    }

    /** The next item, whatever it is, within {@link #DEFAULT_WAIT}. */
    public T next() {
        return poll(DEFAULT_WAIT, "an item");
    }

    /** The next item, which must be a {@code type}, within {@link #DEFAULT_WAIT}. */
    public <S extends T> S next(Class<S> type) {
        return next(type, DEFAULT_WAIT);
    }

    /** The next item, which must be a {@code type}, within {@code wait}. */
    public <S extends T> S next(Class<S> type, Duration wait) {
        T item = poll(wait, type.getSimpleName());
        if (!type.isInstance(item)) {
            throw new AssertionError("expected " + type.getSimpleName() + " but got " + item);
        }
        return type.cast(item);
    }

    /** Skips items until one of this type arrives, within {@link #DEFAULT_WAIT} in all. */
    public <S extends T> S skipTo(Class<S> type) {
        return skipTo(type, DEFAULT_WAIT);
    }

    /** Skips items until one of this type arrives, within {@code wait} in all. */
    public <S extends T> S skipTo(Class<S> type, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            T item = poll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), type.getSimpleName());
            if (type.isInstance(item)) {
                return type.cast(item);
            }
        }
    }

    private T poll(Duration wait, String what) {
        try {
            T item = items.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
            if (item == null) {
                throw new AssertionError("no " + what + " within " + wait);
            }
            return item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what);
        }
    }

    /** Fails if any item is still queued. */
    public void assertExhausted() {
        T left = items.peek();
        if (left != null) {
            throw new AssertionError("unexpected " + left);
        }
    }

    /** How many items are queued. */
    public int pending() {
        return items.size();
    }

    /** Fails unless exactly {@code count} items are queued. */
    public void assertPending(int count) {
        if (items.size() != count) {
            throw new AssertionError("expected " + count + " pending, have " + items.size() + ": " + items);
        }
    }

    /** The failures recorded so far, which no longer fail {@link #close()}. */
    public List<Throwable> takeFailures() {
        List<Throwable> taken = new ArrayList<>(failures);
        failures.removeAll(taken);
        return taken;
    }

    /**
     * Closes the registrations, then fails if a callback failed and the test did not take the
     * failure: the first one is the cause, the others are suppressed.
     */
    @Override
    public void close() {
        for (AutoCloseable registration : registrations) {
            try {
                registration.close();
            } catch (Exception e) {
                throw new AssertionError("could not close " + registration, e);
            }
        }
        registrations.clear();
        List<Throwable> left = takeFailures();
        if (!left.isEmpty()) {
            AssertionError error = new AssertionError("a handler failed: " + left.get(0), left.get(0));
            left.subList(1, left.size()).forEach(error::addSuppressed);
            throw error;
        }
    }
}
