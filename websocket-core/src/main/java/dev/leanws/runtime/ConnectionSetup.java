package dev.leanws.runtime;

import dev.leanws.Attributes;
import dev.leanws.WebSocket;
import dev.leanws.WebSocketConfig;
import dev.leanws.codec.ByteBudget;
import dev.leanws.codec.MaskKeySource;
import dev.leanws.event.EventManager;
import dev.leanws.event.WsEvent;
import dev.leanws.http.HttpRequest;
import dev.leanws.session.Compression;
import dev.leanws.session.Role;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What a connection needs to know once its opening handshake succeeded.
 *
 * @param id          unique connection id
 * @param role        our end
 * @param config      limits and timeouts
 * @param events      where its events go, e.g. an {@link EventManager}'s {@code dispatch}
 * @param handle      what its events name as their connection: null for the connection itself;
 *                    the client passes its handle, which stays the same across reconnects
 * @param request     the opening request (the client's as received, or ours as sent)
 * @param subprotocol the agreed subprotocol
 * @param extensions  the agreed extensions
 * @param attributes  the connection's attributes (e.g. from the server's upgrade hook); used as is
 * @param maskKeys    masking keys (client role)
 * @param watchdog    checks the connection's deadlines
 * @param memory      the budget its buffers past their small allowances are charged to (the
 *                    server's {@link MemoryBudget}; {@link ByteBudget#UNLIMITED} for a client)
 * @param metrics     told when the connection opens and closes (the server's or client's counters)
 * @param compression the agreed permessage-deflate and our settings for it; null for none
 */
public record ConnectionSetup(String id, Role role, WebSocketConfig config, Consumer<WsEvent> events, WebSocket handle,
        HttpRequest request, Optional<String> subprotocol, List<String> extensions, Attributes attributes,
        MaskKeySource maskKeys, Watchdog watchdog, ByteBudget memory, ConnectionMetrics metrics,
        Compression compression) {

    /** A setup whose buffers are not charged to any budget and that counts nothing. */
    public ConnectionSetup(String id, Role role, WebSocketConfig config, Consumer<WsEvent> events, WebSocket handle,
            HttpRequest request, Optional<String> subprotocol, List<String> extensions, Attributes attributes,
            MaskKeySource maskKeys, Watchdog watchdog) {
        this(id, role, config, events, handle, request, subprotocol, extensions, attributes, maskKeys, watchdog,
                ByteBudget.UNLIMITED, ConnectionMetrics.NONE, null);
    }

    private static final AtomicLong SEQUENCE = new AtomicLong();

    public ConnectionSetup {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(subprotocol, "subprotocol");
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(watchdog, "watchdog");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(metrics, "metrics");
        extensions = List.copyOf(extensions);
        if (role.masksOutgoing()) {
            Objects.requireNonNull(maskKeys, "maskKeys");
        }
    }

    /** A process-unique id with a prefix, e.g. {@code s-42} for a server connection. */
    public static String nextId(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet();
    }
}
