package dev.leanws.demo;

import dev.leanws.DeflateConfig;
import dev.leanws.WebSocketConfig;
import dev.leanws.event.EventFilter;
import dev.leanws.server.TlsConfig;
import dev.leanws.server.WebSocketServer;
import java.io.IOException;

/**
 * {@code echo}: the smallest useful server. Every text and binary message comes back unchanged,
 * on any path; the library answers pings and the closing handshake and sends keep-alive pings
 * (every 30 s of silence). {@link Main} prints the address and stops the server on Ctrl-C or
 * SIGTERM.
 *
 * <p>It is also the leanws entry of the load benchmark against Java-WebSocket, Jetty, Netty and
 * Node's ws, so it uses the settings those peers run with there: messages up to 64 MiB and no
 * idle timeout; everything else is the library's default.
 */
final class EchoServer {

    private static final long LIMIT = 64L << 20;   // 64 MiB

    private EchoServer() {
    }

    static WebSocketServer start(String host, int port) throws IOException {
        return start(host, port, null, DeflateConfig.defaults());
    }

    /** The server with these permessage-deflate settings ({@code --no-deflate}: disabled). */
    static WebSocketServer start(String host, int port, DeflateConfig deflate) throws IOException {
        return start(host, port, null, deflate);
    }

    /** With {@code tls} non-null: {@code wss://} on the port. */
    static WebSocketServer start(String host, int port, TlsConfig tls) throws IOException {
        return start(host, port, tls, DeflateConfig.defaults());
    }

    /** With {@code tls} non-null: {@code wss://} on the port; permessage-deflate as {@code deflate} says. */
    static WebSocketServer start(String host, int port, TlsConfig tls, DeflateConfig deflate) throws IOException {
        return start(host, port, tls, deflate, 0);
    }

    /** As above, serving at most {@code maxConnections} at once ({@code --max-connections}; 0: the library's default). */
    static WebSocketServer start(String host, int port, TlsConfig tls, DeflateConfig deflate, int maxConnections)
            throws IOException {
        WebSocketServer.Builder builder = WebSocketServer.builder()
                .deflate(deflate)
                .host(host)
                .port(port)
                .config(WebSocketConfig.builder().maxFrameSize(LIMIT).maxMessageSize(LIMIT).build());
        if (tls != null) {
            builder.tls(tls);
        }
        if (maxConnections > 0) {
            builder.maxConnections(maxConnections);
        }
        WebSocketServer server = builder.build();
        server.events().subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()));
        server.events().subscribe(EventFilter.binaryMessages(), e -> e.connection().send(e.data()));
        return server.start();
    }
}
