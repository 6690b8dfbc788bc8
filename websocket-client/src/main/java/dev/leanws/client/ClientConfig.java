package dev.leanws.client;

import dev.leanws.DeflateConfig;
import dev.leanws.WebSocketConfig;
import dev.leanws.event.EventFilter;
import dev.leanws.event.EventHandler;
import dev.leanws.event.EventManager;
import dev.leanws.event.Subscription;
import dev.leanws.event.WsEvent;
import dev.leanws.handshake.ClientHandshake;
import dev.leanws.handshake.ExtensionOffer;
import dev.leanws.handshake.HeaderTokens;
import dev.leanws.handshake.PerMessageDeflate;
import dev.leanws.http.internal.HttpParseException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How {@link WebSocketClient#connect(URI, ClientConfig)} connects: what the opening handshake
 * offers and sends, the timeouts, the connection's limits, reconnection, and where events go.
 *
 * <pre>{@code
 * ClientConfig options = ClientConfig.builder()
 *         .subprotocols(List.of("chat.v2", "chat.v1"))
 *         .header("Authorization", "Bearer " + token)
 *         .header("Origin", "https://example.com")
 *         .subscribe(EventFilter.textMessages(), e -> log.info("got {}", e.text()))  // race-free
 *         .reconnect(ReconnectPolicy.defaults())
 *         .build();
 * }</pre>
 *
 * <p>Every setting has a default; the table of defaults is in the project README ("Limits and
 * defaults").
 *
 * @param subprotocols   subprotocols to offer, most preferred first (unique tokens)
 * @param extensions     further extension offers, each one {@code Sec-WebSocket-Extensions} element,
 *                       sent after the {@code deflate} offer. The runtime implements permessage-deflate
 *                       only: extra permessage-deflate elements are further offers in order of
 *                       preference (a server accepts the first it can); any other extension must be one
 *                       a server will not use on frames, since a frame with a reserved bit set ends the
 *                       connection with 1002
 * @param headers        extra request headers, by name, in order; names the handshake owns
 *                       ({@code Host}, {@code Upgrade}, {@code Sec-WebSocket-*}, ...) are refused
 * @param connectTimeout deadline for the name lookup and the TCP connection
 * @param config         limits and timeouts of the connection, the handshake timeout included
 * @param reconnect      what happens when an open connection is lost
 * @param events         the event manager to dispatch to; empty: a new one for each connect
 * @param subscribers    handlers to register before the connection starts (see {@link Builder#subscribe})
 * @param reconnectListener told of each reconnection attempt (see {@link Builder#onReconnect})
 * @param tls            TLS for {@code wss://} URIs (trust, host name check, client certificate)
 * @param deflate        permessage-deflate: what to offer, and how to compress once agreed; default
 *                       {@link DeflateConfig#disabled()} (nothing offered)
 */
public record ClientConfig(List<String> subprotocols, List<String> extensions, Map<String, List<String>> headers,
        Duration connectTimeout, WebSocketConfig config, ReconnectPolicy reconnect, Optional<EventManager> events,
        List<Subscriber<?>> subscribers, Consumer<ReconnectEvent> reconnectListener, ClientTls tls,
        DeflateConfig deflate) {

    private static final URI PROBE = URI.create("ws://options.invalid/");
    private static final ClientConfig DEFAULTS = new Builder().build();

    /**
     * A handler that {@link WebSocketClient#connect} registers on the connection's event manager
     * before the connection's first event, limited to that connection's events.
     *
     * @param filter  which events
     * @param handler what to do with them
     * @param <T>     the event type
     */
    public record Subscriber<T extends WsEvent>(EventFilter<T> filter, EventHandler<? super T> handler) {
        public Subscriber {
            Objects.requireNonNull(filter, "filter");
            Objects.requireNonNull(handler, "handler");
        }

        /** Subscribes the handler to {@code events} for the events of {@code connection} only. */
        Subscription subscribe(EventManager events, WebSocketClient connection) {
            return events.subscribe(filter.and((T e) -> e.connection() == connection), handler);
        }
    }

    public ClientConfig {
        subprotocols = HeaderTokens.requireUniqueTokens(subprotocols);
        extensions = List.copyOf(extensions);
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(reconnect, "reconnect");
        Objects.requireNonNull(events, "events");
        subscribers = List.copyOf(subscribers);
        Objects.requireNonNull(reconnectListener, "reconnectListener");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(deflate, "deflate");
        if (connectTimeout.isZero() || connectTimeout.isNegative()) {
            throw new IllegalArgumentException("connectTimeout must be > 0: " + connectTimeout);
        }
        for (String e : extensions) {
            parseExtension(e);
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        ClientHandshake.Builder probe = ClientHandshake.builder(PROBE);
        headers.forEach((name, values) -> {
            values.forEach(v -> probe.header(name, v));   // refuses owned or malformed headers
            copy.put(name, List.copyOf(values));
        });
        headers = Collections.unmodifiableMap(copy);
    }

    /** The documented defaults. */
    public static ClientConfig defaults() {
        return DEFAULTS;
    }

    /** A builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The extension offers, parsed: the {@code deflate} offer first, then {@link #extensions()}. */
    List<ExtensionOffer> extensionOffers() {
        List<ExtensionOffer> offers = new ArrayList<>();
        PerMessageDeflate.offer(deflate).ifPresent(offers::add);
        extensions.stream().map(ClientConfig::parseExtension).forEach(offers::add);
        return offers;
    }

    private static ExtensionOffer parseExtension(String element) {
        try {
            List<ExtensionOffer> parsed = HeaderTokens.parseExtensions(element);
            if (parsed.size() != 1) {
                throw new IllegalArgumentException("one extension per element: \"" + element + "\"");
            }
            return parsed.get(0);
        } catch (HttpParseException e) {
            throw new IllegalArgumentException("malformed extension offer \"" + element + "\": " + e.getMessage(), e);
        }
    }

    /** Builder of {@link ClientConfig}; starts from the defaults. */
    public static final class Builder {
        private List<String> subprotocols = List.of();
        private List<String> extensions = List.of();
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private WebSocketConfig config = WebSocketConfig.defaults();
        private ReconnectPolicy reconnect = ReconnectPolicy.disabled();
        private EventManager events;
        private final List<Subscriber<?>> subscribers = new ArrayList<>();
        private Consumer<ReconnectEvent> reconnectListener = e -> { };
        private ClientTls tls = ClientTls.defaults();
        private DeflateConfig deflate = DeflateConfig.disabled();

        private Builder() {
        }

        private Builder(ClientConfig o) {
            subprotocols = o.subprotocols;
            extensions = o.extensions;
            o.headers.forEach((name, values) -> headers.put(name, new ArrayList<>(values)));
            connectTimeout = o.connectTimeout;
            config = o.config;
            reconnect = o.reconnect;
            events = o.events.orElse(null);
            subscribers.addAll(o.subscribers);
            reconnectListener = o.reconnectListener;
            tls = o.tls;
            deflate = o.deflate;
        }

        /** Subprotocols to offer, most preferred first. */
        public Builder subprotocols(List<String> offers) { this.subprotocols = offers; return this; }

        /** Extension offers as {@code Sec-WebSocket-Extensions} elements (see the record's description). */
        public Builder extensions(List<String> offers) { this.extensions = offers; return this; }

        /**
         * Adds a request header; calling it again with the same name adds another value.
         *
         * @throws IllegalArgumentException (at {@link #build()}) for a header the handshake sets
         *                                  itself, or a malformed name or value
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            return this;
        }

        /**
         * permessage-deflate (RFC 7692): offered first when enabled, e.g.
         * {@code deflate(DeflateConfig.defaults())}; what the server agrees is in
         * {@code extensions()} of the connection.
         */
        public Builder deflate(DeflateConfig config) { this.deflate = Objects.requireNonNull(config, "deflate"); return this; }

        public Builder connectTimeout(Duration timeout) { this.connectTimeout = timeout; return this; }

        /** Limits and timeouts of the connection (handshake, close, keep-alive, backpressure...). */
        public Builder config(WebSocketConfig connectionConfig) { this.config = connectionConfig; return this; }

        public Builder reconnect(ReconnectPolicy policy) { this.reconnect = policy; return this; }

        /** TLS for {@code wss://} (see {@link ClientTls}); default: the JDK's trust store and host name verification. */
        public Builder tls(ClientTls settings) { this.tls = Objects.requireNonNull(settings, "settings"); return this; }

        /**
         * Told of each reconnection attempt, on the client's thread, before its delay (see
         * {@link ReconnectEvent}); an exception it throws is logged and ignored.
         */
        public Builder onReconnect(Consumer<ReconnectEvent> listener) {
            this.reconnectListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Dispatches to this event manager instead of a new one: subscribe to it before
         * connecting and no event is missed. One manager may serve many clients (and servers);
         * an event's {@code connection()} tells them apart.
         */
        public Builder events(EventManager manager) { this.events = Objects.requireNonNull(manager, "manager"); return this; }

        /**
         * Registers {@code handler} for the events of the connection made with these options,
         * before its first event: it sees the {@code OpenEvent} and every message, even those
         * the server sends right behind its handshake response. Registered anew at each
         * {@code connect} (and kept across reconnects), and removed when that client is
         * finally closed.
         */
        public <T extends WsEvent> Builder subscribe(EventFilter<T> filter, EventHandler<? super T> handler) {
            subscribers.add(new Subscriber<>(filter, handler));
            return this;
        }

        /** @throws IllegalArgumentException for an invalid setting, naming it */
        public ClientConfig build() {
            return new ClientConfig(subprotocols, extensions, headers, connectTimeout, config, reconnect,
                    Optional.ofNullable(events), subscribers, reconnectListener, tls, deflate);
        }
    }
}
