package dev.leanws;

import dev.leanws.http.HttpRequest;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One WebSocket connection, as the server and the client both hand it to the application.
 *
 * <p><b>Lifecycle.</b> {@link ConnectionState#OPEN} once the opening handshake succeeded;
 * {@link ConnectionState#CLOSING} once a Close frame was sent or received (or the connection is
 * being dropped); {@link ConnectionState#CLOSED} once the TCP connection is gone. Exactly one
 * close event is dispatched per connection, whatever ended it, with its {@link CloseCause}.
 *
 * <p><b>Threads.</b> Every method is safe to call from any thread. Frames go out in the order
 * their {@code send} calls returned. Events of one connection are dispatched in order on that
 * connection's own (virtual) thread; a send made from there is buffered and written once the
 * bytes of the current read are processed, so a burst of small replies costs one write.
 *
 * <p><b>Sending.</b> {@code send} queues the message and returns without waiting for the peer;
 * {@code false} means the message was not queued: the connection is closing, or the outbound
 * budget ({@link WebSocketConfig#maxOutboundBytes()}) is full and the {@link BackpressurePolicy}
 * refused it. A send from another connection's handler, a broadcast or any thread but this
 * connection's own never waits for this connection's peer. {@code sendAsync} returns a future
 * that completes once the whole message has been written to the socket, or fails with a
 * {@link SendFailedException} when it was refused or the connection ended first: wait on it to
 * pace a producer to what the peer reads.
 *
 * <p><b>Buffers.</b> {@link #send(ByteBuffer)} and {@link #sendAsync(ByteBuffer)} do not copy
 * large payloads: the bytes between the buffer's position and limit must not change until the
 * message is written, i.e. until the future of {@code sendAsync} completes (either way). The
 * buffer's position and limit are never changed. Text is encoded at once; the String may be
 * reused immediately.
 *
 * <pre>{@code
 * server.events().subscribe(EventFilter.textMessages(), event -> {
 *     WebSocket ws = event.connection();
 *     if (!ws.send("echo: " + event.text())) {
 *         log.info("{} is not keeping up ({} bytes queued)", ws.id(), ws.bufferedAmount());
 *     }
 * });
 *
 * // a producer that never runs ahead of the peer by more than one chunk
 * for (ByteBuffer chunk : chunks) {
 *     ws.sendAsync(chunk).join();      // written to the socket: the buffer may be reused
 * }
 * }</pre>
 */
public interface WebSocket extends AutoCloseable {

    /** A short identifier, unique within the process (for logs and {@code EventFilter.connection}). */
    String id();

    /** The peer's address. */
    InetSocketAddress remoteAddress();

    /** Our end of the TCP connection. */
    InetSocketAddress localAddress();

    /**
     * The opening request of this connection, for its whole life: on the server, the client's
     * request (path, query parameters, headers, addresses, and the path parameters of the
     * endpoint that took it); on the client, the request we sent.
     */
    HttpRequest request();

    /** The subprotocol agreed in the opening handshake, if any. */
    Optional<String> subprotocol();

    /** The extensions agreed in the opening handshake, as {@code Sec-WebSocket-Extensions} elements. */
    List<String> extensions();

    /** The application's typed attributes of this connection (thread-safe, mutable). */
    Attributes attributes();

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
     * Sends a binary message with the bytes between the buffer's position and limit (see the
     * class description for when the buffer may be reused).
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
     * Sends a text message and tells when it has been written.
     *
     * @return completed once the whole message was written to the socket; completed
     *         exceptionally with a {@link SendFailedException} if it was refused or the
     *         connection ended before. Dependent actions run in the thread that wrote (a
     *         connection's thread): use the {@code *Async} variants for blocking work.
     */
    CompletableFuture<Void> sendAsync(String text);

    /**
     * Sends a binary message (the buffer's remaining bytes) and tells when it has been written;
     * the buffer may be reused once the future completes, either way.
     *
     * @return as {@link #sendAsync(String)}
     */
    CompletableFuture<Void> sendAsync(ByteBuffer data);

    /**
     * Sends a ping with up to 125 bytes of application data; the pong arrives as a
     * {@code PongEvent}.
     *
     * @return whether the ping was queued
     * @throws IllegalArgumentException if the payload is longer than 125 bytes
     */
    boolean ping(ByteBuffer payload);

    /**
     * Starts the closing handshake: sends a Close frame with this status, then waits (on the
     * connection's own thread, not the caller's) for the peer's Close up to
     * {@link WebSocketConfig#closeTimeout()}, then closes the TCP connection. Calling it again,
     * or after the peer started closing, does nothing.
     *
     * <pre>{@code
     * ws.close(CloseStatus.GOING_AWAY.withReason("maintenance"));
     * ws.close(CloseStatus.of(4000, "kicked"));
     * }</pre>
     *
     * @param status a status that {@link CloseStatus#isSendable() can be sent}
     * @throws IllegalArgumentException for a code that cannot be sent or a reason over 123 UTF-8
     *                                  bytes; the message says which
     */
    void close(CloseStatus status);

    /** Closes with 1000 (normal closure) and no reason. */
    @Override
    default void close() {
        close(CloseStatus.NORMAL);
    }

    /** Drops the TCP connection at once, without a closing handshake (cause {@link CloseCause#ABORTED}, code 1006). */
    void abort();
}
