package dev.leanws;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The opening handshake failed after the server answered: it refused (any status but 101, e.g.
 * 401, 403 or 404 from a wrong path), or its 101 broke RFC 6455 §4.1 (wrong
 * {@code Sec-WebSocket-Accept}, missing {@code Upgrade}, a subprotocol that was not offered,
 * ...). The message names the header at fault; {@link #status()} and {@link #headers()} let the
 * application react to the refusal, e.g. follow a {@code Location} or read
 * {@code WWW-Authenticate}; {@link #body()} has the start of the refusal's body, where servers
 * usually explain themselves.
 *
 * <p>An {@link IOException}, like every other way {@code connect} can fail, so one
 * {@code catch (IOException e)} covers them all.
 *
 * <pre>{@code
 * try {
 *     client.connect(uri);
 * } catch (HandshakeException e) {
 *     if (e.status() == 401) { ... e.headers().get("WWW-Authenticate") ... }
 * }
 * }</pre>
 */
public class HandshakeException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, List<String>> headers;
    private final String body;
    private final String problem;

    /**
     * @param status  the status the server answered
     * @param message what was wrong, naming the header
     * @param headers the response's headers
     */
    public HandshakeException(int status, String message, Map<String, List<String>> headers) {
        this(status, message, headers, "");
    }

    /**
     * @param status  the status the server answered
     * @param message what was wrong, naming the header
     * @param headers the response's headers
     * @param body    the (start of the) response body, decoded as UTF-8; empty if none
     */
    public HandshakeException(int status, String message, Map<String, List<String>> headers, String body) {
        super(body.isBlank() ? message : message + ": " + firstLine(body));
        this.body = body;
        this.problem = message;
        this.status = status;
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        this.headers = Collections.unmodifiableMap(copy);
    }

    /**
     * The first non-blank line of a body, without markup, at most 100 characters: a refusal's
     * message names the status and the server's explanation, not a whole HTML page.
     */
    private static String firstLine(String body) {
        String text = body.replaceAll("<[^>]*>", " ");
        for (String line : text.split("\\R")) {
            String stripped = line.strip().replaceAll("\\s+", " ");
            if (!stripped.isEmpty()) {
                return stripped.length() <= 100 ? stripped : stripped.substring(0, 100) + "...";
            }
        }
        return body.strip();
    }

    /** The HTTP status of the response: 101 when the 101 itself was invalid. */
    public int status() {
        return status;
    }

    /** The response's headers, unmodifiable; names are looked up ignoring case. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The start of the response body (at most a few KiB, UTF-8), or empty. */
    public String body() {
        return body;
    }

    /** The same refusal with the body that followed its head. */
    public HandshakeException withBody(String responseBody) {
        HandshakeException copy = new HandshakeException(status, problem, headers, responseBody);
        copy.setStackTrace(getStackTrace());
        return copy;
    }
}
