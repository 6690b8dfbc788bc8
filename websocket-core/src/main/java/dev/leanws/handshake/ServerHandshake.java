package dev.leanws.handshake;

import dev.leanws.http.internal.HeaderFields;
import dev.leanws.http.internal.HttpHeadWriter;
import dev.leanws.http.internal.HttpParseException;
import dev.leanws.http.internal.HttpRequestHead;
import dev.leanws.http.internal.HttpResponseHead;
import static dev.leanws.handshake.HandshakeHeaders.ALLOW;
import static dev.leanws.handshake.HandshakeHeaders.CONNECTION;
import static dev.leanws.handshake.HandshakeHeaders.CONTENT_LENGTH;
import static dev.leanws.handshake.HandshakeHeaders.CONTENT_TYPE;
import static dev.leanws.handshake.HandshakeHeaders.HOST;
import static dev.leanws.handshake.HandshakeHeaders.SEC_WEBSOCKET_ACCEPT;
import static dev.leanws.handshake.HandshakeHeaders.SEC_WEBSOCKET_EXTENSIONS;
import static dev.leanws.handshake.HandshakeHeaders.SEC_WEBSOCKET_KEY;
import static dev.leanws.handshake.HandshakeHeaders.SEC_WEBSOCKET_PROTOCOL;
import static dev.leanws.handshake.HandshakeHeaders.SEC_WEBSOCKET_VERSION;
import static dev.leanws.handshake.HandshakeHeaders.TRANSFER_ENCODING;
import static dev.leanws.handshake.HandshakeHeaders.UPGRADE;
import static dev.leanws.handshake.HandshakeHeaders.UPGRADE_TOKEN;
import static dev.leanws.handshake.HandshakeHeaders.VERSION_13;
import static dev.leanws.handshake.HandshakeHeaders.WEBSOCKET;

