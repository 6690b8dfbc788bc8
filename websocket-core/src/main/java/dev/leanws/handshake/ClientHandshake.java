package dev.leanws.handshake;

import dev.leanws.http.internal.HeaderFields;
import dev.leanws.http.internal.HttpHeadParser;
import dev.leanws.http.internal.HttpHeadWriter;
import dev.leanws.http.internal.HttpParseException;
import dev.leanws.http.internal.HttpRequestHead;
import dev.leanws.http.internal.HttpResponseHead;
import static dev.leanws.handshake.HandshakeHeaders.CONNECTION;
import static dev.leanws.handshake.HandshakeHeaders.HOST;
import static dev.leanws.handshake.HandshakeHeaders.SEC_WEBSOCKET_ACCEPT;
import static dev.leanws.handshake.HandshakeHeaders.SEC_WEBSOCKET_EXTENSIONS;
import static dev.leanws.handshake.HandshakeHeaders.SEC_WEBSOCKET_KEY;
import static dev.leanws.handshake.HandshakeHeaders.SEC_WEBSOCKET_PROTOCOL;
import static dev.leanws.handshake.HandshakeHeaders.SEC_WEBSOCKET_VERSION;
import static dev.leanws.handshake.HandshakeHeaders.UPGRADE;
import static dev.leanws.handshake.HandshakeHeaders.UPGRADE_TOKEN;
import static dev.leanws.handshake.HandshakeHeaders.VERSION_13;
import static dev.leanws.handshake.HandshakeHeaders.WEBSOCKET;

