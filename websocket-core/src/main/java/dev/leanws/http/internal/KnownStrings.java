package dev.leanws.http.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The strings every opening handshake repeats (header names, {@code websocket}, {@code 13},
 * {@code GET}, {@code HTTP/1.1}), shared instead of decoded anew for each request.
 *
 * <p>Why: an open connection keeps its request for {@code WebSocket.request()}, and a server
 * holding 10,000 of them held 10,000 copies of {@code "Sec-WebSocket-Key"}. Each copy is about
 * 56 bytes (a {@code String} and its array), and what a handshake allocates, live or garbage,
 * ends up as resident heap pages (issue 16). Matching is exact, byte for byte: a header spelled
 * {@code host} is decoded as sent, so what the application reads is always what the peer wrote.
 */
final class KnownStrings {

    private static final String[] STRINGS = {
            "GET", "HTTP/1.1", "/",
            "Host", "Upgrade", "Connection", "Origin", "User-Agent", "Pragma", "Cache-Control",
            "Accept-Encoding", "Accept-Language", "Cookie",
            "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Extensions",
            "Sec-WebSocket-Protocol",
            "websocket", "13", "keep-alive, Upgrade", "no-cache", "gzip, deflate, br, zstd", "gzip, deflate, br",
            "permessage-deflate; client_max_window_bits", "permessage-deflate",
    };

    private static final byte[][] BYTES = new byte[STRINGS.length][];

    static {
        for (int i = 0; i < STRINGS.length; i++) {
            BYTES[i] = STRINGS[i].getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    private KnownStrings() {
    }

    /** The ISO-8859-1 decoding of {@code bytes[offset, offset + length)}: a shared instance when it is a known string. */
    static String decode(byte[] bytes, int offset, int length) {
        for (int i = 0; i < BYTES.length; i++) {
            byte[] known = BYTES[i];
            if (known.length == length && Arrays.equals(known, 0, length, bytes, offset, offset + length)) {
                return STRINGS[i];
            }
        }
        return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
    }
}
