package dev.leanws.event;

import dev.leanws.WebSocket;

/**
 * The opening handshake succeeded; the connection is open. Dispatched before any message.
 *
 * @param connection the new connection
 */
public record OpenEvent(WebSocket connection) implements WsEvent {
}
