package dev.leanws.client;

import dev.leanws.HandshakeException;
import dev.leanws.client.OpeningHandshake.Established;
import java.io.IOException;
import java.net.URI;
import java.util.SplittableRandom;

/**
 * Connects to WebSocket servers (RFC 6455): TCP, the opening handshake, then a connection that
 * runs on its own virtual thread with the same runtime, events and semantics as the server's.
 *
 * <pre>{@code
 * ClientOptions options = ClientOptions.builder()
 *         .subprotocols(List.of("chat.v1"))
 *         .subscribe(EventFilter.textMessages(), e -> System.out.println(e.text()))
 *         .build();
 * try (ClientWebSocket ws = WebSocketClient.connect(URI.create("ws://localhost:9001/chat"), options)) {
 *     ws.send("hello");
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Subscribing without a race.</b> The server may send messages at once, even in the same
 * packet as its handshake response. Handlers given in the options
 * ({@link ClientOptions.Builder#subscribe}), or subscribed beforehand to an
 * {@link dev.leanws.event.EventManager} given in the options
 * ({@link ClientOptions.Builder#events}), are registered before the connection's first event:
 * they see its {@code OpenEvent} and every message. A handler subscribed to
 * {@link ClientWebSocket#events()} after {@code connect} returns sees only what is dispatched
 * after it subscribed: never that {@code OpenEvent} (dispatched before {@code connect}
 * returns), and not a message that arrived in between.
 *
 * <p><b>What {@code connect} does.</b> Resolves the host and connects TCP (within
 * {@link ClientOptions#connectTimeout()}), sends the handshake request (a fresh random
 * {@code Sec-WebSocket-Key}, the offered subprotocols and extensions, the custom headers),
 * reads and validates the response (within the config's {@code handshakeTimeout}), starts the
 * connection's virtual thread, and returns once the {@code OpenEvent} has been dispatched. The
 * first connection is not retried: its failure is thrown, whatever the {@link ReconnectPolicy}.
 *
 * <p>{@code ws://} URIs with a host name, an IPv4 address or an IPv6 literal
 * ({@code ws://[::1]:9001/}), port 80 by default, path and query sent as given. {@code wss://}
 * is refused until TLS support lands.
 */
public final class WebSocketClient {

    private WebSocketClient() {
    }

    /** Connects with the {@linkplain ClientOptions#defaults() default options}. */
    public static ClientWebSocket connect(URI uri) throws IOException {
        return connect(uri, ClientOptions.defaults());
    }

    /**
     * Connects and completes the opening handshake.
     *
     * @return the open connection
     * @throws IllegalArgumentException       for a URI that is not {@code ws://} with a host, or a
     *                                        {@code wss://} URI (not supported yet)
     * @throws HandshakeException             when the server refused (any status but 101; its
     *                                        status, headers and the start of its body are in the
     *                                        exception) or answered
     *                                        with a 101 that breaks RFC 6455 §4.1
     * @throws java.net.ProtocolException     when the response is not a valid HTTP/1.1 head
     * @throws java.net.SocketTimeoutException when the connect or handshake timeout passed
     * @throws IOException                    for any other failure: unknown host, connection
     *                                        refused, connection closed during the handshake
     */
    public static ClientWebSocket connect(URI uri, ClientOptions options) throws IOException {
        return connect(Dialer.forUri(uri, options), options);
    }

    /** Connects through a given dialer (tests plug in connectors and watchdogs here). */
    static ClientWebSocket connect(Dialer dialer, ClientOptions options) throws IOException {
        Established first = dialer.dial();
        ClientConnection client = new ClientConnection(dialer, options, new SplittableRandom());
        client.start(first);
        return client;
    }
}