import dev.leanws.UpgradeConfig;
import dev.leanws.handshake.HandshakeResult.Accepted;
import dev.leanws.handshake.HandshakeResult.Rejected;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The server's side of the opening handshake (RFC 6455 §4.2): from a parsed request to an
 * {@link Accepted} with its 101 headers, or a {@link Rejected} with the status to answer.
 * Pure: no I/O, so every refusal is a table row in a test.
 *
 * <p>The checks run as ordered guard clauses (ws's {@code handleUpgrade} shape): the first
 * failure decides the status, and its reason names the header at fault.
 *
 * <table>
 * <caption>Refusals</caption>
 * <tr><th>check</th><th>status</th><th>extra header</th></tr>
 * <tr><td>HTTP/1.1 or later (§4.1 item 2; the parser already answered 505 for 2.x and up)</td><td>400</td><td></td></tr>
 * <tr><td>method GET (§4.1 item 2)</td><td>405</td><td>{@code Allow: GET} (RFC 7231 §6.5.5)</td></tr>
 * <tr><td>{@code Host} exactly once (RFC 7230 §5.4)</td><td>400</td><td></td></tr>
 * <tr><td>target in origin form ({@code /...}), no body ({@code Content-Length} other than 0, any {@code Transfer-Encoding})</td><td>400</td><td></td></tr>
 * <tr><td>{@code Upgrade} holds {@code websocket} (§4.2.1 item 3)</td><td>426</td><td>{@code Upgrade: websocket} (RFC 7231 §6.5.15)</td></tr>
 * <tr><td>{@code Connection} holds {@code Upgrade} (§4.2.1 item 4)</td><td>400</td><td></td></tr>
 * <tr><td>{@code Sec-WebSocket-Key} once, 16 bytes base64 (§4.2.1 item 5)</td><td>400</td><td></td></tr>
 * <tr><td>{@code Sec-WebSocket-Version} once and 13 (§4.2.1 item 6, §4.4)</td><td>426</td><td>{@code Sec-WebSocket-Version: 13}, {@code Upgrade: websocket}</td></tr>
 * <tr><td>{@code Sec-WebSocket-Protocol} well-formed, unique (§4.1 item 10)</td><td>400</td><td></td></tr>
 * <tr><td>an offered subprotocol matches, if {@link UpgradeConfig#rejectOnNoMatch()}</td><td>400</td><td></td></tr>
 * <tr><td>a subprotocol is offered and matches, if {@link UpgradeConfig#requireSubprotocol()}</td><td>400</td><td></td></tr>
 * <tr><td>{@code Sec-WebSocket-Extensions} well-formed (§9.1)</td><td>400</td><td></td></tr>
 * </table>
 *
 * HTTP/1.0 gets 400 rather than 505: 505 refuses a major version (RFC 7231 §6.6.6), and 1.0
 * shares ours; it simply cannot upgrade (RFC 7230 §6.7).
 */
public final class ServerHandshake {

    private ServerHandshake() {
    }

    /**
     * Whether the request asks for WebSocket ({@code Upgrade} holds the {@code websocket} token),
     * so a server can send every other request to its plain HTTP handler.
     */
    public static boolean isUpgradeRequest(HttpRequestHead request) {
        return request.headers().containsToken(UPGRADE, WEBSOCKET);
    }

    /** Runs the handshake without extensions ({@link ExtensionNegotiator#NONE}). */
    public static HandshakeResult process(HttpRequestHead request, UpgradeConfig config) {
        return process(request, config, ExtensionNegotiator.NONE);
    }

    /**
     * Runs the handshake.
     *
     * @throws IllegalStateException if {@code negotiator} answers an extension that was not offered
     */
    public static HandshakeResult process(HttpRequestHead request, UpgradeConfig config, ExtensionNegotiator negotiator) {
        HeaderFields h = request.headers();
        if (!isHttp11OrLater(request.version())) {
            return reject(400, "HTTP/1.1 or later required, got " + request.version());
        }
        if (!"GET".equals(request.method())) {
            return reject(405, "method " + request.method() + " not allowed; a WebSocket upgrade is a GET",
                    ALLOW, "GET");
        }
        Optional<String> problem = HandshakeHeaders.notSingle(h, HOST);
        if (problem.isPresent()) {
            return reject(400, problem.get());
        }
        problem = notPlainUpgrade(request);
        if (problem.isPresent()) {
            return reject(400, problem.get());
        }
        if (!h.containsToken(UPGRADE, WEBSOCKET)) {
            return reject(426, h.contains(UPGRADE) ? UPGRADE + " header does not name websocket"
                    : HandshakeHeaders.missing(UPGRADE), UPGRADE, WEBSOCKET);
        }
        if (!h.containsToken(CONNECTION, UPGRADE_TOKEN)) {
            return reject(400, h.contains(CONNECTION) ? CONNECTION + " header lacks the Upgrade token"
                    : HandshakeHeaders.missing(CONNECTION));
        }
        problem = HandshakeHeaders.notSingle(h, SEC_WEBSOCKET_KEY);
        if (problem.isPresent()) {
            return reject(400, problem.get());
        }
        String key = h.first(SEC_WEBSOCKET_KEY).orElseThrow();
        if (!AcceptKey.isValidKey(key)) {
            return reject(400, SEC_WEBSOCKET_KEY + " is not the base64 of 16 bytes");
        }
        problem = HandshakeHeaders.notSingle(h, SEC_WEBSOCKET_VERSION);
        if (problem.isPresent() || !VERSION_13.equals(h.first(SEC_WEBSOCKET_VERSION).orElseThrow())) {
            return reject(426, problem.orElseGet(() -> SEC_WEBSOCKET_VERSION + " "
                    + HeaderTokens.quote(h.first(SEC_WEBSOCKET_VERSION).orElseThrow()) + " not supported; this server speaks 13"),
                    SEC_WEBSOCKET_VERSION, VERSION_13, UPGRADE, WEBSOCKET);
        }

        Optional<String> subprotocol = Optional.empty();
        if (h.contains(SEC_WEBSOCKET_PROTOCOL)) {
            List<String> offered;
            try {
                offered = HeaderTokens.parseSubprotocols(h.all(SEC_WEBSOCKET_PROTOCOL));
            } catch (HttpParseException e) {
                return reject(e.status(), e.getMessage());
            }
            subprotocol = select(config.subprotocols(), offered);
            if (subprotocol.isEmpty() && (config.rejectOnNoMatch() || config.requireSubprotocol())) {
                return reject(400, SEC_WEBSOCKET_PROTOCOL + ": none of the offered subprotocols is supported");
            }
        } else if (config.requireSubprotocol()) {
            return reject(400, SEC_WEBSOCKET_PROTOCOL + " required: offer one of " + String.join(", ", config.subprotocols()));
        }

        List<ExtensionOffer> accepted = List.of();
        if (h.contains(SEC_WEBSOCKET_EXTENSIONS)) {
            List<ExtensionOffer> offers;
            try {
                offers = HeaderTokens.parseExtensions(h.all(SEC_WEBSOCKET_EXTENSIONS));
            } catch (HttpParseException e) {
                return reject(e.status(), e.getMessage());
            }
            accepted = List.copyOf(negotiator.negotiate(offers));
            checkOffered(offers, accepted);
        }

        HeaderFields response = HeaderFields.of(
                UPGRADE, WEBSOCKET,
                CONNECTION, UPGRADE_TOKEN,
                SEC_WEBSOCKET_ACCEPT, AcceptKey.compute(key));
        subprotocol.ifPresent(p -> response.add(SEC_WEBSOCKET_PROTOCOL, p));
        if (!accepted.isEmpty()) {
            response.add(SEC_WEBSOCKET_EXTENSIONS, HeaderTokens.formatExtensions(accepted));
        }
        List<String> extensions = accepted.isEmpty() ? List.of() : accepted.stream().map(ExtensionOffer::toString).toList();
        return new Accepted(subprotocol, extensions, response.readOnlyView());
    }

    /**
     * The bytes to send for a result: the 101 for {@link Accepted}, or the refusal described in
     * {@link #refusalBytes} for {@link Rejected}.
     */
    public static ByteBuffer responseBytes(HandshakeResult result) {
        return switch (result) {
            case Accepted a -> HttpHeadWriter.response(
                    new HttpResponseHead("HTTP/1.1", 101, HttpHeadWriter.reasonPhrase(101), a.responseHeaders()),
                    new byte[0]);
            case Rejected r -> refusalBytes(r.status(), r.reason(), r.responseHeaders());
        };
    }

    /**
     * A complete non-101 response: the status line, {@code headers}, then
     * {@code Content-Type: text/plain}, {@code Content-Length} and {@code Connection: close},
     * and {@code message} plus a newline as the body. {@code Connection: close} because the
     * server closes the TCP connection after a refusal instead of reading another request from
     * a peer that was speaking WebSocket. Also serves the server's own refusals (403 from an
     * upgrade hook, 404, 503 when full).
     */
    public static ByteBuffer refusalBytes(int status, String message, HeaderFields headers) {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        HeaderFields all = headers.mutableCopy()
                .set(CONTENT_TYPE, "text/plain; charset=utf-8")
                .set(CONTENT_LENGTH, Integer.toString(body.length))
                .set(CONNECTION, "close");
        return HttpHeadWriter.response(
                new HttpResponseHead("HTTP/1.1", status, HttpHeadWriter.reasonPhrase(status), all), body);
    }

    /**
     * RFC 6455 §4.2.2 item 5.4: the first of the server's protocols, in its order of preference,
     * that the client offered. Compared exactly: subprotocol names are case-sensitive tokens.
     */
    static Optional<String> select(List<String> supported, List<String> offered) {
        return supported.stream().filter(offered::contains).findFirst();
    }

    /** RFC 6455 §9.1: the server must not answer an extension the client did not offer. */
    private static void checkOffered(List<ExtensionOffer> offers, List<ExtensionOffer> accepted) {
        ExtensionOffer.firstNotOffered(offers, accepted).ifPresent(a -> {
            throw new IllegalStateException("extension negotiator accepted " + a.name() + ", which was not offered");
        });
    }

    /**
     * An upgrade is a bare GET of a resource: its target is in origin form (RFC 7230 §5.3.1,
     * starting with {@code /}; RFC 6455 §3 names a resource, never {@code *} or an absolute URI)
     * and it has no body (RFC 7231 §4.3.1 gives a GET body no meaning). A body on an upgrade
     * would otherwise be read as the first WebSocket frames, a request-smuggling opening.
     */
    private static Optional<String> notPlainUpgrade(HttpRequestHead request) {
        HeaderFields h = request.headers();
        if (!request.target().startsWith("/")) {
            return Optional.of("request target " + HeaderTokens.quote(request.target())
                    + " is not in origin form (a path starting with /)");
        }
        if (h.contains(TRANSFER_ENCODING)) {
            return Optional.of("an upgrade request has no body: " + TRANSFER_ENCODING + " not allowed");
        }
        if (!h.contains(CONTENT_LENGTH)) {
            return Optional.empty();
        }
        for (String length : h.all(CONTENT_LENGTH)) {
            if (!length.strip().equals("0")) {
                return Optional.of("an upgrade request has no body: " + CONTENT_LENGTH + " " + HeaderTokens.quote(length));
            }
        }
        return Optional.empty();
    }

    /** HTTP/1.x with x >= 1 (the parser guarantees the {@code HTTP/d.d} shape). */
    private static boolean isHttp11OrLater(String version) {
        return version.length() == 8 && version.startsWith("HTTP/1.") && version.charAt(7) >= '1'
                && version.charAt(7) <= '9';
    }

    private static Rejected reject(int status, String reason, String... headers) {
        return new Rejected(status, reason, HeaderFields.of(headers));
    }
}
