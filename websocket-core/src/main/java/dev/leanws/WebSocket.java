package dev.leanws;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One WebSocket connection, as the server and the client both hand it to the application.
 *
 * <p><b>Lifecycle.</b> {@link ConnectionState#OPEN} once the opening handshake succeeded;
 * {@link ConnectionState#CLOSING} once a Close frame was sent or received;
 * {@link ConnectionState#CLOSED} once the TCP connection is gone. Exactly one close event is
 * dispatched per connection, whatever ended it.
 *
 * <p><b>Threads.</b> Every method is safe to call from any thread. Frames go out in the order
 * their {@code send} calls returned. Events of one connection are dispatched in order on that
 * connection's own (virtual) thread; a send made from there is buffered and written once the
 * bytes of the current read are processed, so a burst of small replies costs one write.
 *
 * <p><b>Sending.</b> {@code send} queues the message and returns without waiting for the peer.
 * It returns {@code false} when the message was not queued: the connection is not open, or the
 * outbound budget ({@link WebSocketConfig#maxOutboundBytes()}) was exceeded and the
 * {@link BackpressurePolicy} refused it. {@link #bufferedAmount()} tells how much is queued.
 *
 * <pre>{@code
 * server.events().subscribe(EventFilter.textMessages(), event -> {
 *     WebSocket ws = event.connection();
 *     if (!ws.send("echo: " + event.text())) {
 *         log.info("{} is not keeping up ({} bytes queued)", ws.id(), ws.bufferedAmount());
 *     }
 * });
 * }</pre>
 */
public interface WebSocket extends AutoCloseable {

    /** A short identifier, unique within the process (for logs and {@code EventFilter.connection}). */
    String id();

    /** The peer's address. */
    InetSocketAddress remoteAddress();

    /** The subprotocol agreed in the opening handshake, if any. */
    Optional<String> subprotocol();

    /** The extensions agreed in the opening handshake, as {@code Sec-WebSocket-Extensions} elements. */
    List<String> extensions();

    /**
     * Application attributes of this connection (thread-safe, mutable). The server's upgrade
     * hook can fill it before the connection opens, e.g. with the authenticated user.
     */
    Map<String, Object> attributes();

    /** Where the connection is in its life. */
    ConnectionState state();

    /** Whether messages can be sent: {@code state() == OPEN}. */
    default boolean isOpen() {
        return state() == ConnectionState.OPEN;
    }

    /** Bytes queued for the peer and not yet written to the socket. */
    long bufferedAmount();

    /**
     * Sends a text message.
     *
     * @return whether the message was queued (see the class description)
     */
    boolean send(String text);

    /**
     * Sends a binary message with the bytes between the buffer's position and limit. The buffer's
     * position is not changed; its contents must not change until the message is written.
     *
     * @return whether the message was queued
     */
    boolean send(ByteBuffer data);

    /**
     * Sends a binary message.
     *
     * @return whether the message was queued
     */
    default boolean send(byte[] data) {
        return send(ByteBuffer.wrap(data));
    }

    /**
     * Sends a ping with up to 125 bytes of application data; the pong arrives as a
     * {@code PongEvent}.
     *
     * @return whether the ping was queued
     * @throws IllegalArgumentException if the payload is longer than 125 bytes
     */
    boolean ping(ByteBuffer payload);

    /**
     * Starts the closing handshake: sends a Close frame with this code and reason, then waits (on
     * the connection's own thread, not the caller's) for the peer's Close up to
     * {@link WebSocketConfig#closeTimeout()}, then closes the TCP connection. Calling it again,
     * or after the peer started closing, does nothing.
     *
     * @param code   a code that is valid on the wire (see {@link CloseStatus#isValidOnWire(int)})
     * @param reason at most 123 UTF-8 bytes
     * @throws IllegalArgumentException for an invalid code or a reason that is too long
     */
    void close(int code, String reason);

    /** Closes with 1000 (normal closure) and no reason. */
    @Override
    default void close() {
        close(CloseStatus.NORMAL.code(), "");
    }

    /** Drops the TCP connection at once, without a closing handshake (reported as 1006). */
    void abort();
}
