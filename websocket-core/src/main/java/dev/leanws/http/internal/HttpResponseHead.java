package dev.leanws.http.internal;

import java.util.Objects;

/**
 * The head of an HTTP/1.1 response: its status line (RFC 7230 §3.1.2) and header fields.
 *
 * @param version the protocol version ({@code HTTP/1.1})
 * @param status  the three-digit status code
 * @param reason  the reason phrase, possibly empty (clients must not rely on it)
 * @param headers the header fields; stored as a read-only copy
 */
public record HttpResponseHead(String version, int status, String reason, HeaderFields headers) {

    public HttpResponseHead {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(reason, "reason");
        headers = Objects.requireNonNull(headers, "headers").immutableCopy();
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must have three digits: " + status);
        }
    }
}
