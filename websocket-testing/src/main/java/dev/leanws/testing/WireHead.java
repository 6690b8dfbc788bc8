package dev.leanws.testing;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP/1.1 request or response head as a {@link WirePeer} read it (plus the body of a response
 * with a {@code Content-Length}), parsed by hand, independently of the library's HTTP code.
 *
 * <pre>{@code
 * WireHead response = peer.readResponse();
 * assertEquals(403, response.status());
 * assertEquals("13", response.header("Sec-WebSocket-Version"));
 * }</pre>
 *
 * @param startLine the request line or the status line, without CRLF
 * @param headers   values by field name, names case-insensitive, values in arrival order
 * @param body      the body as UTF-8 text ("" for a request, or with no Content-Length)
 */
public record WireHead(String startLine, Map<String, List<String>> headers, String body) {

    /** The status code of a response. */
    public int status() {
        return Integer.parseInt(part(1));
    }

    /** The method of a request. */
    public String method() {
        return part(0);
    }

    /** The request target of a request (path and query, as sent). */
    public String target() {
        return part(1);
    }

    /** The HTTP version of a request. */
    public String version() {
        return part(2);
    }

    /** The first value of a header field, or null when there is none. */
    public String header(String name) {
        return first(name).orElse(null);
    }

    /** The first value of a header field. */
    public Optional<String> first(String name) {
        return all(name).stream().findFirst();
    }

    /** Every value of a header field, one per field line, in order. */
    public List<String> all(String name) {
        return headers.getOrDefault(name, List.of());
    }

    private String part(int index) {
        String[] parts = startLine.split(" ", 3);
        if (index >= parts.length) {
            throw new AssertionError("no part " + index + " in the start line: " + startLine);
        }
        return parts[index];
    }
}
