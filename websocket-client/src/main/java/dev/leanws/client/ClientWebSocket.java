package dev.leanws.client;

import dev.leanws.ConnectionState;
import dev.leanws.WebSocket;
import dev.leanws.event.EventManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The client's handle on its connection, as {@link WebSocketClient#connect} returns it: a
 * {@link WebSocket} (same send, close and backpressure semantics as a server connection, since
 * both run on the same runtime) plus its event manager and a way to wait for the end.
 *
 * <pre>{@code
 * try (ClientWebSocket ws = WebSocketClient.connect(URI.create("ws://localhost:9001/chat"))) {
 *     ws.events().subscribe(EventFilter.textMessages(), e -> System.out.println(e.text()));
 *     ws.send("hello");
 *     ...
 * }   // close(): closing handshake with 1000, returns once the connection is closed
 * }</pre>
 *
 * <p><b>One handle across reconnects.</b> With a {@link ReconnectPolicy}, the handle stays the
 * same while the connection under it is replaced: {@link #id()} and {@link #attributes()} do not
 * change, every event's {@code connection()} is this handle, and a send while no connection is
 * open returns {@code false}. {@link #state()} is {@link ConnectionState#CONNECTING} while the
 * client waits or tries to reconnect, and {@link ConnectionState#CLOSED} only once it will not
 * connect again (closed by the application, reconnection disabled, or attempts exhausted).
 *
 * <p><b>Events.</b> For each connection: one {@code OpenEvent}, messages, pongs and errors, then
 * one {@code CloseEvent}. With reconnection, each lost connection is followed by one
 * {@code ReconnectEvent} per attempt (dispatched before its delay) and, on success, by the next
 * connection's {@code OpenEvent}. When the attempts are exhausted an {@code ErrorEvent} whose
 * cause says so is the last event. Events are dispatched on the client's own virtual thread, in
 * that order.
 *
 * <p><b>Closing.</b> {@link #close()} blocks; {@link #close(int, String)} does not, as for every
 * {@link WebSocket}. Both stop reconnection for good, as does {@link #abort()}.
 */
public interface ClientWebSocket extends WebSocket {

    /**
     * The event manager this client dispatches to. Subscribing here after {@code connect}
     * returned sees every event dispatched after {@code subscribe} returns: never the first
     * {@code OpenEvent} (it was dispatched before {@code connect} returned), and possibly not a
     * message that arrived before the subscription. To see everything, subscribe through
     * {@link ClientOptions.Builder#subscribe} or {@link ClientOptions.Builder#events}.
     */
    EventManager events();

    /** The headers of the server's 101 response of the current (or last) connection; names ignore case. */
    Map<String, List<String>> handshakeHeaders();

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

    /**
     * Starts the closing handshake and returns at once (see {@link WebSocket#close(int, String)});
     * stops reconnection. {@link #awaitClosed} waits for the end.
     */
    @Override
    void close(int code, String reason);
}
