package dev.leanws.demo;

import dev.leanws.AttributeKey;
import dev.leanws.CloseCause;
import dev.leanws.DeflateConfig;
import dev.leanws.PrometheusText;
import dev.leanws.WebSocket;
import dev.leanws.WebSocketConfig;
import dev.leanws.demo.Flags.UsageException;
import dev.leanws.event.BinaryEvent;
import dev.leanws.event.EventFilter;
import dev.leanws.event.EventManager;
import dev.leanws.event.TextEvent;
import dev.leanws.http.HttpRequest;
import dev.leanws.server.HttpResponse;
import dev.leanws.server.TlsConfig;
import dev.leanws.server.WebSocketServer;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code enhanced-echo}: the echo server with what a real service adds. It logs every open and
 * close with its code, keeps connections alive with pings and drops peers whose pong is late
 * (1006 "pong timeout"), and prints one stats line every few seconds: open connections and
 * messages per second in and out. It serves the server's metrics in the Prometheus text format
 * at {@code GET /metrics} on the same port, and logs their one-line summary with each stats line. Each connection is one virtual thread, so thousands of
 * connections cost little memory and no thread pool tuning.
 *
 * <p>Shows several subscriptions on one {@link EventManager}, filters combined with
 * {@code and}, an exhaustive {@code switch} over the message events, and per-connection state
 * in {@link WebSocket#attributes()}.
 */
final class EnhancedEchoServer implements AutoCloseable {

    static final Set<String> OPTIONS = Main.with(DemoTls.SERVER_OPTIONS, "host", "port", "stats-interval",
            "ping-interval", "pong-timeout", "max-connections", "no-deflate");

    static final String USAGE = """
            usage: java -jar leanws-demo.jar enhanced-echo [options]

            Echo server with events, keep-alive and statistics: logs each open and close with
            its code, pings quiet connections and drops those whose pong is late, and prints
            "stats: N connections, in X msg/s, out Y msg/s" every --stats-interval seconds,
            with the server's metrics summary in the log. GET /metrics on the same port
            answers the metrics in the Prometheus text format.

              --stats-interval S   seconds between stats lines (default 10)
              --ping-interval S    ping a connection after S seconds without input (default 30)
              --pong-timeout S     drop a connection whose pong is S seconds late (default 10)
              --max-connections N  connections served at once; more get 503 (default 10000)
              --no-deflate         decline permessage-deflate (accepted by default)
            """;

    private static final Logger LOG = LoggerFactory.getLogger(EnhancedEchoServer.class);
    private static final AttributeKey<Long> OPENED = AttributeKey.of("opened", Long.class);

    /** What the command line sets; durations may have fractions of a second. */
    record Settings(String host, int port, Duration statsInterval, Duration pingInterval, Duration pongTimeout,
            int maxConnections, TlsConfig tls, boolean deflate) {
        /** Plain {@code ws://}, permessage-deflate accepted (the default). */
        Settings(String host, int port, Duration statsInterval, Duration pingInterval, Duration pongTimeout,
                int maxConnections) {
            this(host, port, statsInterval, pingInterval, pongTimeout, maxConnections, null, true);
        }

        /** Plain {@code ws://}, permessage-deflate as {@code deflate} says. */
        Settings(String host, int port, Duration statsInterval, Duration pingInterval, Duration pongTimeout,
                int maxConnections, boolean deflate) {
            this(host, port, statsInterval, pingInterval, pongTimeout, maxConnections, null, deflate);
        }

        /** permessage-deflate accepted (the default). */
        Settings(String host, int port, Duration statsInterval, Duration pingInterval, Duration pongTimeout,
                int maxConnections, TlsConfig tls) {
            this(host, port, statsInterval, pingInterval, pongTimeout, maxConnections, tls, true);
        }
    }

    private final WebSocketServer server;
    private final LongAdder in = new LongAdder();
    private final LongAdder out = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("stats").daemon().factory());
    private long lastIn;
    private long lastOut;
    private long lastTick = System.nanoTime();

    private EnhancedEchoServer(Settings settings) {
        WebSocketServer.Builder builder = WebSocketServer.builder()
                .host(settings.host())
                .port(settings.port())
                .maxConnections(settings.maxConnections())
                .deflate(settings.deflate() ? DeflateConfig.defaults() : DeflateConfig.disabled())
                .httpHandler(this::serveHttp)
                .config(WebSocketConfig.builder()
                        .pingInterval(settings.pingInterval())
                        .pongTimeout(settings.pongTimeout())
                        .build());
        if (settings.tls() != null) {
            builder.tls(settings.tls());
        }
        this.server = builder.build();
        EventManager events = server.events();

        events.subscribe(EventFilter.opens(), e -> {
            WebSocket ws = e.connection();
            ws.attributes().set(OPENED, System.nanoTime());
            LOG.info("{} open from {}", ws.id(), ws.remoteAddress());
        });

        events.subscribe(EventFilter.messages(), e -> {
            in.increment();
            boolean queued = switch (e) {
                case TextEvent text -> text.connection().send(text.text());
                case BinaryEvent binary -> binary.connection().send(binary.data());
            };
            if (queued) {
                out.increment();
            }
        });

        events.subscribe(EventFilter.closes(), e -> LOG.info("{} closed after {}: {} {}", e.connection().id(),
                age(e.connection()), e.cause(), e.status()));
        events.subscribe(EventFilter.closes().and(e -> e.cause() == CloseCause.PONG_TIMEOUT), e -> dropped.increment());

        events.subscribe(EventFilter.errors(),
                e -> LOG.warn("{} error: {}", e.connection().id(), e.cause().toString()));
    }

    /** One line serves the metrics to Prometheus; any other plain request gets 404. */
    private HttpResponse serveHttp(HttpRequest request) {
        return request.path().equals("/metrics")
                ? HttpResponse.of(200, PrometheusText.CONTENT_TYPE, server.metrics().toPrometheusBytes())
                : null;
    }

    static Settings settings(Flags flags, String host, int port) throws UsageException {
        return new Settings(host, port,
                flags.seconds("stats-interval", Duration.ofSeconds(10)),
                flags.seconds("ping-interval", Duration.ofSeconds(30)),
                flags.seconds("pong-timeout", Duration.ofSeconds(10)),
                flags.integer("max-connections", 10_000, 1, 1_000_000), DemoTls.server(flags),
                !flags.has("no-deflate"));
    }

    /** Starts the server and the stats line; {@code console} receives the stats lines. */
    static EnhancedEchoServer start(Settings settings, PrintStream console) throws IOException {
        EnhancedEchoServer app = new EnhancedEchoServer(settings);
        app.server.start();
        long every = settings.statsInterval().toMillis();
        app.ticker.scheduleAtFixedRate(() -> {
            console.println(app.statsLine());
            LOG.info("metrics: {}", app.server.metrics().summary());
        }, every, every, TimeUnit.MILLISECONDS);
        return app;
    }

    WebSocketServer server() {
        return server;
    }

    /**
     * "stats: 3 connections, in 120.0 msg/s, out 120.0 msg/s (total in 1200, out 1200, 0 dropped
     * for a late pong)": the rates since the previous line. Called by the stats thread only.
     */
    private String statsLine() {
        long now = System.nanoTime();
        long totalIn = in.sum();
        long totalOut = out.sum();
        double seconds = Math.max(1e-9, (now - lastTick) / 1e9);
        String line = String.format(Locale.ROOT,
                "stats: %d connections, in %.1f msg/s, out %.1f msg/s (total in %d, out %d, %d dropped for a late pong)",
                server.connections().size(), (totalIn - lastIn) / seconds, (totalOut - lastOut) / seconds,
                totalIn, totalOut, dropped.sum());
        lastIn = totalIn;
        lastOut = totalOut;
        lastTick = now;
        return line;
    }

    private static String age(WebSocket ws) {
        long nanos = ws.attributes().get(OPENED).map(start -> System.nanoTime() - start).orElse(0L);
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /** Stops the stats line, then the server (1001 to every client, up to 5 s for their goodbyes). */
    @Override
    public void close() {
        ticker.shutdownNow();
        server.stop(Duration.ofSeconds(5));
    }
}
