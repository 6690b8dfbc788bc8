package dev.leanws.event;

import dev.leanws.WebSocket;

/**
 * Something went wrong on the connection: a protocol violation by the peer, an I/O failure, a
 * timeout. A {@link CloseEvent} follows when the error ends the connection (it usually does).
 * Exceptions thrown by event handlers are logged, not reported here.
 *
 * @param connection the connection
 * @param cause      what happened
 */
public record ErrorEvent(WebSocket connection, Throwable cause) implements WsEvent {
}
