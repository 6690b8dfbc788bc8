package dev.leanws.client;

import java.time.Duration;
import java.util.Optional;

/**
 * A client with reconnection enabled is about to try again; given to the listener of
 * {@link ClientConfig.Builder#onReconnect}, on the client's own thread, before the delay.
 *
 * <pre>{@code
 * ClientConfig.builder()
 *         .reconnect(ReconnectPolicy.defaults())
 *         .onReconnect(e -> log.info("reconnect #{} in {}", e.attempt(), e.delay()))
 * }</pre>
 *
 * @param client      the client (the same handle across reconnects)
 * @param attempt     1 for the first retry after a loss, then 2, 3, ...
 * @param delay       how long the client waits before this attempt
 * @param lastFailure why the previous attempt or the connection failed, if known
 */
public record ReconnectEvent(WebSocketClient client, int attempt, Duration delay, Optional<Throwable> lastFailure) {
}
