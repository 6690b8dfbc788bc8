package dev.leanws.server;

import dev.leanws.codec.Opcode;
import dev.leanws.testing.RawFrames;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A client that speaks raw bytes to the server over loopback: hand-written HTTP requests,
 * hand-built frames ({@link RawFrames}), and exact reads of what comes back. Every read has a
 * deadline (the socket timeout), so a test fails instead of hanging.
 */
final class RawPeer implements AutoCloseable {

    static final int MASK = 0x37fa213d;
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    /** An HTTP response: status, headers (first value per name, case-insensitive), body. */
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    /** A frame from the server, with its raw bytes for exact comparisons. */
    record Frame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload, byte[] raw) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        String closeReason() {
            return payload.length < 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawPeer(Socket socket, int readTimeoutMillis) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(readTimeoutMillis);
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        this.out = socket.getOutputStream();
    }

    /** A TCP connection to the server, nothing sent yet. */
    static RawPeer connect(int port) throws IOException {
        return new RawPeer(new Socket(InetAddress.getLoopbackAddress(), port), 5000);
    }

    /** A TCP connection from a given loopback source address (e.g. 127.0.0.2), nothing sent yet. */
    static RawPeer connectFrom(String sourceAddress, int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.bind(new java.net.InetSocketAddress(sourceAddress, 0));
            socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return new RawPeer(socket, 5000);
    }

    /** Completes the opening handshake on {@code /} (after {@link #connectFrom}). */
    RawPeer upgrade() throws IOException {
        send(upgradeRequest("/"));
        Response r = readResponse();
        if (r.status() != 101) {
            close();
            throw new AssertionError("expected 101, got " + r);
        }
        return this;
    }

    /** A connection that completed the opening handshake on {@code path}. */
    static RawPeer open(int port, String path, String... extraHeaderLines) throws IOException {
        RawPeer peer = connect(port);
        peer.send(upgradeRequest(path, extraHeaderLines));
        Response r = peer.readResponse();
        if (r.status() != 101) {
            peer.close();
            throw new AssertionError("expected 101, got " + r);
        }
        return peer;
    }

    /** A valid upgrade request head; extra lines such as {@code "Origin: x"} go before the end. */
    static String upgradeRequest(String path, String... extraHeaderLines) {
        StringBuilder sb = new StringBuilder("GET " + path + " HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(KEY).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        for (String line : extraHeaderLines) {
            sb.append(line).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    void send(String ascii) throws IOException {
        send(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void sendText(String text) throws IOException {
        send(RawFrames.text(text).masked(MASK).build());
    }

    void sendBinary(byte[] data) throws IOException {
        send(RawFrames.binary(data).masked(MASK).build());
    }

    void sendPing(String payload) throws IOException {
        send(RawFrames.frame().opcode(Opcode.PING).payload(payload).masked(MASK).build());
    }

    void sendPong(byte[] payload) throws IOException {
        send(RawFrames.frame().opcode(Opcode.PONG).payload(payload).masked(MASK).build());
    }

    void sendClose(int code, String reason) throws IOException {
        send(RawFrames.close(code, reason).masked(MASK).build());
    }

    /** Reads an HTTP response: head up to the empty line, then a {@code Content-Length} body. */
    Response readResponse() throws IOException {
        String statusLine = readLine();
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.putIfAbsent(line.substring(0, colon), line.substring(colon + 1).strip());
        }
        byte[] body = new byte[Integer.parseInt(headers.getOrDefault("Content-Length", "0"))];
        in.readFully(body);
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("end of stream inside an HTTP head: " + line);
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
    }

    /** Reads one frame as sent (a server's frames must be unmasked; the flag is reported). */
    Frame readFrame() throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        raw.write(b0);
        raw.write(b1);
        long length = b1 & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
            raw.write((int) (length >>> 8));
            raw.write((int) length);
        } else if (length == 127) {
            length = in.readLong();
            for (int shift = 56; shift >= 0; shift -= 8) {
                raw.write((int) (length >>> shift));
            }
        }
        boolean masked = (b1 & 0x80) != 0;
        byte[] key = new byte[masked ? 4 : 0];
        in.readFully(key);
        raw.writeBytes(key);
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        raw.writeBytes(payload);
        for (int i = 0; masked && i < payload.length; i++) {
            payload[i] ^= key[i & 3];
        }
        return new Frame((b0 & 0x80) != 0, (b0 >> 4) & 7, b0 & 0x0F, masked, payload, raw.toByteArray());
    }

    /** Reads frames until a Close frame, which it returns; data frames in between are skipped. */
    Frame readUntilClose() throws IOException {
        while (true) {
            Frame f = readFrame();
            if (f.opcode() == Opcode.CLOSE.code()) {
                return f;
            }
        }
    }

    /** Whether the server closed its end: end of stream within the read deadline, nothing before it. */
    boolean readsEndOfStream() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;   // reset: closed as well
        }
    }

    /** Everything until end of stream (fails at the read deadline). */
    byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    void readTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
