package dev.leanws.client;

import dev.leanws.Attributes;
import dev.leanws.CloseStatus;
import dev.leanws.ConnectionState;
import dev.leanws.HandshakeException;
import dev.leanws.WebSocketMetrics;
import dev.leanws.WebSocketException;
import dev.leanws.client.OpeningHandshake.Established;
import dev.leanws.codec.ByteBudget;
import dev.leanws.codec.MaskKeySource;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.ErrorEvent;
import dev.leanws.event.EventManager;
import dev.leanws.event.Subscription;
import dev.leanws.http.HttpHeaders;
import dev.leanws.http.HttpRequest;
import dev.leanws.http.internal.ImmutableHttpRequest;
import dev.leanws.runtime.ConnectionSetup;
import dev.leanws.runtime.MetricsRecorder;
import dev.leanws.runtime.WebSocketConnection;
import dev.leanws.handshake.PerMessageDeflate;
import dev.leanws.session.Compression;
import dev.leanws.session.Role;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client handle, and the client's one virtual thread: it runs the current
 * {@link WebSocketConnection} (read loop, events, close handshake) and, when that connection is
 * lost and the {@link ReconnectPolicy} allows, waits and dials again. Reconnection therefore
 * never happens inside an event handler, and at most one connection exists at a time. Each
 * connection dispatches its events straight to the application's {@link EventManager}, naming
 * this handle as their connection: one dispatch per event.
 *
 * <p>{@link #stopReconnecting()} (any close or abort by the application) is the only way to end
 * reconnection; it wakes a waiting backoff ({@link StopSignal}) and cancels a dial under way.
 */
final class SupervisedClient implements WebSocketClient {

    private static final Logger LOG = LoggerFactory.getLogger(SupervisedClient.class);
    /** Added to the close timeout when {@link #close()} waits: watchdog tick, linger, close handlers. */
    private static final Duration CLOSE_SLACK = Duration.ofSeconds(1);

    /** A bound connection and the bytes that arrived behind its handshake. */
    private record Bound(WebSocketConnection connection, ByteBuffer leftover) {
    }

    private final String id = ConnectionSetup.nextId("c");
    private final Dialer dialer;
    private final ClientConfig config;
    private final EventManager events;
    private final RandomGenerator random;
    private final Attributes attributes = new Attributes();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final CountDownLatch firstOpen = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final StopSignal stop = new StopSignal();
    private final MetricsRecorder metrics = new MetricsRecorder();

    private volatile boolean terminated;
    private volatile WebSocketConnection current;
    private volatile Established agreed;
    private volatile Thread thread;
    private int generation;

    private SupervisedClient(Dialer dialer, ClientConfig config, RandomGenerator random) {
        this.dialer = dialer;
        this.config = config;
        this.events = config.events().orElseGet(EventManager::new);
        this.random = random;
    }

    /** Dials the first connection (its failure is thrown, never retried), then starts the client. */
    static SupervisedClient connect(Dialer dialer, ClientConfig config, RandomGenerator random) throws IOException {
        Established first = dialer.dial();
        SupervisedClient client = new SupervisedClient(dialer, config, random);
        client.start(first);
        return client;
    }

    /**
     * Registers the config's subscribers, binds the first connection, starts the client's
     * thread, and returns once the first open event has been dispatched.
     */
    private void start(Established first) {
        config.subscribers().forEach(s -> subscriptions.add(s.subscribe(events, this)));
        metrics.handshake(101);
        Bound bound = bind(first);
        Thread t = Thread.ofVirtual().name("leanws-client-" + id).unstarted(() -> supervise(bound));
        thread = t;
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                firstOpen.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Wraps an established transport in a runtime connection; null if the client was stopped meanwhile. */
    private Bound bind(Established established) {
        HttpRequest request = new ImmutableHttpRequest(established.request(), established.transport().remoteAddress(),
                established.transport().localAddress(), new byte[0]);
        ConnectionSetup setup = new ConnectionSetup(id + "/" + (++generation), Role.CLIENT, config.config(),
                events::dispatch, this, request, established.accepted().subprotocol(),
                established.accepted().extensions(), attributes, MaskKeySource.secure(), dialer.watchdog(),
                ByteBudget.UNLIMITED, metrics, PerMessageDeflate.agreed(established.accepted().extensions())
                        .map(params -> new Compression(params, config.deflate())).orElse(null));
        WebSocketConnection connection = new WebSocketConnection(established.transport(), setup);
        boolean bound = stop.unlessStopped(() -> {
            current = connection;
            agreed = established;
        });
        if (!bound) {
            established.transport().close();
            return null;
        }
        return new Bound(connection, established.leftover());
    }

    /** The client's thread: run each connection to its end, reconnecting while allowed. */
    private void supervise(Bound first) {
        try {
            Bound bound = first;
            while (bound != null) {
                CloseEvent end = bound.connection().run(bound.leftover(), firstOpen::countDown);
                bound = stop.isStopped() || !config.reconnect().isEnabled() ? null : reconnect(lossCause(end));
            }
        } finally {
            terminated = true;
            subscriptions.forEach(Subscription::close);
            firstOpen.countDown();
            finished.countDown();
            LOG.debug("{} finished", id);
        }
    }

    private static Throwable lossCause(CloseEvent end) {
        return new WebSocketException("connection ended: " + end.cause() + " " + end.status()
                + (end.remote() ? " (the server's side)" : " (our side)"));
    }

    /** Dials with backoff until a connection is bound, the attempts run out, or the client is stopped. */
    private Bound reconnect(Throwable cause) {
        ReconnectPolicy policy = config.reconnect();
        Throwable last = cause;
        for (int attempt = 1; attempt > 0 && attempt <= policy.maxAttempts(); attempt++) {   // > 0: no overflow
            Duration delay = policy.delay(attempt, random);
            if (stop.isStopped()) {
                return null;
            }
            notifyReconnect(new ReconnectEvent(this, attempt, delay, Optional.of(last)));
            if (!stop.sleep(delay)) {
                return null;
            }
            try {
                Established established = dialer.dial();
                metrics.handshake(101);
                Bound bound = bind(established);
                if (bound != null) {
                    LOG.info("{} reconnected to {} (attempt {})", id, dialer.uri(), attempt);
                }
                return bound;
            } catch (IOException | RuntimeException e) {
                if (e instanceof HandshakeException refused) {
                    metrics.handshake(refused.status());
                }
                if (stop.isStopped()) {
                    return null;
                }
                LOG.debug("{} reconnect attempt {} to {} failed: {}", id, attempt, dialer.uri(), e.toString());
                last = e;
            }
        }
        LOG.warn("{} gave up reconnecting to {} after {} attempts: {}", id, dialer.uri(), policy.maxAttempts(),
                last.toString());
        events.dispatch(new ErrorEvent(this, new WebSocketException(
                "gave up reconnecting after " + policy.maxAttempts() + " attempts: " + last.getMessage(), last)));
        return null;
    }

    private void notifyReconnect(ReconnectEvent event) {
        try {
            config.reconnectListener().accept(event);
        } catch (RuntimeException | AssertionError e) {
            LOG.warn("{} reconnect listener failed", id, e);
        }
    }

    /** Ends reconnection for good; returns the connection to close (the current or last one). */
    private WebSocketConnection stopReconnecting() {
        stop.stop();
        dialer.cancel();
        return current;
    }

    // ------------------------------------------------------------------ WebSocketClient

    @Override
    public void close(CloseStatus status) {
        status.requireSendable();   // refuse before ending reconnection
        stopReconnecting().close(status);
    }

    @Override
    public void close() {
        close(CloseStatus.NORMAL);
        if (Thread.currentThread() == thread) {
            return;   // a handler of this client: the connection cannot end while we wait here
        }
        try {
            if (!awaitClosed(config.config().closeTimeout().plus(CLOSE_SLACK))) {
                LOG.debug("{} not closed within the close timeout; dropping it", id);
                current.abort();
                if (!awaitClosed(CLOSE_SLACK)) {
                    LOG.warn("{} still not finished: a close handler is blocking its thread", id);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void abort() {
        stopReconnecting().abort();
    }

    @Override
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public WebSocketMetrics metrics() {
        return metrics.snapshot();
    }

    @Override
    public EventManager events() {
        return events;
    }

    @Override
    public HttpHeaders responseHeaders() {
        return agreed.accepted().responseHeaders();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return current.remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return current.localAddress();
    }

    @Override
    public HttpRequest request() {
        return current.request();
    }

    @Override
    public Optional<String> subprotocol() {
        return current.subprotocol();
    }

    @Override
    public List<String> extensions() {
        return current.extensions();
    }

    @Override
    public Attributes attributes() {
        return attributes;
    }

    @Override
    public ConnectionState state() {
        if (terminated) {
            return ConnectionState.CLOSED;
        }
        ConnectionState state = current.state();
        if (state != ConnectionState.CLOSED) {
            return state;
        }
        return stop.isStopped() || !config.reconnect().isEnabled() ? ConnectionState.CLOSED : ConnectionState.CONNECTING;
    }

    @Override
    public long bufferedAmount() {
        return current.bufferedAmount();
    }

    @Override
    public boolean send(String text) {
        return current.send(text);
    }

    @Override
    public boolean send(ByteBuffer data) {
        return current.send(data);
    }

    @Override
    public CompletableFuture<Void> sendAsync(String text) {
        return current.sendAsync(text);
    }

    @Override
    public CompletableFuture<Void> sendAsync(ByteBuffer data) {
        return current.sendAsync(data);
    }

    @Override
    public boolean ping(ByteBuffer payload) {
        return current.ping(payload);
    }

    @Override
    public String toString() {
        return "WebSocketClient[" + id + ", " + dialer.uri() + ", " + state() + "]";
    }
}
