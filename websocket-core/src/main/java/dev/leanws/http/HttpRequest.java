package dev.leanws.http;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP/1.1 request: the opening request of a WebSocket connection (on the server, as the
 * client sent it; on the client, as we sent it), or a plain request on the server's HTTP side.
 * Immutable; a connection keeps its request for its whole life
 * ({@link dev.leanws.WebSocket#request()}).
 *
 * <pre>{@code
 * HttpRequest request = event.connection().request();
 * String room = request.pathParameter("room").orElse("lobby");     // endpoint "/rooms/{room}"
 * String user = request.queryParameter("user").orElse("guest");    // ?user=ada
 * Optional<String> agent = request.header("User-Agent");
 * }</pre>
 */
public interface HttpRequest {

    /** The method, case-sensitive as sent ({@code GET}, {@code POST}, ...). */
    String method();

    /** The request target exactly as sent, undecoded: {@code /chat?room=a%20b}. */
    String target();

    /**
     * The target's path, undecoded and without the query: {@code /chat}. An absolute-form target
     * ({@code http://host/chat?x}) gives its path ({@code /chat}, or {@code /} if it has none).
     */
    String path();

    /** The raw query, undecoded, without the {@code ?}; empty if the target has no {@code ?}. */
    Optional<String> query();

    /**
     * The first value of a query parameter, decoded as {@code application/x-www-form-urlencoded}
     * (UTF-8, {@code +} is a space): {@code ?room=a+b&x} gives {@code "a b"} for {@code room} and
     * {@code ""} for {@code x}. Empty if the parameter is absent.
     */
    Optional<String> queryParameter(String name);

    /**
     * Every query parameter, decoded, in order of first appearance, each with all its values;
     * pairs whose %-encoding is malformed are left out.
     */
    Map<String, List<String>> queryParameters();

    /**
     * A parameter of the server endpoint's path template, decoded: {@code room} is {@code "a b"}
     * for the template {@code /rooms/{room}} and the path {@code /rooms/a%20b}. Empty if the
     * template has no such parameter (or the request did not go through an endpoint).
     */
    Optional<String> pathParameter(String name);

    /** Every path-template parameter, decoded; empty when the endpoint's path is not a template. */
    Map<String, String> pathParameters();

    /** The header fields; names are looked up ignoring case. */
    HttpHeaders headers();

    /** The first value of a header, looked up ignoring case. */
    default Optional<String> header(String name) {
        return headers().first(name);
    }

    /** The peer's address (the TCP peer: a proxy in front of the server, if there is one). */
    InetSocketAddress remoteAddress();

    /** Our end of the TCP connection. */
    InetSocketAddress localAddress();

    /** A copy of the body: empty for WebSocket upgrades and requests without {@code Content-Length}. */
    byte[] body();

    /**
     * The TLS session the request came over ({@code wss://}, {@code https://}): protocol, cipher
     * suite and, with client certificates, the client's identity; empty over plain TCP.
     *
     * <pre>{@code
     * String client = request.tlsSession().map(s -> {
     *     try { return s.getPeerPrincipal().getName(); } catch (SSLPeerUnverifiedException none) { return null; }
     * }).orElse("anonymous");
     * }</pre>
     */
    default Optional<javax.net.ssl.SSLSession> tlsSession() {
        return Optional.empty();
    }
}
