package dev.leanws.server;

import dev.leanws.http.HttpHeaders;
import dev.leanws.http.internal.HeaderFields;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A complete HTTP response: status, header fields and body bytes. Answers a plain HTTP request
 * (from an {@link HttpHandler}) or refuses an upgrade (from an {@link UpgradeHook}). Immutable;
 * {@link #withHeader} returns a copy.
 *
 * <pre>{@code
 * HttpResponse page = HttpResponse.html(200, "<h1>hello</h1>").withHeader("Cache-Control", "no-store");
 * HttpResponse moved = HttpResponse.of(301).withHeader("Location", "/chat");
 * HttpResponse denied = HttpResponse.text(403, "origin not allowed");
 * }</pre>
 *
 * <p>The server writes the framing itself: {@code Content-Length} from the body and
 * {@code Connection: close} (it closes the TCP connection after every plain response), so
 * those two and {@code Transfer-Encoding} cannot be set here. A {@code HEAD} request gets the
 * headers without the body.
 */
public final class HttpResponse {

    private static final Set<String> FRAMING = Set.of("content-length", "connection", "transfer-encoding");

    private final int status;
    private final HeaderFields headers;
    private final byte[] body;

    private HttpResponse(int status, HeaderFields headers, byte[] body) {
        headers = headers.immutableCopy();
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be 200-599: " + status);
        }
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /** A response with no body and no headers, e.g. {@code of(204)}. */
    public static HttpResponse of(int status) {
        return new HttpResponse(status, new HeaderFields(), new byte[0]);
    }

    /**
     * A response with a body and its {@code Content-Type}.
     *
     * @param contentType e.g. {@code "application/json"}
     * @param body        copied
     */
    public static HttpResponse of(int status, String contentType, byte[] body) {
        return new HttpResponse(status, HeaderFields.of("Content-Type", contentType), body.clone());
    }

    /** A {@code text/plain; charset=utf-8} response. */
    public static HttpResponse text(int status, String text) {
        return new HttpResponse(status, HeaderFields.of("Content-Type", "text/plain; charset=utf-8"),
                text.getBytes(StandardCharsets.UTF_8));
    }

    /** A {@code text/html; charset=utf-8} response. */
    public static HttpResponse html(int status, String html) {
        return new HttpResponse(status, HeaderFields.of("Content-Type", "text/html; charset=utf-8"),
                html.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * This response with one more header field (after any with the same name).
     *
     * @throws IllegalArgumentException if the name is not an HTTP token, the value holds a
     *                                  control character (CR, LF, ...) or a character above
     *                                  U+00FF, or the name is a framing header the server sets
     */
    public HttpResponse withHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        if (FRAMING.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(name + " is set by the server");
        }
        return new HttpResponse(status, headers.mutableCopy().add(name, value), body);
    }

    /** The status code, 200-599. */
    public int status() {
        return status;
    }

    /** The header fields, looked up ignoring case. */
    public HttpHeaders headers() {
        return headers;
    }

    /** A copy of the body. */
    public byte[] body() {
        return body.clone();
    }

    /** The headers, for the server's writer (not copied: never mutated). */
    HeaderFields rawHeaders() {
        return headers;
    }

    /** The body, for the server's writer (not copied: never mutated). */
    byte[] rawBody() {
        return body;
    }

    @Override
    public String toString() {
        return "HttpResponse[" + status + ", " + headers + ", " + body.length + " bytes]";
    }
}
