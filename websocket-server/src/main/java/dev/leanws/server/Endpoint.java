package dev.leanws.server;

import dev.leanws.DeflateConfig;
import dev.leanws.UpgradeConfig;
import dev.leanws.WebSocketConfig;
import dev.leanws.event.EventManager;
import dev.leanws.http.HttpRequest;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One WebSocket service of a server, at a path: its own upgrade rules (subprotocols, origin
 * policy, hook), its own connection settings, and its own handlers ({@link #events()}). A
 * server with endpoints answers an upgrade to any other path with 404; a server without any
 * accepts upgrades on every path (one implicit endpoint {@code /*}).
 *
 * <pre>{@code
 * Endpoint chat = Endpoint.at("/chat")
 *         .subprotocols("chat.v1")
 *         .allowOrigins("https://chat.example.com")
 *         .build();
 * Endpoint feed = Endpoint.at("/feed/{topic}").build();
 * chat.events().subscribe(EventFilter.textMessages(), e -> server.broadcast(e.text()));
 * feed.events().subscribe(EventFilter.opens(), e -> {
 *     String topic = e.connection().request().pathParameter("topic").orElseThrow();
 *     ...
 * });
 * WebSocketServer server = WebSocketServer.builder().port(9001).endpoint(chat).endpoint(feed).build();
 * }</pre>
 *
 * <p>Paths are exact ({@code /chat}), templates ({@code /rooms/{room}}: one segment per
 * parameter, read with {@link HttpRequest#pathParameter}), or either followed by {@code /*}
 * (any rest). The most specific match wins: exact and template paths before wildcards, then
 * more literal segments. Each event is dispatched to the endpoint's handlers, then to the
 * server's ({@link WebSocketServer#events()}), which see every connection.
 *
 * <p>Order of the checks on an upgrade: RFC 6455 (400, 405, 426), the subprotocol rules of
 * {@link UpgradeConfig} (400), the origin policy (403), then the {@link UpgradeHook}.
 */
public final class Endpoint {

    private final PathPattern path;
    private final UpgradeConfig upgrade;
    private final Set<String> allowedOrigins;   // null: any origin; empty: same origin as Host
    private final UpgradeHook hook;
    private final WebSocketConfig config;       // null: the server's
    private final DeflateConfig deflate;        // null: the server's
    private final EventManager events = new EventManager();

    private Endpoint(Builder b) {
        this.path = PathPattern.parse(b.path);
        this.upgrade = b.upgrade;
        this.allowedOrigins = b.allowedOrigins;
        this.hook = b.hook;
        this.config = b.config;
        this.deflate = b.deflate;
    }

    /** A builder for an endpoint at {@code path} (see the class description for the forms). */
    public static Builder at(String path) {
        return new Builder(Objects.requireNonNull(path, "path"));
    }

    /** The path or template, as given. */
    public String path() {
        return path.toString();
    }

    /** The handlers of this endpoint's connections. Subscribe before or after the server starts. */
    public EventManager events() {
        return events;
    }

    PathPattern pattern() {
        return path;
    }

    UpgradeConfig upgrade() {
        return upgrade;
    }

    UpgradeHook hook() {
        return hook;
    }

    /** The connection settings of this endpoint's connections, if it has its own. */
    Optional<WebSocketConfig> config() {
        return Optional.ofNullable(config);
    }

    /** This endpoint's permessage-deflate settings, if it has its own. */
    Optional<DeflateConfig> deflate() {
        return Optional.ofNullable(deflate);
    }

    /** Whether the request's {@code Origin} passes this endpoint's origin policy. */
    boolean originAllowed(HttpRequest request) {
        if (allowedOrigins == null) {
            return true;
        }
        List<String> origins = request.headers().all("Origin");
        if (origins.size() != 1) {
            return false;
        }
        String origin = origins.get(0);
        if (!allowedOrigins.isEmpty()) {
            return allowedOrigins.contains(origin);
        }
        return sameOrigin(origin, request.header("Host").orElse(""));
    }

    /** Whether the origin's host and port are the {@code Host} the request was sent to. */
    private static boolean sameOrigin(String origin, String host) {
        try {
            URI uri = URI.create(origin);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                return false;
            }
            String authority = uri.getRawAuthority().toLowerCase(Locale.ROOT);
            String expected = host.toLowerCase(Locale.ROOT);
            int defaultPort = "https".equals(uri.getScheme()) ? 443 : 80;
            return authority.equals(expected) || authority.equals(expected + ":" + defaultPort)
                    || expected.equals(authority + ":" + defaultPort);
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "endpoint " + path;
    }

    /** Configures an {@link Endpoint}; every setting has a default. */
    public static final class Builder {
        private final String path;
        private UpgradeConfig upgrade = UpgradeConfig.defaults();
        private Set<String> allowedOrigins;
        private UpgradeHook hook = UpgradeHook.ACCEPT_ALL;
        private WebSocketConfig config;
        private DeflateConfig deflate;

        private Builder(String path) {
            this.path = path;
        }

        /** Subprotocol negotiation (default: none offered, none required). */
        public Builder upgrade(UpgradeConfig upgrade) {
            this.upgrade = Objects.requireNonNull(upgrade, "upgrade");
            return this;
        }

        /** Shorthand for {@code upgrade(UpgradeConfig.builder().subprotocols(List.of(preferenceOrder)).build())}. */
        public Builder subprotocols(String... preferenceOrder) {
            return upgrade(UpgradeConfig.builder().subprotocols(List.of(preferenceOrder)).build());
        }

        /**
         * Accepts only upgrades whose {@code Origin} is one of these (compared exactly, e.g.
         * {@code "https://example.com"}); others, and requests without {@code Origin}, get
         * 403. Browsers always send {@code Origin}; checking it stops other sites' pages from
         * opening connections with the user's cookies (cross-site WebSocket hijacking).
         * Default: any origin, and none required.
         */
        public Builder allowOrigins(String... origins) {
            this.allowedOrigins = Set.of(origins);
            if (allowedOrigins.isEmpty()) {
                throw new IllegalArgumentException("allowOrigins needs at least one origin; see allowSameOrigin()");
            }
            return this;
        }

        /**
         * Accepts only upgrades whose {@code Origin} has the host and port of the request's
         * {@code Host}: the page that opens the WebSocket was served by this server.
         */
        public Builder allowSameOrigin() {
            this.allowedOrigins = Set.of();
            return this;
        }

        /** Decides about each upgrade that passed the other checks (auth, attributes); see {@link UpgradeHook}. */
        public Builder hook(UpgradeHook hook) {
            this.hook = Objects.requireNonNull(hook, "hook");
            return this;
        }

        /**
         * Limits, timeouts, keep-alive and backpressure of this endpoint's connections (default:
         * the server's {@link WebSocketServer.Builder#config}). The opening handshake's limits
         * are the server's: they apply before the path is known.
         */
        public Builder config(WebSocketConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * permessage-deflate for this endpoint's connections (default: the server's
         * {@link WebSocketServer.Builder#deflate}); {@link DeflateConfig#disabled()} declines it.
         */
        public Builder deflate(DeflateConfig deflate) {
            this.deflate = Objects.requireNonNull(deflate, "deflate");
            return this;
        }

        /** @throws IllegalArgumentException for a malformed path */
        public Endpoint build() {
            return new Endpoint(this);
        }
    }
}
