package dev.leanws.server;

import dev.leanws.http.internal.HeaderFields;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What an {@link UpgradeHook} decides about one upgrade request: accept it (with attributes
 * for the new connection and optional extra 101 headers), or reject it with any HTTP response.
 *
 * <pre>{@code
 * UpgradeDecision.accept(Map.of("user", "ada"))            // connection.attributes().get("user")
 * UpgradeDecision.accept().withHeader("Set-Cookie", "sid=1")
 * UpgradeDecision.reject(403, "origin not allowed")         // text/plain body
 * UpgradeDecision.reject(HttpResponse.of(401).withHeader("WWW-Authenticate", "Bearer"))
 * }</pre>
 */
public sealed interface UpgradeDecision {

    /** Accept with no attributes. */
    static Accept accept() {
        return new Accept(Map.of(), Map.of());
    }

    /** Accept, and start the connection with these attributes (no null keys or values). */
    static Accept accept(Map<String, ?> attributes) {
        return new Accept(Map.copyOf(attributes), Map.of());
    }

    /** Reject with {@code status} and {@code message} as a {@code text/plain} body. */
    static Reject reject(int status, String message) {
        return new Reject(HttpResponse.text(status, message + "\n"));
    }

    /** Reject with a response of your own (status, headers, body). */
    static Reject reject(HttpResponse response) {
        return new Reject(response);
    }

    /**
     * The upgrade goes ahead.
     *
     * @param attributes initial {@link dev.leanws.WebSocket#attributes()} of the connection
     * @param headers    extra header fields for the 101 response (e.g. {@code Set-Cookie});
     *                   {@code Upgrade}, {@code Connection} and {@code Sec-WebSocket-*} are
     *                   the handshake's and cannot be set
     */
    record Accept(Map<String, Object> attributes, Map<String, List<String>> headers) implements UpgradeDecision {

        /**
         * @throws IllegalArgumentException for a header the handshake owns, or a header name or
         *                                  value that cannot be written on the wire
         */
        public Accept {
            attributes = Map.copyOf(attributes);
            Map<String, List<String>> copy = new HashMap<>();
            headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
            headers = Map.copyOf(copy);
            toHttpHeaders(headers);   // validates
        }

        /** This decision with one more attribute. */
        public Accept withAttribute(String key, Object value) {
            Map<String, Object> next = new HashMap<>(attributes);
            next.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return new Accept(next, headers);
        }

        /** This decision with one more 101 header field. */
        public Accept withHeader(String name, String value) {
            Map<String, List<String>> next = new HashMap<>(headers);
            next.merge(name, List.of(value), (a, b) -> {
                List<String> joined = new java.util.ArrayList<>(a);
                joined.addAll(b);
                return joined;
            });
            return new Accept(attributes, next);
        }

        /** The extra headers, validated, for the server's writer. */
        HeaderFields httpHeaders() {
            return toHttpHeaders(headers);
        }

        private static HeaderFields toHttpHeaders(Map<String, List<String>> headers) {
            HeaderFields h = new HeaderFields();
            headers.forEach((name, values) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.equals("upgrade") || lower.equals("connection") || lower.startsWith("sec-websocket-")
                        || lower.equals("content-length") || lower.equals("transfer-encoding")) {
                    throw new IllegalArgumentException(name + " is set by the handshake");
                }
                values.forEach(v -> h.add(name, v));
            });
            return h;
        }
    }

    /**
     * The upgrade is refused with this response; the server then closes the TCP connection.
     *
     * @param response what the client gets (any status 200-599; 4xx is usual)
     */
    record Reject(HttpResponse response) implements UpgradeDecision {
        public Reject {
            Objects.requireNonNull(response, "response");
        }
    }
}
