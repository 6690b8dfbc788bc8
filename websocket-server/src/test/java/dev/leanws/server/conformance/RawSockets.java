package dev.leanws.server.conformance;

import dev.leanws.WebSocket;
import dev.leanws.server.WebSocketServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Plain sockets for abuse tests that must not read what the server sends (a {@code WirePeer} always reads). */
final class RawSockets {

    static final String REQUEST = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    private RawSockets() {
    }

    /** A socket that completed the opening handshake and reads nothing more on its own. */
    static Socket upgraded(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
        String head = readHead(socket.getInputStream());
        if (!head.startsWith("HTTP/1.1 101 ")) {
            socket.close();
            throw new IOException("no 101: " + head);
        }
        return socket;
    }

    /** Reads an HTTP head byte by byte, up to and including the empty line. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream in the response head");
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** The server's single connection, once it is registered (within 5 s). */
    static WebSocket theOnlyConnection(WebSocketServer server) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.connections().size() != 1) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected one connection, have " + server.connections().size());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        return server.connections().get(0);
    }
}
