package dev.leanws.http.internal;

import dev.leanws.http.HttpHeaders;
import dev.leanws.http.HttpRequest;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link HttpRequest} the server and the client hand to applications: a parsed head, the
 * addresses, an optional body, and the path parameters of the endpoint that took it. Query
 * parameters are decoded on demand (an idle connection keeps only the head).
 */
public final class ImmutableHttpRequest implements HttpRequest {

    private static final byte[] NO_BODY = new byte[0];

    private final HttpRequestHead head;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final byte[] body;
    private final Map<String, String> pathParameters;
    private final javax.net.ssl.SSLSession tlsSession;   // null over plain TCP

    /**
     * @param head   the parsed request head
     * @param remote the peer's address
     * @param local  our address
     * @param body   the body (empty for an upgrade); not copied, so not to be changed by the caller
     */
    public ImmutableHttpRequest(HttpRequestHead head, InetSocketAddress remote, InetSocketAddress local, byte[] body) {
        this(head, remote, local, body, Map.of(), null);
    }

    private ImmutableHttpRequest(HttpRequestHead head, InetSocketAddress remote, InetSocketAddress local, byte[] body,
            Map<String, String> pathParameters, javax.net.ssl.SSLSession tlsSession) {
        this.head = Objects.requireNonNull(head, "head");
        this.remote = remote;
        this.local = local;
        this.body = body.length == 0 ? NO_BODY : body;
        this.pathParameters = pathParameters;
        this.tlsSession = tlsSession;
    }

    /** This request as received over TLS in {@code session} (null: plain TCP). */
    public ImmutableHttpRequest withTlsSession(javax.net.ssl.SSLSession session) {
        return session == tlsSession ? this : new ImmutableHttpRequest(head, remote, local, body, pathParameters, session);
    }

    @Override
    public Optional<javax.net.ssl.SSLSession> tlsSession() {
        return Optional.ofNullable(tlsSession);
    }

    /** This request with the (decoded) parameters of the endpoint path template that matched it. */
    public ImmutableHttpRequest withPathParameters(Map<String, String> parameters) {
        return parameters.isEmpty() && pathParameters.isEmpty() ? this
                : new ImmutableHttpRequest(head, remote, local, body,
                        Collections.unmodifiableMap(new LinkedHashMap<>(parameters)), tlsSession);
    }

    /** The parsed head (for the handshake code). */
    public HttpRequestHead head() {
        return head;
    }

    @Override
    public String method() {
        return head.method();
    }

    @Override
    public String target() {
        return head.target();
    }

    @Override
    public String path() {
        return head.path();
    }

    @Override
    public Optional<String> query() {
        return head.query();
    }

    @Override
    public Optional<String> queryParameter(String name) {
        Objects.requireNonNull(name, "name");
        List<String> values = queryParameters().get(name);
        return values == null ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public Map<String, List<String>> queryParameters() {
        String query = head.query().orElse("");
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                parameters.computeIfAbsent(key, k -> new ArrayList<>(1)).add(value);
            } catch (IllegalArgumentException malformed) {
                // a broken %-escape: this pair is left out
            }
        }
        parameters.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(parameters);
    }

    @Override
    public Optional<String> pathParameter(String name) {
        return Optional.ofNullable(pathParameters.get(Objects.requireNonNull(name, "name")));
    }

    @Override
    public Map<String, String> pathParameters() {
        return pathParameters;
    }

    @Override
    public HttpHeaders headers() {
        return head.headers();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public byte[] body() {
        return body.length == 0 ? NO_BODY : body.clone();
    }

    @Override
    public String toString() {
        return head.method() + " " + head.target() + " from " + remote;
    }
}
