package dev.leanws.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The opening handshake written by hand (RFC 6455 §4), independent of the library's handshake
 * and HTTP code, for {@link WirePeer}: the client's request, the server's 101, the accept key,
 * and the reading of an HTTP head.
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

    /** A valid upgrade request for {@code path} with {@link #KEY}; extra lines go before the empty line. */
    static String request(String path, String... extraHeaderLines) {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(KEY).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        for (String line : extraHeaderLines) {
            request.append(line).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    /** A 101 that accepts {@code request}, plus extra lines ("Name: value"). */
    static String switchingProtocols(WireHead request, String... extraHeaderLines) {
        String key = request.header("Sec-WebSocket-Key");
        if (key == null) {
            throw new AssertionError("no Sec-WebSocket-Key in " + request);
        }
        StringBuilder response = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Accept: ").append(accept(key)).append("\r\n");
        for (String line : extraHeaderLines) {
            response.append(line).append("\r\n");
        }
        return response.append("\r\n").toString();
    }

    /** Checks that a response to {@link #request} is a 101 with the right accept key. */
    static void check(WireHead response) throws IOException {
        if (!response.startLine().startsWith("HTTP/1.1 101 ")) {
            throw new IOException("handshake refused: " + response.startLine());
        }
        String accept = response.header("Sec-WebSocket-Accept");
        if (!accept(KEY).equals(accept)) {
            throw new IOException("wrong Sec-WebSocket-Accept: " + accept);
        }
    }

    /**
     * Reads a head up to and including the empty line, byte by byte so nothing behind it is
     * consumed; with {@code withBody}, then a body of {@code Content-Length} bytes.
     */
    static WireHead read(InputStream in, boolean withBody) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int total = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("end of stream inside an HTTP head after " + lines);
            }
            if (++total > MAX_HEAD) {
                throw new IOException("HTTP head over " + MAX_HEAD + " bytes");
            }
            if (b != '\n') {
                line.write(b);
                continue;
            }
            byte[] bytes = line.toByteArray();
            line.reset();
            int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
            if (end == 0) {
                if (lines.isEmpty()) {
                    throw new IOException("an empty line where the HTTP head should start");
                }
                break;
            }
            lines.add(new String(bytes, 0, end, StandardCharsets.ISO_8859_1));
        }
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String field : lines.subList(1, lines.size())) {
            int colon = field.indexOf(':');
            if (colon < 0) {
                throw new IOException("not a header field: " + field);
            }
            headers.computeIfAbsent(field.substring(0, colon).strip(), n -> new ArrayList<>())
                    .add(field.substring(colon + 1).strip());
        }
        headers.replaceAll((name, values) -> List.copyOf(values));
        String body = "";
        List<String> length = headers.getOrDefault("Content-Length", List.of());
        if (withBody && !length.isEmpty()) {
            body = new String(in.readNBytes(Integer.parseInt(length.get(0))), StandardCharsets.UTF_8);
        }
        return new WireHead(lines.get(0), headers, body);
    }
}