import dev.leanws.HandshakeException;
import dev.leanws.handshake.HandshakeResult.Accepted;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The client's side of the opening handshake (RFC 6455 §4.1): the request for a
 * {@code ws://} or {@code wss://} URI, and the validation of the server's response. Pure: the
 * client module writes {@link #requestBytes()}, reads the response head with
 * {@link HttpHeadParser}, and calls {@link #validate}.
 *
 * <pre>{@code
 * ClientHandshake handshake = ClientHandshake.builder(URI.create("ws://example.com/chat"))
 *         .subprotocols(List.of("chat.v2", "chat.v1"))
 *         .header("Origin", "https://example.com")
 *         .build();
 * channel.write(handshake.requestBytes());
 * ... parse the response head ...
 * Accepted agreed = handshake.validate(parser.response());   // or HandshakeException
 * }</pre>
 *
 * <p>The headers the handshake owns cannot be set as custom headers: {@code Host},
 * {@code Upgrade}, {@code Connection}, {@code Sec-WebSocket-Key}/{@code -Version}/{@code -Accept},
 * {@code Sec-WebSocket-Protocol}/{@code -Extensions} (offered through {@link Builder#subprotocols}
 * and {@link Builder#extensions}, so validation knows what was offered, as the JDK client does),
 * and {@code Content-Length}/{@code Transfer-Encoding} (the request has no body; either would
 * make the server wait for one).
 */
public final class ClientHandshake {

    private static final Set<String> OWNED_HEADERS = Set.of("host", "upgrade", "connection",
            "sec-websocket-key", "sec-websocket-version", "sec-websocket-accept",
            "sec-websocket-protocol", "sec-websocket-extensions", "content-length", "transfer-encoding");

    private final WebSocketUri target;
    private final String key;
    private final String expectedAccept;
    private final List<String> subprotocols;
    private final List<ExtensionOffer> extensions;
    private final HttpRequestHead request;

    private ClientHandshake(Builder b) {
        this.target = WebSocketUri.of(b.uri);
        this.subprotocols = HeaderTokens.requireUniqueTokens(b.subprotocols);
        this.extensions = List.copyOf(b.extensions);
        this.key = b.random == null ? AcceptKey.newKey() : AcceptKey.newKey(b.random);
        this.expectedAccept = AcceptKey.compute(key);

        // RFC 6455 §4.1 items 4-9, then the optional offers (items 10-11) and custom headers.
        HeaderFields headers = HeaderFields.of(
                HOST, target.hostHeader(),
                UPGRADE, WEBSOCKET,
                CONNECTION, UPGRADE_TOKEN,
                SEC_WEBSOCKET_KEY, key,
                SEC_WEBSOCKET_VERSION, VERSION_13);
        if (!subprotocols.isEmpty()) {
            headers.add(SEC_WEBSOCKET_PROTOCOL, HeaderTokens.formatTokenList(subprotocols));
        }
        if (!extensions.isEmpty()) {
            headers.add(SEC_WEBSOCKET_EXTENSIONS, HeaderTokens.formatExtensions(extensions));
        }
        b.headers.forEach(headers::add);
        this.request = new HttpRequestHead("GET", target.target(), "HTTP/1.1", headers);
    }

    /** A builder for a handshake to {@code uri} ({@code ws://} or {@code wss://}). */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /** Where to connect (host, port, TLS or not) and what the request names. */
    public WebSocketUri target() {
        return target;
    }

    /** The {@code Sec-WebSocket-Key} this handshake sends. */
    public String key() {
        return key;
    }

    /** The {@code Sec-WebSocket-Accept} the server must answer. */
    public String expectedAccept() {
        return expectedAccept;
    }

    public List<String> subprotocols() {
        return subprotocols;
    }

    public List<ExtensionOffer> extensions() {
        return extensions;
    }

    /** The request head. */
    public HttpRequestHead request() {
        return request;
    }

    /** The request as bytes, ready to write; a new buffer on every call. */
    public ByteBuffer requestBytes() {
        return HttpHeadWriter.request(request);
    }

    /**
     * Checks the server's response as RFC 6455 §4.1 ("If the server's response is not valid")
     * requires, in its order. Returns what was agreed.
     *
     * @throws HandshakeException with the response's status and headers, naming what was wrong
     */
    public Accepted validate(HttpResponseHead response) throws HandshakeException {
        HeaderFields h = response.headers();
        // Item 1: anything but 101 is handled "per HTTP procedures": here, reported to the caller.
        // The status line must be exactly HTTP/1.1 101: a WebSocket upgrade exists only in
        // HTTP/1.1 (RFC 6455 §4.1, RFC 7230 §6.7); an HTTP/1.0 or 1.2 "101" is not one.
        if (!"HTTP/1.1".equals(response.version())) {
            throw fail(response, "expected an HTTP/1.1 response, got " + response.version() + " " + response.status());
        }
        if (response.status() != 101) {
            throw fail(response, "expected HTTP status 101 Switching Protocols, got " + response.status()
                    + (response.reason().isEmpty() ? "" : " " + response.reason()));
        }
        // Item 2: Upgrade is "websocket", ignoring case.
        String upgrade = requireSingle(response, UPGRADE);
        if (!upgrade.equalsIgnoreCase(WEBSOCKET)) {
            throw fail(response, UPGRADE + " header is " + HeaderTokens.quote(upgrade) + ", expected websocket");
        }
        // Item 3: Connection holds the token "Upgrade", ignoring case.
        if (!h.containsToken(CONNECTION, UPGRADE_TOKEN)) {
            throw fail(response, h.contains(CONNECTION) ? CONNECTION + " header lacks the Upgrade token"
                    : HandshakeHeaders.missing(CONNECTION));
        }
        // Item 4: Sec-WebSocket-Accept is base64(SHA-1(key + GUID)), compared exactly.
        String accept = requireSingle(response, SEC_WEBSOCKET_ACCEPT);
        if (!accept.equals(expectedAccept)) {
            throw fail(response, SEC_WEBSOCKET_ACCEPT + " is " + HeaderTokens.quote(accept)
                    + ", expected \"" + expectedAccept + "\"");
        }
        // Item 5: only extensions we offered (and the header at most once, §11.3.2).
        List<String> agreedExtensions = List.of();
        Optional<String> extensionsHeader = requireAtMostOne(response, SEC_WEBSOCKET_EXTENSIONS);
        if (extensionsHeader.isPresent()) {
            agreedExtensions = checkExtensions(response, extensionsHeader.get());
        }
        // Item 6: one subprotocol, one we offered (and the header at most once, §11.3.4).
        Optional<String> protocol = requireAtMostOne(response, SEC_WEBSOCKET_PROTOCOL);
        if (protocol.isPresent()) {
            String p = protocol.get();
            if (!HeaderTokens.isToken(p)) {
                throw fail(response, SEC_WEBSOCKET_PROTOCOL + " must name one subprotocol, got " + HeaderTokens.quote(p));
            }
            if (!subprotocols.contains(p)) {
                throw fail(response, SEC_WEBSOCKET_PROTOCOL + " " + HeaderTokens.quote(p) + " was not offered");
            }
        }
        return new Accepted(protocol, agreedExtensions, h);
    }

    private List<String> checkExtensions(HttpResponseHead response, String value) throws HandshakeException {
        List<ExtensionOffer> answered;
        try {
            answered = HeaderTokens.parseExtensions(value);
        } catch (HttpParseException e) {
            throw fail(response, "malformed " + e.getMessage());
        }
        Optional<ExtensionOffer> unsolicited = ExtensionOffer.firstNotOffered(extensions, answered);
        if (unsolicited.isPresent()) {
            throw fail(response, SEC_WEBSOCKET_EXTENSIONS + ": " + HeaderTokens.quote(unsolicited.get().name())
                    + " was not offered");
        }
        // RFC 7692 §5-7: a permessage-deflate answer must accept one of our offers, exactly once.
        List<ExtensionOffer> deflate = answered.stream().filter(a -> a.name().equals(PerMessageDeflate.NAME)).toList();
        if (deflate.size() > 1) {
            throw fail(response, SEC_WEBSOCKET_EXTENSIONS + ": " + PerMessageDeflate.NAME + " answered "
                    + deflate.size() + " times");
        }
        for (ExtensionOffer d : deflate) {
            Optional<String> invalid = PerMessageDeflate.checkResponse(d, extensions);
            if (invalid.isPresent()) {
                throw fail(response, SEC_WEBSOCKET_EXTENSIONS + ": invalid " + PerMessageDeflate.NAME + " answer \""
                        + d + "\": " + invalid.get());
            }
        }
        return answered.stream().map(ExtensionOffer::toString).toList();
    }

    private static String requireSingle(HttpResponseHead response, String name) throws HandshakeException {
        Optional<String> problem = HandshakeHeaders.notSingle(response.headers(), name);
        if (problem.isPresent()) {
            throw fail(response, problem.get());
        }
        return response.headers().first(name).orElseThrow();
    }

    private static Optional<String> requireAtMostOne(HttpResponseHead response, String name) throws HandshakeException {
        Optional<String> problem = HandshakeHeaders.moreThanOne(response.headers(), name);
        if (problem.isPresent()) {
            throw fail(response, problem.get());
        }
        return response.headers().first(name);
    }

    private static HandshakeException fail(HttpResponseHead response, String message) {
        return new HandshakeException(response.status(), message, response.headers().toMap());
    }

    /** Builder of {@link ClientHandshake}; {@link #build()} draws the key. */
    public static final class Builder {
        private final URI uri;
        private List<String> subprotocols = List.of();
        private List<ExtensionOffer> extensions = List.of();
        private final HeaderFields headers = new HeaderFields();
        private RandomGenerator random;

        private Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /** Subprotocols to offer, most preferred first. */
        public Builder subprotocols(List<String> offers) {
            this.subprotocols = List.copyOf(offers);
            return this;
        }

        /** Extensions to offer, most preferred first. */
        public Builder extensions(List<ExtensionOffer> offers) {
            this.extensions = List.copyOf(offers);
            return this;
        }

        /**
         * Adds a custom header (Origin, Authorization, Cookie, ...).
         *
         * @throws IllegalArgumentException for a header the handshake owns, or an invalid name or value
         */
        public Builder header(String name, String value) {
            String lower = Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT);
            if (OWNED_HEADERS.contains(lower)) {
                throw new IllegalArgumentException("header " + name + " is set by the handshake"
                        + (lower.equals("sec-websocket-protocol") ? "; use subprotocols(...)"
                        : lower.equals("sec-websocket-extensions") ? "; use extensions(...)" : ""));
            }
            headers.add(name, value);
            return this;
        }

        /** Adds every field of {@code custom} as by {@link #header}. */
        public Builder headers(HeaderFields custom) {
            custom.forEach(this::header);
            return this;
        }

        /** The source of the key; by default a shared {@link java.security.SecureRandom}. Tests inject a seeded one. */
        public Builder random(RandomGenerator source) {
            this.random = Objects.requireNonNull(source, "random");
            return this;
        }

        /** @throws IllegalArgumentException for a URI that is not an absolute ws/wss URI with a host */
        public ClientHandshake build() {
            return new ClientHandshake(this);
        }
    }
}
