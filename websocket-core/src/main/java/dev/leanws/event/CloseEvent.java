package dev.leanws.event;

import dev.leanws.CloseCause;
import dev.leanws.CloseStatus;
import dev.leanws.WebSocket;

/**
 * The connection is closed (TCP included). The last event of every connection.
 *
 * <p>{@link #cause()} says why, as a value to {@code switch} on; {@link #status()} is the
 * status of the closing handshake: the peer's when the peer closed first, ours when we did.
 * 1005 means the peer's Close frame had no code; 1006 means the closing handshake did not
 * complete (network failure, timeout, abort), and the reason then says why, e.g.
 * {@code "pong timeout: no pong within 10000 ms"}.
 *
 * <pre>{@code
 * server.events().subscribe(EventFilter.closes(), e -> {
 *     switch (e.cause()) {
 *         case PEER_CLOSE -> log.debug("{} left: {}", e.connection().id(), e.status());
 *         case PONG_TIMEOUT, PEER_DISCONNECTED -> log.info("{} vanished", e.connection().id());
 *         default -> log.info("{} ended: {} {}", e.connection().id(), e.cause(), e.status());
 *     }
 * });
 * }</pre>
 *
 * @param connection the connection
 * @param cause      why it ended
 * @param status     the closing handshake's status, or 1006 with the reason it was dropped
 * @param remote     whether the peer started the end (its Close, its violation, its disconnect)
 * @param clean      whether the closing handshake completed (the browser's {@code wasClean})
 */
public record CloseEvent(WebSocket connection, CloseCause cause, CloseStatus status, boolean remote, boolean clean)
        implements WsEvent {

    /** The close code: {@code status().code()}. */
    public int code() {
        return status.code();
    }

    /** The close reason, possibly empty: {@code status().reason()}. */
    public String reason() {
        return status.reason();
    }
}
