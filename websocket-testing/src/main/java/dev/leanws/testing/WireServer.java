package dev.leanws.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A loopback listener for client tests, whose connections the test plays by hand as
 * {@linkplain WirePeer.Side#SERVER server-side} {@link WirePeer}s: it can answer the handshake
 * wrongly, send forbidden frames, or say nothing at all. Accepts on a virtual thread; every
 * connection it accepted is closed by {@link #close()}.
 *
 * <pre>{@code
 * try (WireServer server = WireServer.start()) {
 *     Future<WebSocketClient> client = ... connect to server.uri("/chat") on another thread ...
 *     WirePeer peer = server.accept();
 *     assertEquals("/chat", peer.acceptHandshake().target());
 * }
 * }</pre>
 */
public final class WireServer implements AutoCloseable {

    /** How long {@link #accept()} waits for a connection. */
    public static final Duration ACCEPT_TIMEOUT = Duration.ofSeconds(10);

    private final ServerSocket listener;
    private final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
    private final List<Socket> all = new CopyOnWriteArrayList<>();

    private WireServer(ServerSocket listener) {
        this.listener = listener;
        Thread.ofVirtual().name("wire-server-accept").start(this::acceptLoop);
    }

    /** Listens on an ephemeral port of the loopback address. */
    public static WireServer start() throws IOException {
        return start(InetAddress.getLoopbackAddress());
    }

    /** Listens on an ephemeral port of {@code address}. */
    public static WireServer start(InetAddress address) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(address, 0));
        return new WireServer(listener);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** {@code ws://host:port} + {@code pathAndQuery}, an IPv6 host in brackets. */
    public URI uri(String pathAndQuery) {
        String host = listener.getInetAddress().getHostAddress();
        return URI.create("ws://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + pathAndQuery);
    }

    /** The next connection, within {@link #ACCEPT_TIMEOUT}, as a server-side peer that has read nothing yet. */
    public WirePeer accept() throws IOException, InterruptedException {
        Socket socket = accepted.poll(ACCEPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (socket == null) {
            throw new AssertionError("no connection within " + ACCEPT_TIMEOUT);
        }
        return WirePeer.over(socket, WirePeer.Side.SERVER);
    }

    /** How many connections were accepted so far. */
    public int acceptedCount() {
        return all.size();
    }

    private void acceptLoop() {
        try {
            while (true) {
                Socket socket = listener.accept();
                all.add(socket);
                accepted.add(socket);
            }
        } catch (IOException closed) {
            // the listener was closed: the server is done
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : all) {
            socket.close();
        }
    }
}
