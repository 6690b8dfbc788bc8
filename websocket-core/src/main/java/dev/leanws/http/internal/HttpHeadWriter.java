package dev.leanws.http.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Renders message heads to bytes: start line, one line per header field in order, empty line,
 * then an optional body. Header text is encoded as ISO-8859-1 (RFC 7230 §3.2.4);
 * {@link HeaderFields} already refused anything that would not survive that or that could
 * break a line.
 */
public final class HttpHeadWriter {

    private static final byte[] NO_BODY = {};

    private HttpHeadWriter() {
    }

    /** A request head, ready to write (position 0, limit at the end). */
    public static ByteBuffer request(HttpRequestHead head) {
        return render(head.method(), head.target(), head.version(), true, head.headers(), NO_BODY);
    }

    /**
     * A response head followed by {@code body}. The caller sets {@code Content-Length} when
     * there is a body; a 1xx response never has one (RFC 7230 §3.3.2).
     */
    public static ByteBuffer response(HttpResponseHead head, byte[] body) {
        return render(head.version(), Integer.toString(head.status()), head.reason(), false, head.headers(), body);
    }

    /** The standard reason phrase of the statuses this library sends, or {@code ""} for others. */
    public static String reasonPhrase(int status) {
        return switch (status) {
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 426 -> "Upgrade Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "";
        };
    }

    /**
     * {@code first SP second SP third CRLF}, the fields, CRLF, the body: written straight into
     * one array of the exact size (no builder, no intermediate string: a server writes one of
     * these per connection). Unless {@code thirdAlways}, an empty third part is left out with
     * its space (a status line without a reason phrase). Text is written as
     * {@code String.getBytes(ISO_8859_1)} would write it ({@code ?} for what it cannot encode).
     */
    private static ByteBuffer render(String first, String second, String third, boolean thirdAlways,
            HeaderFields headers, byte[] body) {
        boolean withThird = thirdAlways || !third.isEmpty();
        int length = length(first) + 1 + length(second) + (withThird ? 1 + length(third) : 0) + 2 + 2 + body.length;
        for (int i = 0; i < headers.size(); i++) {
            length += length(headers.nameAt(i)) + 2 + length(headers.valueAt(i)) + 2;
        }
        byte[] out = new byte[length];
        int at = put(out, 0, first);
        out[at++] = ' ';
        at = put(out, at, second);
        if (withThird) {
            out[at++] = ' ';
            at = put(out, at, third);
        }
        at = crlf(out, at);
        for (int i = 0; i < headers.size(); i++) {
            at = put(out, at, headers.nameAt(i));
            out[at++] = ':';
            out[at++] = ' ';
            at = crlf(out, put(out, at, headers.valueAt(i)));
        }
        at = crlf(out, at);
        System.arraycopy(body, 0, out, at, body.length);
        return ByteBuffer.wrap(out);
    }

    /** Bytes {@code s} takes in ISO-8859-1: its length, unless it holds what only the encoder can say. */
    private static int length(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xFF) {
                return s.getBytes(StandardCharsets.ISO_8859_1).length;   // a surrogate pair is one '?'
            }
        }
        return s.length();
    }

    private static int put(byte[] out, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xFF) {
                byte[] encoded = s.getBytes(StandardCharsets.ISO_8859_1);   // rare: let the encoder decide
                System.arraycopy(encoded, 0, out, at - i, encoded.length);
                return at - i + encoded.length;
            }
            out[at++] = (byte) c;
        }
        return at;
    }

    private static int crlf(byte[] out, int at) {
        out[at] = '\r';
        out[at + 1] = '\n';
        return at + 2;
    }
}
