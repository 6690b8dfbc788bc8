package dev.leanws.event;

import dev.leanws.WebSocket;

/**
 * The connection is closed (TCP included). The last event of every connection.
 *
 * <p>{@code code} is the code of the closing handshake: the peer's code when the peer closed
 * first, ours when we did. 1005 means the peer's Close frame had no code; 1006 means the
 * connection ended without a complete closing handshake (network failure, timeout, abort), and
 * {@code reason} then says why, e.g. {@code "pong timeout"}.
 *
 * @param connection the connection
 * @param code       the close code
 * @param reason     the reason, possibly empty
 * @param remote     whether the peer started the closing (or broke the connection)
 */
public record CloseEvent(WebSocket connection, int code, String reason, boolean remote) implements WsEvent {
}
