package dev.leanws.event;

import dev.leanws.WebSocket;

/**
 * Something that happened on a connection. The hierarchy is sealed, so a handler can
 * {@code switch} over it exhaustively:
 *
 * <pre>{@code
 * server.events().subscribe(EventFilter.all(), event -> {
 *     switch (event) {
 *         case OpenEvent e -> log.info("{} open", e.connection().id());
 *         case TextEvent e -> e.connection().send(e.text());
 *         case BinaryEvent e -> e.connection().send(e.data());
 *         case PongEvent e -> { }
 *         case CloseEvent e -> log.info("{} closed: {} {}", e.connection().id(), e.cause(), e.status());
 *         case ErrorEvent e -> log.warn("{} failed", e.connection().id(), e.cause());
 *     }
 * });
 * }</pre>
 *
 * <p>Per connection the order is: one {@link OpenEvent}; any number of messages, pongs and
 * errors; exactly one {@link CloseEvent}, last.
 */
public sealed interface WsEvent
        permits OpenEvent, MessageEvent, PongEvent, CloseEvent, ErrorEvent {

    /** The connection this event belongs to. */
    WebSocket connection();
}
