package dev.leanws.micrometer;

import dev.leanws.CloseCause;
import dev.leanws.WebSocketMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Binds a leanws server's (or client's) metrics to a Micrometer {@link MeterRegistry}, with
 * Micrometer's naming conventions: dot-separated lowercase names, base units, tags. The meters
 * read the server's counters when the registry reads them (a scrape, a publish): no thread of
 * its own, nothing counted twice.
 *
 * <pre>{@code
 * WebSocketServer server = WebSocketServer.builder().port(9001).build().start();
 * new WebSocketMeterBinder(server::metrics, Tags.of("server", "chat")).bindTo(registry);
 * }</pre>
 *
 * <table>
 *   <caption>Meters (with a Prometheus registry: dots become underscores, counters get {@code _total})</caption>
 *   <tr><th>name</th><th>type</th><th>unit</th><th>tags</th></tr>
 *   <tr><td>websocket.connections.open</td><td>gauge</td><td>connections</td><td></td></tr>
 *   <tr><td>websocket.connections</td><td>function counter</td><td>connections</td><td></td></tr>
 *   <tr><td>websocket.handshakes</td><td>function counter</td><td></td><td>outcome (accepted, refused), status</td></tr>
 *   <tr><td>websocket.messages.received, websocket.messages.sent</td><td>function counter</td><td>messages</td><td>type (text, binary)</td></tr>
 *   <tr><td>websocket.data.received, websocket.data.sent</td><td>function counter</td><td>bytes</td><td></td></tr>
 *   <tr><td>websocket.closes</td><td>function counter</td><td></td><td>cause (peer_close, pong_timeout, slow_consumer...)</td></tr>
 *   <tr><td>websocket.close.codes</td><td>function counter</td><td></td><td>code</td></tr>
 *   <tr><td>websocket.outbound.queued, websocket.outbound.queued.max</td><td>gauge</td><td>bytes</td><td></td></tr>
 *   <tr><td>websocket.memory.used, websocket.memory.limit</td><td>gauge</td><td>bytes</td><td>(NaN without a budget)</td></tr>
 *   <tr><td>websocket.publishes, websocket.publish.deliveries</td><td>function counter</td><td></td><td></td></tr>
 * </table>
 *
 * <p>All meters of one read share one snapshot: the binder takes a new one when the last is
 * older than {@code maxAge} (default one second), so a scrape walks the connections once.
 * Statuses and close codes become tags when first seen: a code that first appears between two
 * reads is registered at the next read and shows from the read after.
 */
public final class WebSocketMeterBinder implements MeterBinder {

    /** How old a snapshot may be before a read takes a new one, by default. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(1);

    private static final List<Integer> COMMON_STATUSES = List.of(400, 403, 404, 426, 503);
    private static final List<Integer> COMMON_CODES = List.of(1000, 1001, 1002, 1006, 1008, 1009, 1011);

    private record Taken(WebSocketMetrics metrics, long atNanos) {
    }

    private final Supplier<WebSocketMetrics> source;
    private final Tags tags;
    private final long maxAgeNanos;
    private final Set<Integer> boundStatuses = ConcurrentHashMap.newKeySet();
    private final Set<Integer> boundCodes = ConcurrentHashMap.newKeySet();
    private volatile Taken last;
    private volatile MeterRegistry registry;

    /** Binds {@code source} (e.g. {@code server::metrics}) with {@link #DEFAULT_MAX_AGE}. */
    public WebSocketMeterBinder(Supplier<WebSocketMetrics> source, Iterable<Tag> tags) {
        this(source, tags, DEFAULT_MAX_AGE);
    }

