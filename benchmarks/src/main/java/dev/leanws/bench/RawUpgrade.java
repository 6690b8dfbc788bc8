package dev.leanws.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/** The benchmarks' raw clients: a blocking channel upgraded to WebSocket with a fixed key, response unchecked. */
final class RawUpgrade {

    private RawUpgrade() {
    }

    /**
     * Connects to 127.0.0.1:{@code port}, sends an upgrade request for "/" with {@code extraHeaders}
     * (complete lines with CRLF, or empty) and reads the response head up to its blank line.
     */
    static SocketChannel open(int port, String extraHeaders) throws IOException {
        byte[] request = ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        ch.write(ByteBuffer.wrap(request));
        readHead(ch);
        return ch;
    }

    /** Reads a response head up to its blank line; returns it (ISO-8859-1). */
    static String readHead(SocketChannel ch) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        StringBuilder head = new StringBuilder(160);
        int state = 0;   // how much of CRLF CRLF has been seen
        while (state < 4) {
            one.clear();
            if (ch.read(one) < 0) {
                throw new IOException("closed during the handshake");
            }
            byte b = one.get(0);
            head.append((char) (b & 0xFF));
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1
                    : (b == '\r' ? 1 : 0);
        }
        return head.toString();
    }
}
