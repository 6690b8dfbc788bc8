package dev.leanws.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.event.EventFilter;
import dev.leanws.event.EventManager;
import dev.leanws.event.Subscription;
import dev.leanws.event.WsEvent;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Records every event of an {@link EventManager} in a queue that tests poll with a deadline
 * (the OkHttp WebSocketRecorder idea): no sleeps, and a missing event fails after the deadline
 * instead of hanging.
 */
public final class EventRecorder implements AutoCloseable {

    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<WsEvent> events = new LinkedBlockingQueue<>();
    private final Subscription subscription;

    public EventRecorder(EventManager manager) {
        this.subscription = manager.subscribe(EventFilter.all(), events::add);
    }

    /** The next event, which must be of this type, within {@link #DEFAULT_WAIT}. */
    public <T extends WsEvent> T next(Class<T> type) {
        return next(type, DEFAULT_WAIT);
    }

    public <T extends WsEvent> T next(Class<T> type, Duration wait) {
        WsEvent event;
        try {
            event = events.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + type.getSimpleName());
        }
        if (event == null) {
            throw new AssertionError("no " + type.getSimpleName() + " within " + wait);
        }
        assertTrue(type.isInstance(event), "expected " + type.getSimpleName() + " but got " + event);
        return type.cast(event);
    }

    /** Skips events until one of this type arrives (within the deadline). */
    public <T extends WsEvent> T skipTo(Class<T> type) {
        long deadline = System.nanoTime() + DEFAULT_WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            WsEvent event;
            try {
                event = events.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
            if (event == null) {
                throw new AssertionError("no " + type.getSimpleName() + " within " + DEFAULT_WAIT);
            }
            if (type.isInstance(event)) {
                return type.cast(event);
            }
        }
    }

    /** Fails if any event is still queued. */
    public void assertExhausted() {
        assertNull(events.peek(), "unexpected event");
    }

    public int pending() {
        return events.size();
    }

    public void assertPending(int count) {
        assertEquals(count, events.size());
    }

    @Override
    public void close() {
        subscription.close();
    }
}
