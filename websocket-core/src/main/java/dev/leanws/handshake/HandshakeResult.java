package dev.leanws.handshake;

import dev.leanws.http.internal.HeaderFields;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of an opening handshake: accepted with what was agreed, or (on the server)
 * rejected with the HTTP status to answer. Sealed so a caller's {@code switch} covers both.
 */
public sealed interface HandshakeResult {

    /**
     * The handshake succeeded.
     *
     * @param subprotocol     the agreed subprotocol, if any
     * @param extensions      the agreed extensions as {@code Sec-WebSocket-Extensions} elements
     * @param responseHeaders the 101's headers (built by the server, or received by the client)
     */
    record Accepted(Optional<String> subprotocol, List<String> extensions, HeaderFields responseHeaders)
            implements HandshakeResult {
        public Accepted {
            Objects.requireNonNull(subprotocol, "subprotocol");
            extensions = List.copyOf(extensions);
            responseHeaders = responseHeaders.immutableCopy();
        }
    }

    /**
     * The server refuses the upgrade.
     *
     * @param status          the HTTP status to answer (400, 405, 426, ...)
     * @param reason          why, in words naming the header at fault; sent as the response body
     * @param responseHeaders headers the status requires ({@code Allow}, {@code Upgrade},
     *                        {@code Sec-WebSocket-Version}); framing headers are added when rendered
     */
    record Rejected(int status, String reason, HeaderFields responseHeaders) implements HandshakeResult {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            responseHeaders = responseHeaders.immutableCopy();
            if (status < 300 || status > 599) {
                throw new IllegalArgumentException("a refusal needs a 3xx, 4xx or 5xx status: " + status);
            }
        }
    }
}
