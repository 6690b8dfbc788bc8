package dev.leanws.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP server whose connections the test drives by hand ({@link ServerPeer}): it can
 * answer the handshake wrongly, send forbidden frames, or say nothing at all. Accepts on a
 * virtual thread; every socket it accepted is closed by {@link #close()}.
 */
final class ScriptedServer implements AutoCloseable {

    private final ServerSocket listener;
    private final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
    private final List<Socket> all = new CopyOnWriteArrayList<>();

    private ScriptedServer(ServerSocket listener) {
        this.listener = listener;
        Thread.ofVirtual().name("scripted-server-accept").start(this::acceptLoop);
    }

    static ScriptedServer start() throws IOException {
        return start(InetAddress.getLoopbackAddress());
    }

    static ScriptedServer start(InetAddress address) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(address, 0));
        return new ScriptedServer(listener);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** {@code ws://host:port} + {@code pathAndQuery}. */
    URI uri(String pathAndQuery) {
        InetAddress a = listener.getInetAddress();
        String host = a.getHostAddress().contains(":") ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
        return URI.create("ws://" + host + ":" + port() + pathAndQuery);
    }

    /** The next accepted connection, within 10 s. */
    ServerPeer accept() throws IOException, InterruptedException {
        Socket socket = accepted.poll(10, TimeUnit.SECONDS);
        if (socket == null) {
            throw new AssertionError("no connection within 10 s");
        }
        return new ServerPeer(socket, 10_000);
    }

    private void acceptLoop() {
        try {
            while (true) {
                Socket s = listener.accept();
                all.add(s);
                accepted.add(s);
            }
        } catch (IOException closed) {
            // listener closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : all) {
            s.close();
        }
    }
}
