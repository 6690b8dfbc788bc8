package dev.leanws.demo;

import dev.leanws.AttributeKey;
import dev.leanws.CloseStatus;
import dev.leanws.DeflateConfig;
import dev.leanws.UpgradeConfig;
import dev.leanws.WebSocket;
import dev.leanws.WebSocketConfig;
import dev.leanws.cluster.ClusterTopics;
import dev.leanws.cluster.RedisBroker;
import dev.leanws.demo.Flags.UsageException;
import dev.leanws.event.EventFilter;
import dev.leanws.event.EventManager;
import dev.leanws.server.HttpResponse;
import dev.leanws.server.TlsConfig;
import dev.leanws.server.UpgradeDecision;
import dev.leanws.server.UpgradeHook;
import dev.leanws.server.WebSocketServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code chat}: a multi-client chat on one port. {@code GET /} serves a self-contained page
 * (HTML, CSS and JS from the classpath resource {@code chat.html}) through the server's plain
 * HTTP handler; every other request on that port is a WebSocket upgrade with the subprotocol
 * {@code chat.v1}. {@link ChatRoom} holds the nicknames and the commands; this class wires the
 * server: the page, the subprotocol check in the upgrade hook, the rate and size limits.
 *
 * <p>Limits: each connection may send {@code --rate-limit} messages per 10 seconds (in bursts;
 * past it the connection is closed with 1008), lines of up to {@code --max-length} characters
 * (longer ones are refused with an error message), and frames of up to 4 bytes per character
 * plus 1 KiB (past that the library closes with 1009 before reading the frame). Binary
 * messages are closed with 1003.
 */
final class ChatServer implements AutoCloseable {

    static final String SUBPROTOCOL = "chat.v1";
    static final Set<String> OPTIONS = Main.with(DemoTls.SERVER_OPTIONS, "host", "port", "max-length", "rate-limit",
            "redis", "allow-origin", "broadcast-budget", "no-deflate");
    static final int DEFAULT_BROADCAST_BUDGET = 4 << 20;

    static final String USAGE = """
            usage: java -jar leanws-demo.jar chat [options]

            Multi-client chat. Open http://localhost:8080/ in two browser tabs, or connect any
            WebSocket client that offers the subprotocol chat.v1 and send /help.

              --max-length N   longest line a client may send, in characters (default 1000)
              --rate-limit N   messages a client may send per 10 seconds; past it the
                               connection is closed with 1008 (default 20)
              --redis URL      join every chat node that uses this Redis into one room
                               (redis://[[user]:password@]host[:port][/db], or rediss://);
                               nicknames and /who stay per node
              --allow-origin LIST
                               origins whose pages may connect, comma-separated, or * for any
                               (default: only the chat's own page; clients that send no
                               Origin, i.e. not browsers, are always let in)
              --broadcast-budget N
                               bytes of broadcast work (line size x people in the room) one
                               client may cause per 10 seconds; past it its lines are refused
                               (default 4194304)
              --no-deflate     decline permessage-deflate (accepted by default)
            """;

    private static final Duration RATE_WINDOW = Duration.ofSeconds(10);
    private static final AttributeKey<RateLimiter> LIMITER = AttributeKey.of("rate-limiter", RateLimiter.class);

    /**
     * What the command line sets.
     *
     * @param redis           the cluster's Redis URL, or null for one node on its own
     * @param allowedOrigins  origins allowed besides the page's own; {@code *} allows any
     * @param broadcastBudget bytes of broadcast work per client per 10 s
     * @param tls             the page over https:// and the chat over wss://, or null for plain TCP
     * @param deflate         permessage-deflate accepted when a client offers it ({@code --no-deflate}: false)
     */
    record Settings(String host, int port, int maxLength, int rateLimit, String redis, List<String> allowedOrigins,
            int broadcastBudget, TlsConfig tls, boolean deflate) {
        Settings {
            allowedOrigins = List.copyOf(allowedOrigins);
        }

        /** permessage-deflate accepted (the default). */
        Settings(String host, int port, int maxLength, int rateLimit, String redis, List<String> allowedOrigins,
                int broadcastBudget, TlsConfig tls) {
            this(host, port, maxLength, rateLimit, redis, allowedOrigins, broadcastBudget, tls, true);
        }

        /** One node on its own (no {@code --redis}), the page's own origin only, the default broadcast budget. */
        Settings(String host, int port, int maxLength, int rateLimit) {
            this(host, port, maxLength, rateLimit, (String) null);
        }

        /** The page's own origin only and the default broadcast budget. */
        Settings(String host, int port, int maxLength, int rateLimit, String redis) {
            this(host, port, maxLength, rateLimit, redis, List.of(), DEFAULT_BROADCAST_BUDGET, null);
        }

        /** One node on its own over TLS, the page's own origin only, the default broadcast budget. */
        Settings(String host, int port, int maxLength, int rateLimit, TlsConfig tls) {
            this(host, port, maxLength, rateLimit, null, List.of(), DEFAULT_BROADCAST_BUDGET, tls);
        }

        /** Without TLS. */
        Settings(String host, int port, int maxLength, int rateLimit, String redis, List<String> allowedOrigins,
                int broadcastBudget) {
            this(host, port, maxLength, rateLimit, redis, allowedOrigins, broadcastBudget, null);
        }
    }

    private final WebSocketServer server;
    private ClusterTopics cluster;

