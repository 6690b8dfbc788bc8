package dev.leanws.event;

import dev.leanws.WebSocket;
import java.time.Duration;
import java.util.Optional;

/**
 * A client with reconnection enabled is about to try again (client only).
 *
 * @param connection  the client's connection handle (stable across reconnects)
 * @param attempt     1 for the first retry after a loss, then 2, 3, ...
 * @param delay       how long the client waits before this attempt
 * @param lastFailure why the previous attempt or the connection failed, if known
 */
public record ReconnectEvent(WebSocket connection, int attempt, Duration delay, Optional<Throwable> lastFailure)
        implements WsEvent {
}
