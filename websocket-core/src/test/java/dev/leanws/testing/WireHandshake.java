package dev.leanws.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * The opening handshake written by hand (RFC 6455 §4), independent of the library's handshake
 * code, for {@link WirePeer}: a client's request and the check of the server's 101, or a
 * server's reading of the request and its 101.
 */
final class WireHandshake {

    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_HEAD = 16 * 1024;

    private WireHandshake() {
    }

    /** The {@code Sec-WebSocket-Accept} for a key (RFC 6455 §4.2.2: base64 of SHA-1 of key + GUID). */
    static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Sends an upgrade request for {@code path} and checks the 101; throws with the status line otherwise. */
    static void asClient(InputStream in, OutputStream out, String path, String... extraHeaderLines) throws IOException {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(KEY).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        for (String line : extraHeaderLines) {
            request.append(line).append("\r\n");
        }
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String head = readHead(in);
        String statusLine = head.substring(0, head.indexOf("\r\n"));
        if (!statusLine.startsWith("HTTP/1.1 101 ")) {
            throw new IOException("handshake refused: " + statusLine);
        }
        String accept = header(head, "Sec-WebSocket-Accept");
        if (!accept(KEY).equals(accept)) {
            throw new IOException("wrong Sec-WebSocket-Accept: " + accept);
        }
    }

    /** Reads an upgrade request and answers 101. */
    static void asServer(InputStream in, OutputStream out) throws IOException {
        String head = readHead(in);
        String key = header(head, "Sec-WebSocket-Key");
        if (key == null) {
            throw new IOException("no Sec-WebSocket-Key in " + head);
        }
        String response = "HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n";
        out.write(response.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads up to and including the empty line, byte by byte, so nothing behind the head is consumed. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("end of stream inside the HTTP head: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
            if (head.size() > MAX_HEAD) {
                throw new IOException("HTTP head over " + MAX_HEAD + " bytes");
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** The first value of a header (name case-insensitive), or null. */
    private static String header(String head, String name) {
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                return line.substring(prefix.length()).strip();
            }
        }
        return null;
    }
}
