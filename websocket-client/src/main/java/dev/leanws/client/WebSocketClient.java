package dev.leanws.client;

import dev.leanws.ConnectionState;
import dev.leanws.HandshakeException;
import dev.leanws.WebSocket;
import dev.leanws.WebSocketMetrics;
import dev.leanws.event.EventManager;
import dev.leanws.http.HttpHeaders;
import dev.leanws.runtime.Watchdog;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * A WebSocket client connection (RFC 6455): {@link #connect} opens it (TCP, the opening
 * handshake), and the handle it returns is a {@link WebSocket} with the same send, close and
 * backpressure semantics as a server's connection (both run on the same runtime), plus its
 * event manager, the server's handshake response, and a way to wait for the end.
 *
 * <pre>{@code
 * ClientConfig config = ClientConfig.builder()
 *         .subprotocols(List.of("chat.v1"))
 *         .subscribe(EventFilter.textMessages(), e -> System.out.println(e.text()))
 *         .build();
 * try (WebSocketClient ws = WebSocketClient.connect(URI.create("ws://localhost:9001/chat"), config)) {
 *     ws.sendAsync("hello").join();          // written to the socket
 *     ...
 * }   // close(): closing handshake with 1000, returns once the connection is closed
 * }</pre>
 *
 * <p><b>Subscribing without a race.</b> The server may send messages at once, even in the same
 * packet as its handshake response. Handlers given in the config
 * ({@link ClientConfig.Builder#subscribe}), or subscribed beforehand to an
 * {@link EventManager} given in the config ({@link ClientConfig.Builder#events}), are
 * registered before the connection's first event: they see its {@code OpenEvent} and every
 * message. A handler subscribed to {@link #events()} after {@code connect} returns sees only
 * what is dispatched after it subscribed.
 *
 * <p><b>One handle across reconnects.</b> With a {@link ReconnectPolicy}, the handle stays the
 * same while the connection under it is replaced: {@link #id()} and {@link #attributes()} do not
 * change, every event's {@code connection()} is this handle, and a send while no connection is
 * open returns {@code false}. {@link #state()} is {@link ConnectionState#CONNECTING} while the
 * client waits or tries to reconnect, and {@link ConnectionState#CLOSED} only once it will not
 * connect again (closed by the application, reconnection disabled, or attempts exhausted).
 *
 * <p><b>Events.</b> For each connection: one {@code OpenEvent}, messages, pongs and errors, then
 * one {@code CloseEvent}, each dispatched once, on the client's own virtual thread, in that
 * order. Reconnection attempts go to {@link ClientConfig.Builder#onReconnect}; when the attempts
 * are exhausted an {@code ErrorEvent} whose cause says so is the last event.
 *
 * <p><b>What {@code connect} does.</b> Resolves the host and connects TCP (within
 * {@link ClientConfig#connectTimeout()}), sends the handshake request (a fresh random
 * {@code Sec-WebSocket-Key}, the offered subprotocols and extensions, the custom headers),
 * reads and validates the response (within the config's {@code handshakeTimeout}), starts the
 * connection's virtual thread, and returns once the {@code OpenEvent} has been dispatched. The
 * first connection is not retried: its failure is thrown, whatever the {@link ReconnectPolicy}.
 * {@code ws://} URIs with a host name, an IPv4 address or an IPv6 literal
 * ({@code ws://[::1]:9001/}), port 80 by default, path and query sent as given. {@code wss://}
 * (port 443 by default) runs TLS first, under the handshake timeout: the JDK's trust store and
 * host name verification unless {@link ClientConfig.Builder#tls} says otherwise, SNI sent for a
 * host name.
 *
 * <p><b>Closing.</b> {@link #close()} blocks; {@link #close(dev.leanws.CloseStatus)} does not,
 * as for every {@link WebSocket}. Both stop reconnection for good, as does {@link #abort()}.
 */
public interface WebSocketClient extends WebSocket {

    /** Connects with the {@linkplain ClientConfig#defaults() default configuration}. */
    static WebSocketClient connect(URI uri) throws IOException {
        return connect(uri, ClientConfig.defaults());
    }

    /**
     * Connects and completes the opening handshake.
     *
     * @return the open connection
     * @throws IllegalArgumentException       for a URI that is not {@code ws://} or {@code wss://} with a host
     * @throws javax.net.ssl.SSLHandshakeException when TLS fails ({@code wss://}): the message names
     *                                        the cause (an expired or untrusted certificate, a
     *                                        certificate for another host name, no common protocol)
     * @throws HandshakeException             when the server refused (any status but 101; its
     *                                        status, headers and the start of its body are in the
     *                                        exception) or answered with a 101 that breaks RFC 6455 §4.1
     * @throws java.net.ProtocolException     when the response is not a valid HTTP/1.1 head
     * @throws java.net.SocketTimeoutException when the connect or handshake timeout passed
     * @throws java.net.UnknownHostException  when the host name cannot be resolved
     * @throws IOException                    for any other failure: connection refused, connection
     *                                        closed during the handshake
     */
    static WebSocketClient connect(URI uri, ClientConfig config) throws IOException {
        Dialer dialer = new Dialer(uri, config, Connector.forTarget(dev.leanws.handshake.WebSocketUri.of(uri), config),
                Watchdog.shared());
        return SupervisedClient.connect(dialer, config, new SplittableRandom());
    }

    /**
     * The event manager this client dispatches to. Subscribing here after {@code connect}
     * returned sees every event dispatched after {@code subscribe} returns: never the first
     * {@code OpenEvent} (it was dispatched before {@code connect} returned), and possibly not a
     * message that arrived before the subscription. To see everything, subscribe through
     * {@link ClientConfig.Builder#subscribe} or {@link ClientConfig.Builder#events}.
     */
    EventManager events();

    /**
     * A snapshot of this client's counters across all its connections (reconnects included):
     * messages and bytes both ways, closes by cause and code, handshakes accepted and refused
     * by status (reconnection attempts), bytes queued outbound now.
     *
     * <pre>{@code
     * WebSocketMetrics m = ws.metrics();
     * log.info("sent {} messages, received {}, reconnected {} times",
     *         m.sent().messages(), m.received().messages(), m.connectionsOpened() - 1);
     * }</pre>
     */
    WebSocketMetrics metrics();

    /** The headers of the server's 101 response of the current (or last) connection; names ignore case. */
    HttpHeaders responseHeaders();

    /**
     * Waits until the client is closed for good ({@link #state()} is {@link ConnectionState#CLOSED}
     * and the last event was dispatched).
     *
     * @return whether it is closed; false if the timeout passed first
     */
    boolean awaitClosed(Duration timeout) throws InterruptedException;

    /**
     * Closes with 1000 and waits until the connection is closed: the closing handshake, then
     * the end of TCP, then the {@code CloseEvent} handlers. Bounded by the close timeout
     * ({@link dev.leanws.WebSocketConfig#closeTimeout()}, after which the connection is dropped)
     * plus one second for the close handlers. From an event handler of this client it only
     * starts the closing, since waiting there would wait for itself.
     */
    @Override
    void close();
}