    private ChatServer(Settings settings, byte[] page) {
        WebSocketServer.Builder builder = WebSocketServer.builder()
                .host(settings.host())
                .port(settings.port())
                // the chat's versioned wire format must be agreed: no chat.v1, no connection (400)
                .upgrade(UpgradeConfig.builder().subprotocols(List.of(SUBPROTOCOL)).requireSubprotocol(true).build())
                .upgradeHook(originCheck(settings.allowedOrigins()))
                .deflate(settings.deflate() ? DeflateConfig.defaults() : DeflateConfig.disabled())
                .httpHandler(request -> request.path().equals("/")
                        ? HttpResponse.of(200, "text/html; charset=utf-8", page).withHeader("Cache-Control", "no-store")
                        : null)                                          // anything else: 404
                .config(WebSocketConfig.builder()
                        .maxFrameSize(4L * settings.maxLength() + 1024)
                        .maxMessageSize(4L * settings.maxLength() + 1024)
                        .build());
        if (settings.tls() != null) {
            builder.tls(settings.tls());   // the page over https://, the chat over wss://
        }
        server = builder.build();
        ChatRoom room = new ChatRoom(server.topics(), settings.redis() != null, settings.maxLength(),
                settings.broadcastBudget());
        EventManager events = server.events();

        events.subscribe(EventFilter.opens(), e -> {
            var limiter = new RateLimiter(settings.rateLimit(), RATE_WINDOW, System.nanoTime());
            e.connection().attributes().set(LIMITER, limiter);
            room.greet(e.connection());
        });
        events.subscribe(EventFilter.textMessages(), e -> {
            WebSocket ws = e.connection();
            if (ws.attributes().get(LIMITER).orElseThrow().tryAcquire(System.nanoTime())) {
                room.onText(ws, e.text());
            } else {
                ws.close(CloseStatus.POLICY_VIOLATION.withReason("too many messages"));
            }
        });
        events.subscribe(EventFilter.binaryMessages(),
                e -> e.connection().close(CloseStatus.UNSUPPORTED_DATA.withReason("text messages only")));
        events.subscribe(EventFilter.closes(), e -> room.leave(e.connection(), e.code(), e.reason()));
    }

    static Settings settings(Flags flags, String host, int port) throws UsageException {
        String redis = flags.string("redis", null);
        if (redis != null) {
            try {
                RedisBroker.create(redis);   // the URL's form is checked now, the server's answer at start
            } catch (IllegalArgumentException e) {
                throw new UsageException("--redis: " + e.getMessage());
            }
        }
        String origins = flags.string("allow-origin", "");
        return new Settings(host, port,
                flags.integer("max-length", 1000, 1, 1_000_000),
                flags.integer("rate-limit", 20, 1, 1_000_000), redis,
                origins.isBlank() ? List.of() : List.of(origins.strip().split("\\s*,\\s*")),
                flags.integer("broadcast-budget", DEFAULT_BROADCAST_BUDGET, 1024, Integer.MAX_VALUE),
                DemoTls.server(flags), !flags.has("no-deflate"));
    }

    /**
     * Cross-site WebSocket hijacking: a page on another site may open a WebSocket to the chat
     * with the visitor's browser (browsers do not apply the same-origin policy to WebSocket, but
     * always send {@code Origin}). So a request with an {@code Origin} must come from the chat's
     * own page, i.e. name the host the request was sent to ({@code Host}), unless
     * {@code --allow-origin} lists it (or is {@code *}). Requests without {@code Origin} come
     * from programs, not pages, and are let in.
     */
    static UpgradeHook originCheck(List<String> allowed) {
        return request -> {
            var origin = request.header("Origin");
            if (origin.isEmpty() || allowed.contains("*") || allowed.contains(origin.get())) {
                return UpgradeDecision.accept();
            }
            String host = request.header("Host").orElse("").toLowerCase(java.util.Locale.ROOT);
            String o = origin.get().toLowerCase(java.util.Locale.ROOT);
            if (!host.isEmpty() && (o.equals("http://" + host) || o.equals("https://" + host))) {
                return UpgradeDecision.accept();
            }
            return UpgradeDecision.reject(403, "origin " + origin.get() + " may not use this chat");
        };
    }

    /**
     * Starts the chat; with {@code --redis}, joins the cluster first, so that a Redis that
     * cannot be reached or refuses the password stops the program before it listens.
     */
    static ChatServer start(Settings settings) throws IOException {
        ChatServer chat = new ChatServer(settings, page());
        if (settings.redis() != null) {
            chat.cluster = ClusterTopics.attach(chat.server, RedisBroker.create(settings.redis()));
        }
        try {
            chat.server.start();
        } catch (IOException | RuntimeException e) {
            chat.close();
            throw e;
        }
        return chat;
    }

    WebSocketServer server() {
        return server;
    }

    /** The chat page, read once from the classpath. */
    static byte[] page() {
        try (InputStream in = ChatServer.class.getResourceAsStream("chat.html")) {
            if (in == null) {
                throw new IllegalStateException("chat.html is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops the server: 1001 to every client (their leave notices follow, to other nodes too),
     * up to 5 s for goodbyes; then leaves the cluster.
     */
    @Override
    public void close() {
        server.stop(Duration.ofSeconds(5));
        if (cluster != null) {
            cluster.close();
        }
    }
}