    /**
     * @param source where snapshots come from, e.g. {@code server::metrics} or {@code client::metrics}
     * @param tags   added to every meter, e.g. {@code Tags.of("server", "chat")}
     * @param maxAge how long a snapshot serves reads; {@link Duration#ZERO} takes one per read
     */
    public WebSocketMeterBinder(Supplier<WebSocketMetrics> source, Iterable<Tag> tags, Duration maxAge) {
        this.source = Objects.requireNonNull(source, "source");
        this.tags = Tags.of(tags);
        this.maxAgeNanos = maxAge.toNanos();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        gauge(registry, "websocket.connections.open", "WebSocket connections open now", "connections", Tags.empty(),
                m -> m.connectionsOpen());
        counter(registry, "websocket.connections", "WebSocket connections opened", "connections", Tags.empty(),
                m -> m.connectionsOpened());
        counter(registry, "websocket.handshakes", "Opening handshakes answered", null,
                Tags.of("outcome", "accepted", "status", "101"), m -> m.handshakesAccepted());
        for (String type : List.of("text", "binary")) {
            boolean text = type.equals("text");
            counter(registry, "websocket.messages.received", "WebSocket messages received", "messages", Tags.of("type", type),
                    m -> text ? m.received().textMessages() : m.received().binaryMessages());
            counter(registry, "websocket.messages.sent", "WebSocket messages sent", "messages", Tags.of("type", type),
                    m -> text ? m.sent().textMessages() : m.sent().binaryMessages());
        }
        counter(registry, "websocket.data.received", "Bytes received on WebSocket streams", BaseUnits.BYTES, Tags.empty(),
                m -> m.received().bytes());
        counter(registry, "websocket.data.sent", "Bytes sent on WebSocket streams", BaseUnits.BYTES, Tags.empty(),
                m -> m.sent().bytes());
        for (CloseCause cause : CloseCause.values()) {
            counter(registry, "websocket.closes", "Closed WebSocket connections by cause", null,
                    Tags.of("cause", cause.name().toLowerCase(Locale.ROOT)), m -> m.closes(cause));
        }
        gauge(registry, "websocket.outbound.queued", "Bytes queued outbound, all open connections", BaseUnits.BYTES,
                Tags.empty(), m -> m.outboundQueuedBytes());
        gauge(registry, "websocket.outbound.queued.max", "Most bytes queued outbound on one connection", BaseUnits.BYTES,
                Tags.empty(), m -> m.outboundQueuedMaxBytes());
        gauge(registry, "websocket.memory.used", "Bytes held against the memory budget", BaseUnits.BYTES, Tags.empty(),
                m -> m.memoryLimitBytes() < 0 ? Double.NaN : m.memoryUsedBytes());
        gauge(registry, "websocket.memory.limit", "Size of the memory budget", BaseUnits.BYTES, Tags.empty(),
                m -> m.memoryLimitBytes() < 0 ? Double.NaN : m.memoryLimitBytes());
        counter(registry, "websocket.publishes", "Broadcasts and topic publishes", null, Tags.empty(), m -> m.publishes());
        counter(registry, "websocket.publish.deliveries", "Connections that queued a broadcast or publish", null,
                Tags.empty(), m -> m.publishDeliveries());
        COMMON_STATUSES.forEach(this::bindStatus);
        COMMON_CODES.forEach(this::bindCode);
        bindNewKeys(current());
    }

    /** The latest snapshot, or a new one if it is older than the maximum age. */
    private WebSocketMetrics current() {
        Taken t = last;
        long now = System.nanoTime();
        if (t == null || now - t.atNanos() >= maxAgeNanos) {
            t = new Taken(source.get(), now);
            last = t;
            bindNewKeys(t.metrics());
        }
        return t.metrics();
    }

    private void bindNewKeys(WebSocketMetrics m) {
        m.handshakesRefused().keySet().forEach(this::bindStatus);
        m.closesByCode().keySet().forEach(this::bindCode);
    }

    private void bindStatus(int status) {
        if (registry != null && boundStatuses.add(status)) {
            counter(registry, "websocket.handshakes", "Opening handshakes answered", null,
                    Tags.of("outcome", "refused", "status", Integer.toString(status)),
                    m -> m.handshakesRefused().getOrDefault(status, 0L));
        }
    }

    private void bindCode(int code) {
        if (registry != null && boundCodes.add(code)) {
            counter(registry, "websocket.close.codes", "Closed WebSocket connections by close code", null,
                    Tags.of("code", Integer.toString(code)), m -> m.closesByCode().getOrDefault(code, 0L));
        }
    }

    // Micrometer holds the measured object weakly; the functions below capture this binder, and
    // the registry holds them strongly, so the binder lives as long as its meters.

    private void counter(MeterRegistry registry, String name, String description, String unit, Tags extra,
            ToDoubleFunction<WebSocketMetrics> read) {
        FunctionCounter.builder(name, this, b -> read.applyAsDouble(current()))
                .description(description).baseUnit(unit).tags(tags.and(extra)).register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, String unit, Tags extra,
            ToDoubleFunction<WebSocketMetrics> read) {
        Gauge.builder(name, this, b -> read.applyAsDouble(current()))
                .description(description).baseUnit(unit).tags(tags.and(extra)).strongReference(true).register(registry);
    }
}
