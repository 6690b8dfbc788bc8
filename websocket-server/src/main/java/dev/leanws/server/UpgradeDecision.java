package dev.leanws.server;

import dev.leanws.AttributeKey;
import dev.leanws.Attributes;
import dev.leanws.http.internal.HeaderFields;
import java.util.Locale;
import java.util.Objects;

/**
 * What an {@link UpgradeHook} decides about one upgrade request: accept it (with attributes for
 * the new connection and optional extra 101 headers), or reject it with any HTTP response.
 * Immutable; the {@code with*} methods return a new decision.
 *
 * <pre>{@code
 * UpgradeDecision.accept().with(USER, user)                  // connection.attributes().get(USER)
 * UpgradeDecision.accept().withHeader("Set-Cookie", "sid=1")
 * UpgradeDecision.reject(403, "origin not allowed")          // text/plain body
 * UpgradeDecision.reject(HttpResponse.of(401).withHeader("WWW-Authenticate", "Bearer"))
 * sessions.user(request).map(u -> UpgradeDecision.accept().with(USER, u))
 *         .orElse(UpgradeDecision.reject(401, "log in first"));
 * }</pre>
 */
public final class UpgradeDecision {

    private static final UpgradeDecision ACCEPT = new UpgradeDecision(null, new Attributes(), new HeaderFields().immutableCopy());

    private final HttpResponse rejection;      // null: accepted
    private final Attributes attributes;
    private final HeaderFields headers;        // extra 101 headers

    private UpgradeDecision(HttpResponse rejection, Attributes attributes, HeaderFields headers) {
        this.rejection = rejection;
        this.attributes = attributes;
        this.headers = headers;
    }

    /** Accept, with no attributes and no extra headers. */
    public static UpgradeDecision accept() {
        return ACCEPT;
    }

    /** Reject with {@code status} and {@code message} as a {@code text/plain} body. */
    public static UpgradeDecision reject(int status, String message) {
        return reject(HttpResponse.text(status, message + "\n"));
    }

    /** Reject with a response of your own (status, headers, body). */
    public static UpgradeDecision reject(HttpResponse response) {
        return new UpgradeDecision(Objects.requireNonNull(response, "response"), new Attributes(), ACCEPT.headers);
    }

    /** Whether this decision accepts the upgrade. */
    public boolean isAccepted() {
        return rejection == null;
    }

    /**
     * This acceptance with one more attribute for the connection.
     *
     * @throws IllegalStateException on a rejection (there is no connection to give it to)
     */
    public <T> UpgradeDecision with(AttributeKey<T> key, T value) {
        if (rejection != null) {
            throw new IllegalStateException("a rejected upgrade has no connection attributes");
        }
        Attributes next = attributes.copy();
        next.set(key, value);
        return new UpgradeDecision(null, next, headers);
    }

    /**
     * This decision with one more header field: in the 101 of an acceptance, or in the response
     * of a rejection. {@code Upgrade}, {@code Connection} and {@code Sec-WebSocket-*} belong to
     * the handshake, {@code Content-Length} and {@code Transfer-Encoding} to the server.
     *
     * @throws IllegalArgumentException for such a header, or a name or value that cannot be
     *                                  written on the wire
     */
    public UpgradeDecision withHeader(String name, String value) {
        String lower = Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT);
        if (lower.equals("upgrade") || lower.equals("connection") || lower.startsWith("sec-websocket-")
                || lower.equals("content-length") || lower.equals("transfer-encoding")) {
            throw new IllegalArgumentException(name + " is set by the handshake");
        }
        if (rejection != null) {
            return new UpgradeDecision(rejection.withHeader(name, value), attributes, headers);
        }
        return new UpgradeDecision(null, attributes, headers.mutableCopy().add(name, value).immutableCopy());
    }

    /** The rejection's response (null for an acceptance). */
    HttpResponse rejection() {
        return rejection;
    }

    /** The attributes the connection starts with: a fresh copy per connection. */
    Attributes attributesForConnection() {
        return attributes.copy();
    }

    /** The extra 101 headers. */
    HeaderFields headers() {
        return headers;
    }

    /** Accepted attributes and headers of {@code next} added to this acceptance (for {@link UpgradeHook#andThen}). */
    UpgradeDecision merge(UpgradeDecision next) {
        Attributes merged = attributes.copy();
        merged.putAll(next.attributes);
        HeaderFields h = headers.mutableCopy();
        next.headers.forEach(h::add);
        return new UpgradeDecision(null, merged, h.immutableCopy());
    }

    @Override
    public String toString() {
        return rejection == null ? "accept " + attributes : "reject " + rejection.status();
    }
}
