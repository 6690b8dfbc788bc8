package dev.leanws.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Chooses the events a handler receives. A filter has a type (the event class it accepts) and a
 * condition on events of that type, so the handler gets the event already typed:
 *
 * <pre>{@code
 * // every text message from any connection
 * events.subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()));
 * // closes of one connection
 * events.subscribe(EventFilter.closes().and(EventFilter.connection(ws.id())), e -> log.info("{}", e.code()));
 * // large binary messages
 * events.subscribe(EventFilter.binaryMessages().and(e -> e.data().remaining() > 1024), e -> store(e));
 * }</pre>
 *
 * @param <T> the event type the filter accepts
 */
public final class EventFilter<T extends WsEvent> {

    private static final EventFilter<WsEvent> ALL = new EventFilter<>(WsEvent.class, e -> true);

    private final Class<T> type;
    private final Predicate<? super T> condition;

    private EventFilter(Class<T> type, Predicate<? super T> condition) {
        this.type = Objects.requireNonNull(type, "type");
        this.condition = Objects.requireNonNull(condition, "condition");
    }

    /** Every event. */
    public static EventFilter<WsEvent> all() {
        return ALL;
    }

    /** Events of one kind (a class of the {@link WsEvent} hierarchy). */
    public static <T extends WsEvent> EventFilter<T> ofType(Class<T> type) {
        return new EventFilter<>(type, e -> true);
    }

    /** Connections that opened. */
    public static EventFilter<OpenEvent> opens() {
        return ofType(OpenEvent.class);
    }

    /** Text and binary messages. */
    public static EventFilter<MessageEvent> messages() {
        return ofType(MessageEvent.class);
    }

    /** Text messages. */
    public static EventFilter<TextEvent> textMessages() {
        return ofType(TextEvent.class);
    }

    /** Binary messages. */
    public static EventFilter<BinaryEvent> binaryMessages() {
        return ofType(BinaryEvent.class);
    }

    /** Pongs. */
    public static EventFilter<PongEvent> pongs() {
        return ofType(PongEvent.class);
    }

    /** Closed connections. */
    public static EventFilter<CloseEvent> closes() {
        return ofType(CloseEvent.class);
    }

    /** Errors. */
    public static EventFilter<ErrorEvent> errors() {
        return ofType(ErrorEvent.class);
    }

    /** Any event of the connection with this {@link dev.leanws.WebSocket#id()}. */
    public static EventFilter<WsEvent> connection(String connectionId) {
        Objects.requireNonNull(connectionId, "connectionId");
        return new EventFilter<>(WsEvent.class, e -> connectionId.equals(e.connection().id()));
    }

    /** Events accepted by any of the given filters. */
    @SafeVarargs
    public static EventFilter<WsEvent> anyOf(EventFilter<? extends WsEvent>... filters) {
        // Copied element by element: the array itself never escapes (what makes @SafeVarargs true).
        List<EventFilter<?>> copy = new ArrayList<>(filters.length);
        for (EventFilter<? extends WsEvent> filter : filters) {
            copy.add(Objects.requireNonNull(filter, "filter"));
        }
        return new EventFilter<>(WsEvent.class, e -> {
            for (EventFilter<?> f : copy) {
                if (f.accepts(e)) {
                    return true;
                }
            }
            return false;
        });
    }

    /** The event class this filter accepts. */
    public Class<T> type() {
        return type;
    }

    /** Whether the event passes this filter. */
    public boolean accepts(WsEvent event) {
        return type.isInstance(event) && condition.test(type.cast(event));
    }

    /** Events that pass this filter and also satisfy {@code condition}. */
    public EventFilter<T> and(Predicate<? super T> extra) {
        Objects.requireNonNull(extra, "extra");
        Predicate<? super T> first = condition;
        return new EventFilter<>(type, e -> first.test(e) && extra.test(e));
    }

    /** Events that pass this filter and {@code other} (e.g. a kind and a connection). */
    public EventFilter<T> and(EventFilter<? super T> other) {
        Objects.requireNonNull(other, "other");
        return and((T e) -> other.accepts(e));
    }

    /** Events of this filter's type that do not pass its condition. */
    public EventFilter<T> negate() {
        Predicate<? super T> first = condition;
        return new EventFilter<>(type, e -> !first.test(e));
    }
}
