package dev.leanws;

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
 * {@code WWW-Authenticate}.
 *
 * <pre>{@code
 * try {
 *     client.connect(uri);
 * } catch (HandshakeException e) {
 *     if (e.status() == 401) { ... e.headers().get("WWW-Authenticate") ... }
 * }
 * }</pre>
 */
public class HandshakeException extends WebSocketException {

    private final int status;
    private final Map<String, List<String>> headers;

    /**
     * @param status  the status the server answered
     * @param message what was wrong, naming the header
     * @param headers the response's headers
     */
    public HandshakeException(int status, String message, Map<String, List<String>> headers) {
        super(message);
        this.status = status;
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        this.headers = Collections.unmodifiableMap(copy);
    }

    /** The HTTP status of the response: 101 when the 101 itself was invalid. */
    public int status() {
        return status;
    }

    /** The response's headers, unmodifiable; names are looked up ignoring case. */
    public Map<String, List<String>> headers() {
        return headers;
    }
}
