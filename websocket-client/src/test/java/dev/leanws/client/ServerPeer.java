package dev.leanws.client;

import dev.leanws.handshake.AcceptKey;
import dev.leanws.http.internal.HttpHeadParser;
import dev.leanws.http.internal.HttpParseException;
import dev.leanws.http.internal.HttpRequestHead;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The server end of one scripted connection: reads the client's request and frames (unmasking
 * them and keeping their mask keys), writes whatever the test wants. Every read has a deadline,
 * so a client that stays silent fails the test instead of hanging it.
 */
final class ServerPeer implements AutoCloseable {

    /** A frame read off the wire, payload unmasked. */
    record Frame(boolean fin, int rsv, int opcode, boolean masked, int maskKey, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    ServerPeer(Socket socket, int readTimeoutMillis) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(readTimeoutMillis);
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Reads the request head byte by byte, so nothing after it is consumed. */
    HttpRequestHead readRequest() throws IOException {
        HttpHeadParser parser = new HttpHeadParser(16 * 1024, 100);
        ByteBuffer one = ByteBuffer.allocate(1);
        try {
            while (!parser.isComplete()) {
                one.clear();
                one.put(in.readByte()).flip();
                parser.feed(one);
            }
            return parser.request();
        } catch (HttpParseException e) {
            throw new IOException(e);
        }
    }

    /** The {@code Sec-WebSocket-Accept} for a request. */
    static String acceptFor(HttpRequestHead request) {
        return AcceptKey.compute(request.headers().first("Sec-WebSocket-Key").orElseThrow());
    }

    /** A 101 that accepts {@code request}, plus extra header lines ("Name: value"). */
    static String switchingProtocols(HttpRequestHead request, String... extraLines) {
        StringBuilder sb = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + acceptFor(request) + "\r\n");
        for (String line : extraLines) {
            sb.append(line).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    /** Reads the request and accepts it. */
    HttpRequestHead acceptHandshake(String... extraLines) throws IOException {
        HttpRequestHead request = readRequest();
        write(switchingProtocols(request, extraLines));
        return request;
    }

    void write(String ascii) throws IOException {
        write(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one frame, masked or not. */
    Frame readFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        boolean masked = (b1 & 0x80) != 0;
        int key = masked ? in.readInt() : 0;
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        if (masked) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= (byte) (key >>> (24 - 8 * (i & 3)));
            }
        }
        return new Frame((b0 & 0x80) != 0, (b0 >>> 4) & 7, b0 & 0x0F, masked, key, payload);
    }

    /** Reads the client's Close frame, echoes its code, and closes TCP (as a server does); returns the frame. */
    Frame answerClose() throws IOException {
        Frame close = readFrame();
        if (close.opcode() != 0x8) {
            throw new AssertionError("expected a Close frame, got opcode " + close.opcode());
        }
        write(new byte[] {(byte) 0x88, 2, (byte) (close.closeCode() >> 8), (byte) close.closeCode()});
        socket.close();
        return close;
    }

    /** Whether the client closed its end (end of stream or reset) before the read deadline. */
    boolean readsEndOfStream() throws IOException {
        try {
            return in.read() < 0;
        } catch (EOFException | SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
