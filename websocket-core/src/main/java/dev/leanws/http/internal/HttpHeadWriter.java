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

    private HttpHeadWriter() {
    }

    /** A request head, ready to write (position 0, limit at the end). */
    public static ByteBuffer request(HttpRequestHead head) {
        return render(head.method() + " " + head.target() + " " + head.version(), head.headers(), new byte[0]);
    }

    /**
     * A response head followed by {@code body}. The caller sets {@code Content-Length} when
     * there is a body; a 1xx response never has one (RFC 7230 §3.3.2).
     */
    public static ByteBuffer response(HttpResponseHead head, byte[] body) {
        String statusLine = head.version() + " " + head.status() + (head.reason().isEmpty() ? "" : " " + head.reason());
        return render(statusLine, head.headers(), body);
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

    private static ByteBuffer render(String startLine, HeaderFields headers, byte[] body) {
        StringBuilder sb = new StringBuilder(256).append(startLine).append("\r\n");
        headers.forEach((name, value) -> sb.append(name).append(": ").append(value).append("\r\n"));
        sb.append("\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(head.length + body.length);
        out.put(head).put(body).flip();
        return out;
    }
}
