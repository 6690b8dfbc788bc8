package dev.leanws.runtime;

import dev.leanws.WebSocketConfig;
import dev.leanws.codec.MaskKeySource;
import dev.leanws.event.EventManager;
import dev.leanws.session.Role;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a connection needs to know once its opening handshake succeeded.
 *
 * @param id          unique connection id
 * @param role        our end
 * @param config      limits and timeouts
 * @param events      where its events go
 * @param subprotocol the agreed subprotocol
 * @param extensions  the agreed extensions
 * @param attributes  initial attributes (e.g. from the server's upgrade hook); copied
 * @param maskKeys    masking keys (client role)
 */
public record ConnectionSetup(String id, Role role, WebSocketConfig config, EventManager events,
        Optional<String> subprotocol, List<String> extensions, Map<String, Object> attributes,
        MaskKeySource maskKeys) {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    public ConnectionSetup {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(subprotocol, "subprotocol");
        extensions = List.copyOf(extensions);
        attributes = Map.copyOf(attributes);
        if (role.masksOutgoing()) {
            Objects.requireNonNull(maskKeys, "maskKeys");
        }
    }

    /** A process-unique id with a prefix, e.g. {@code s-42} for a server connection. */
    public static String nextId(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet();
    }
}
