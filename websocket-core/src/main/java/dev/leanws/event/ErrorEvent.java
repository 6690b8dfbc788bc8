package dev.leanws.event;

import dev.leanws.WebSocket;

/**
 * Something went wrong on the connection: a protocol violation by the peer (the cause is then
 * a {@link dev.leanws.ProtocolViolationException} with the close status it was failed with), or
 * an I/O failure ({@link java.io.IOException}). A {@link CloseEvent} follows when the error ends
 * the connection (it usually does). Exceptions thrown by event handlers are not reported here:
 * they go to the {@link EventManager}'s failure handler.
 *
 * @param connection the connection
 * @param cause      what happened
 */
public record ErrorEvent(WebSocket connection, Throwable cause) implements WsEvent {
}
