package dev.leanws.client;

import dev.leanws.Attributes;
import dev.leanws.CloseStatus;
import dev.leanws.UpgradeConfig;
import dev.leanws.http.internal.ImmutableHttpRequest;
import dev.leanws.runtime.Watchdog;
import dev.leanws.WebSocketConfig;
import dev.leanws.event.EventFilter;
import dev.leanws.event.EventManager;
import dev.leanws.handshake.HandshakeResult;
import dev.leanws.http.internal.HttpHeadParser;
import dev.leanws.http.internal.HttpParseException;
import dev.leanws.http.internal.HttpRequestHead;
import dev.leanws.handshake.ServerHandshake;
import dev.leanws.runtime.ConnectionSetup;
import dev.leanws.runtime.PlainTransport;
import dev.leanws.runtime.TlsTransport;
import dev.leanws.runtime.Transport;
import dev.leanws.runtime.WebSocketConnection;
import dev.leanws.session.Role;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A small echo server built from core alone (ServerSocketChannel + ServerHandshake +
 * WebSocketConnection), so client tests run against a real RFC 6455 server before the server
 * module exists. Text and binary messages are echoed; the text {@code "!close CODE REASON"}
 * makes the server start the closing handshake. Once the server module is merged, the same
 * tests can run against {@code WebSocketServer} by swapping this class.
 */
final class EchoServer implements AutoCloseable {

    private final InetAddress address;
    private final UpgradeConfig upgrade;
    private final EventManager events = new EventManager();
    private final Set<WebSocketConnection> live = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<HttpRequestHead> requests = new LinkedBlockingQueue<>();
    private volatile ServerSocketChannel listener;
    private volatile javax.net.ssl.SSLContext tls;   // null: plain TCP
    private volatile boolean needClientAuth;
    private volatile int port;

    private EchoServer(InetAddress address, UpgradeConfig upgrade) {
        this.address = address;
        this.upgrade = upgrade;
        events.subscribe(EventFilter.textMessages(), e -> {
            if (e.text().startsWith("!close ")) {
                String[] parts = e.text().split(" ", 3);
                e.connection().close(CloseStatus.of(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : ""));
            } else {
                e.connection().send(e.text());
            }
        });
        events.subscribe(EventFilter.binaryMessages(), e -> e.connection().send(e.data()));
    }

    static EchoServer start() throws IOException {
        return start(InetAddress.getLoopbackAddress(), UpgradeConfig.defaults());
    }

    static EchoServer start(InetAddress address, UpgradeConfig upgrade) throws IOException {
        EchoServer server = new EchoServer(address, upgrade);
        server.listen(0);
        return server;
    }

    /** The same server over TLS ({@code wss://}) with the certificates of {@code context}. */
    static EchoServer startTls(javax.net.ssl.SSLContext context, boolean needClientAuth) throws IOException {
        EchoServer server = new EchoServer(InetAddress.getLoopbackAddress(), UpgradeConfig.defaults());
        server.tls = context;
        server.needClientAuth = needClientAuth;
        server.listen(0);
        return server;
    }

    /** Server-side events (the echo handlers are subscribed already). */
    EventManager events() {
        return events;
    }

    /** Every upgrade request received, in order. */
    BlockingQueue<HttpRequestHead> requests() {
        return requests;
    }

    int port() {
        return port;
    }

    URI uri(String pathAndQuery) {
        String host = address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        return URI.create((tls == null ? "ws://" : "wss://") + host + ":" + port + pathAndQuery);
    }

    /** Drops every live connection without a closing handshake (a crash, as the client sees it). */
    void dropAll() {
        live.forEach(WebSocketConnection::abort);
    }

    /** Stops accepting: new connections are refused until {@link #listenAgain()}. */
    void stopListening() throws IOException {
        listener.close();
    }

    /** Listens again on the same port. */
    void listenAgain() throws IOException {
        listen(port);
    }

    private void listen(int onPort) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        channel.bind(new InetSocketAddress(address, onPort));
        port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        listener = channel;
        Thread.ofVirtual().name("echo-accept-" + port).start(() -> acceptLoop(channel));
    }

    private void acceptLoop(ServerSocketChannel channel) {
        try {
            while (true) {
                SocketChannel c = channel.accept();
                Thread.ofVirtual().name("echo-conn").start(() -> serve(c));
            }
        } catch (IOException closed) {
            // listener closed
        }
    }

    private void serve(SocketChannel channel) {
        try {
            Transport transport;
            if (tls == null) {
                transport = new PlainTransport(channel);
            } else {
                javax.net.ssl.SSLEngine engine = tls.createSSLEngine();
                engine.setUseClientMode(false);
                engine.setNeedClientAuth(needClientAuth);
                TlsTransport secure = new TlsTransport(channel, engine);
                secure.handshake();
                transport = secure;
            }
            HttpHeadParser parser = new HttpHeadParser(16 * 1024, 100);
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (true) {
                if (transport.read(buffer) < 0) {
                    transport.close();
                    return;
                }
                buffer.flip();
                if (parser.feed(buffer)) {
                    break;
                }
                buffer.clear();
            }
            HttpRequestHead request = parser.request();
            requests.add(request);
            HandshakeResult result = ServerHandshake.process(request, upgrade);
            WebSocketConnection connection = null;
            if (result instanceof HandshakeResult.Accepted accepted) {
                ConnectionSetup setup = new ConnectionSetup(ConnectionSetup.nextId("echo"), Role.SERVER,
                        WebSocketConfig.defaults(), events::dispatch, null,
                        new ImmutableHttpRequest(request, transport.remoteAddress(), transport.localAddress(), new byte[0]),
                        accepted.subprotocol(), accepted.extensions(), new Attributes(), null, Watchdog.shared());
                connection = new WebSocketConnection(transport, setup);
                live.add(connection);   // before the 101: once the client sees it, dropAll() must find this one
            }
            ByteBuffer response = ServerHandshake.responseBytes(result);
            while (response.hasRemaining()) {
                transport.write(new ByteBuffer[] {response}, 0, 1);
            }
            if (connection == null) {
                transport.close();
                return;
            }
            try {
                connection.run(buffer, () -> { });
            } finally {
                live.remove(connection);
            }
        } catch (IOException | HttpParseException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        dropAll();
    }
}
