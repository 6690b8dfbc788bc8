package dev.leanws.server;

import dev.leanws.http.internal.HttpRequestHead;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request as the server's {@link UpgradeHook} and {@link HttpHandler} see it: the
 * request line, the header fields, the peer's address and (for plain HTTP requests with a
 * {@code Content-Length}) the body. Immutable.
 *
 * <pre>{@code
 * UpgradeHook auth = request -> request.header("Authorization")
 *         .flatMap(tokens::user)
 *         .map(user -> UpgradeDecision.accept(Map.of("user", user)))
 *         .orElse(UpgradeDecision.reject(401, "who are you?"));
 * String room = request.queryParameter("room").orElse("lobby");
 * }</pre>
 */
public final class HttpRequest {

    private static final byte[] NO_BODY = new byte[0];

    private final String method;
    private final String target;
    private final Map<String, List<String>> headers;
    private final InetSocketAddress remoteAddress;
    private final byte[] body;

    /**
     * @param method        the method, e.g. {@code GET}
     * @param target        the request target as sent, e.g. {@code /chat?room=1}
     * @param headers       the header fields; copied into a case-insensitive map
     * @param remoteAddress the peer's address
     * @param body          the body (empty for an upgrade); copied
     */
    public HttpRequest(String method, String target, Map<String, List<String>> headers,
            InetSocketAddress remoteAddress, byte[] body) {
        this.method = Objects.requireNonNull(method, "method");
        this.target = Objects.requireNonNull(target, "target");
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        this.headers = Collections.unmodifiableMap(copy);
        this.remoteAddress = Objects.requireNonNull(remoteAddress, "remoteAddress");
        this.body = body.length == 0 ? NO_BODY : body.clone();
    }

    /** The method, case-sensitive as sent ({@code GET}, {@code HEAD}, {@code POST}, ...). */
    public String method() {
        return method;
    }

    /** The request target exactly as sent, undecoded: {@code /chat?room=a%20b}. */
    public String target() {
        return target;
    }

    /**
     * The target's path, undecoded and without the query: {@code /chat}. An absolute-form target
     * ({@code http://host/chat?x}) gives its path ({@code /chat}, or {@code /} if it has none).
     */
    public String path() {
        return HttpRequestHead.pathOf(target);
    }

    /** The raw query, undecoded, without the {@code ?}; empty if the target has no {@code ?}. */
    public Optional<String> query() {
        return HttpRequestHead.queryOf(target);
    }

    /**
     * The first value of a query parameter, decoded as {@code application/x-www-form-urlencoded}
     * (UTF-8, {@code +} is a space): {@code ?room=a+b&x} gives {@code "a b"} for {@code room} and
     * {@code ""} for {@code x}. Empty if the parameter is absent or its encoding is malformed.
     */
    public Optional<String> queryParameter(String name) {
        Objects.requireNonNull(name, "name");
        String query = query().orElse("");
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            try {
                if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                    return Optional.of(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            } catch (IllegalArgumentException malformed) {
                // a broken %-escape: treat this pair as absent
            }
        }
        return Optional.empty();
    }

    /**
     * Every header field, unmodifiable, looked up ignoring case ({@code headers().get("origin")}
     * finds {@code Origin}); values in the order they were sent.
     */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of a header, looked up ignoring case. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The peer's address (the TCP peer: a proxy in front of the server, if there is one). */
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** A copy of the body: empty for upgrades and for requests without {@code Content-Length}. */
    public byte[] body() {
        return body.length == 0 ? NO_BODY : body.clone();
    }

    @Override
    public String toString() {
        return method + " " + target + " from " + remoteAddress;
    }
}
