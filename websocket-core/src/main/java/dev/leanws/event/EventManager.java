package dev.leanws.event;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribe and dispatch of connection events: the hub between the connections and the
 * application's handlers.
 *
 * <pre>{@code
 * EventManager events = server.events();
 * Subscription echo = events.subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()));
 * Subscription log = events.subscribe(EventFilter.closes(), e -> LOG.info("closed {}", e.code()));
 * ...
 * echo.close();   // stop echoing
 * }</pre>
 *
 * <p>Thread-safe. {@link #dispatch(WsEvent)} calls the matching handlers in the calling thread,
 * in subscription order; the runtime calls it on each connection's own thread, so one
 * connection's events reach a handler in order and a slow handler slows only that connection.
 * The handler list is copy-on-write: dispatch takes no lock and allocates nothing, subscribing
 * costs a copy of the list.
 *
 * <p><b>Handler failures.</b> A handler that throws (an exception or an {@link AssertionError})
 * does not affect the other handlers or the connection: the failure goes to the
 * {@link FailureHandler} (by default: logged at WARN). A test makes an assertion inside a
 * handler count by collecting the failures:
 *
 * <pre>{@code
 * List<Throwable> failures = new CopyOnWriteArrayList<>();
 * server.events().onHandlerFailure((event, failure) -> failures.add(failure));
 * ...
 * assertEquals(List.of(), failures);
 * }</pre>
 */
public final class EventManager {

    /** Receives what a handler threw, instead of the log. */
    @FunctionalInterface
    public interface FailureHandler {
        /**
         * @param event   the event the handler was given
         * @param failure what it threw
         */
        void onFailure(WsEvent event, Throwable failure);
    }

    private static final Logger LOG = LoggerFactory.getLogger(EventManager.class);
    private static final Entry<?>[] NONE = new Entry<?>[0];
    private static final FailureHandler LOG_AT_WARN = (event, failure) -> LOG.warn(
            "event handler failed on {} of connection {}", event.getClass().getSimpleName(), event.connection().id(), failure);

    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile Entry<?>[] entries = NONE;
    private volatile FailureHandler failureHandler = LOG_AT_WARN;

    /** A manager with no handlers. */
    public EventManager() {
    }

    /** Where handler failures go from now on (default: a WARN log line with the stack trace). */
    public void onHandlerFailure(FailureHandler handler) {
        this.failureHandler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Calls {@code handler} for every dispatched event that {@code filter} accepts, until the
     * returned subscription is closed.
     */
    public <T extends WsEvent> Subscription subscribe(EventFilter<T> filter, EventHandler<? super T> handler) {
        Entry<T> entry = new Entry<>(this, Objects.requireNonNull(filter, "filter"),
                Objects.requireNonNull(handler, "handler"));
        writeLock.lock();
        try {
            Entry<?>[] current = entries;
            Entry<?>[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = entry;
            entries = next;
        } finally {
            writeLock.unlock();
        }
        return entry;
    }

    /** Delivers the event to every handler whose filter accepts it, in the calling thread. */
    public void dispatch(WsEvent event) {
        for (Entry<?> entry : entries) {
            entry.deliver(event);
        }
    }

    /** The number of active subscriptions. */
    public int subscriptionCount() {
        return entries.length;
    }

    private void handlerFailed(WsEvent event, Throwable failure) {
        try {
            failureHandler.onFailure(event, failure);
        } catch (RuntimeException | AssertionError e) {
            e.addSuppressed(failure);
            LOG_AT_WARN.onFailure(event, e);
        }
    }

    private void remove(Entry<?> entry) {
        writeLock.lock();
        try {
            Entry<?>[] current = entries;
            for (int i = 0; i < current.length; i++) {
                if (current[i] == entry) {
                    Entry<?>[] next = new Entry<?>[current.length - 1];
                    System.arraycopy(current, 0, next, 0, i);
                    System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                    entries = next;
                    return;
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    private static final class Entry<T extends WsEvent> implements Subscription {
        private final EventManager owner;
        private final EventFilter<T> filter;
        private final EventHandler<? super T> handler;
        private volatile boolean active = true;

        Entry(EventManager owner, EventFilter<T> filter, EventHandler<? super T> handler) {
            this.owner = owner;
            this.filter = filter;
            this.handler = handler;
        }

        void deliver(WsEvent event) {
            if (!active || !filter.accepts(event)) {
                return;
            }
            try {
                handler.handle(filter.type().cast(event));
            } catch (Exception | AssertionError e) {
                owner.handlerFailed(event, e);
            }
        }

        @Override
        public boolean isActive() {
            return active;
        }

        @Override
        public void close() {
            if (active) {
                active = false;
                owner.remove(this);
            }
        }
    }
}
