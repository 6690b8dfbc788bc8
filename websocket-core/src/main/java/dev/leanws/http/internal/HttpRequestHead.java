package dev.leanws.http.internal;

import java.util.Objects;
import java.util.Optional;

/**
 * The head of an HTTP/1.1 request: its request line (RFC 7230 §3.1.1) and header fields.
 *
 * @param method  the method, case-sensitive ({@code GET})
 * @param target  the request-target as sent, undecoded ({@code /chat?room=1})
 * @param version the protocol version ({@code HTTP/1.1})
 * @param headers the header fields; stored as a read-only copy
 */
public record HttpRequestHead(String method, String target, String version, HeaderFields headers) {

    public HttpRequestHead {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(version, "version");
        headers = Objects.requireNonNull(headers, "headers").immutableCopy();
    }

    /**
     * The raw path of the target, without the query. The origin form {@code /a/b?q} gives
     * {@code /a/b}; the absolute form {@code http://host/a?q} (which a server must accept, RFC
     * 7230 §5.3.2) gives {@code /a}, or {@code /} when it has no path; {@code *} stays {@code *}.
     */
    public String path() {
        return pathOf(target);
    }

    /** The raw query: what follows the first {@code ?} (possibly empty), or empty if there is no {@code ?}. */
    public Optional<String> query() {
        return queryOf(target);
    }

    /** {@link #path()} of any request target (shared with the server's public request view). */
    public static String pathOf(String target) {
        int q = target.indexOf('?');
        String t = q < 0 ? target : target.substring(0, q);
        int scheme = t.startsWith("/") ? -1 : t.indexOf("://");
        if (scheme < 0) {
            return t;
        }
        int slash = t.indexOf('/', scheme + 3);
        return slash < 0 ? "/" : t.substring(slash);
    }

    /** {@link #query()} of any request target. */
    public static Optional<String> queryOf(String target) {
        int q = target.indexOf('?');
        return q < 0 ? Optional.empty() : Optional.of(target.substring(q + 1));
    }
}
