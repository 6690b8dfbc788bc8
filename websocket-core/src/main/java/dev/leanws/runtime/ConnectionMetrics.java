package dev.leanws.runtime;

import dev.leanws.event.CloseEvent;

/**
 * Where a connection reports the two moments a server or client counts: it opened, and it
 * closed. Everything between (messages, bytes) the connection counts in its own
 * {@link TrafficCounters}, which the implementation reads when it needs them. Both calls run on
 * the connection's reader thread, once each.
 */
public interface ConnectionMetrics {

    /** Counts nothing. */
    ConnectionMetrics NONE = new ConnectionMetrics() {
    };

    /** The connection is open; its read loop starts. */
    default void opened(WebSocketConnection connection) {
    }

    /** The connection is closed (its counters are final); called before the close event is dispatched. */
    default void closed(WebSocketConnection connection, CloseEvent event) {
    }
}
