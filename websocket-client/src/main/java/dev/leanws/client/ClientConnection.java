package dev.leanws.client;

import dev.leanws.CloseStatus;
import dev.leanws.ConnectionState;
import dev.leanws.WebSocketException;
import dev.leanws.client.OpeningHandshake.Established;
import dev.leanws.codec.MaskKeySource;
import dev.leanws.event.ErrorEvent;
import dev.leanws.event.EventFilter;
import dev.leanws.event.EventManager;
import dev.leanws.event.ReconnectEvent;
import dev.leanws.event.Subscription;
import dev.leanws.handshake.HandshakeResult.Accepted;
import dev.leanws.runtime.ConnectionSetup;
import dev.leanws.runtime.WebSocketConnection;
import dev.leanws.session.Role;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client handle, and the client's one virtual thread: it runs the current
 * {@link WebSocketConnection} (read loop, events, close handshake) and, when that connection is
 * lost and the {@link ReconnectPolicy} allows, waits and dials again. Reconnection therefore
 * never happens inside an event handler, and at most one connection exists at a time.
 *
 * <p>{@link #stopReconnecting()} (any close or abort by the application) is the only way to end
 * reconnection; it wakes a waiting backoff ({@link StopSignal}) and cancels a dial under way.
 */
final class ClientConnection implements ClientWebSocket {

    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
    /** Added to the close timeout when {@link #close()} waits: watchdog tick, linger, close handlers. */
    private static final Duration CLOSE_SLACK = Duration.ofSeconds(1);

    /** A bound connection with its relay and the bytes that arrived behind its handshake. */
    private record Session(WebSocketConnection connection, EventRelay relay, ByteBuffer leftover) {
    }

    private final String id = ConnectionSetup.nextId("c");
    private final Dialer dialer;
    private final ClientOptions options;
    private final EventManager events;
    private final RandomGenerator random;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final CountDownLatch firstOpen = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final StopSignal stop = new StopSignal();

    private volatile boolean terminated;
    private volatile WebSocketConnection current;
    private volatile Accepted agreed;
    private volatile Thread thread;
    private int generation;

    ClientConnection(Dialer dialer, ClientOptions options, RandomGenerator random) {
        this.dialer = dialer;
        this.options = options;
        this.events = options.events().orElseGet(EventManager::new);
        this.random = random;
    }

    /**
     * Registers the options' subscribers, binds the first connection, starts the client's
     * thread, and returns once the first open event has been dispatched.
     */
    void start(Established first) {
        options.subscribers().forEach(s -> subscriptions.add(s.subscribe(events, this)));
        Session session = bind(first);
        Thread t = Thread.ofVirtual().name("leanws-client-" + id).unstarted(() -> supervise(session));
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
    private Session bind(Established established) {
        EventManager perConnection = new EventManager();
        ConnectionSetup setup = new ConnectionSetup(id + "/" + (++generation), Role.CLIENT, options.config(),
                perConnection, established.accepted().subprotocol(), established.accepted().extensions(), Map.of(),
                MaskKeySource.secure());
        WebSocketConnection connection = new WebSocketConnection(established.transport(), setup, c -> { });
        EventRelay relay = new EventRelay(this, events, firstOpen::countDown);
        perConnection.subscribe(EventFilter.all(), relay);
        boolean bound = stop.unlessStopped(() -> {
            current = connection;
            agreed = established.accepted();
        });
        if (!bound) {
            established.transport().close();
            return null;
        }
        return new Session(connection, relay, established.leftover());
    }

    /** The client's thread: run each connection to its end, reconnecting while allowed. */
    private void supervise(Session first) {
        try {
            Session session = first;
            while (session != null) {
                session.connection().run(session.leftover());
                session = stop.isStopped() || !options.reconnect().isEnabled() ? null
                        : reconnect(session.relay().lossCause());
            }
        } finally {
            terminated = true;
            subscriptions.forEach(Subscription::close);
            firstOpen.countDown();
            finished.countDown();
            LOG.debug("{} finished", id);
        }
    }

    /** Dials with backoff until a connection is bound, the attempts run out, or the client is stopped. */
    private Session reconnect(Throwable cause) {
        ReconnectPolicy policy = options.reconnect();
        Throwable last = cause;
        for (int attempt = 1; attempt > 0 && attempt <= policy.maxAttempts(); attempt++) {   // > 0: no overflow
            Duration delay = policy.delay(attempt, random);
            if (stop.isStopped()) {
                return null;
            }
            events.dispatch(new ReconnectEvent(this, attempt, delay, Optional.of(last)));
            if (!stop.sleep(delay)) {
                return null;
            }
            try {
                Session session = bind(dialer.dial());
                if (session != null) {
                    LOG.info("{} reconnected to {} (attempt {})", id, dialer.uri(), attempt);
                }
                return session;
            } catch (IOException | RuntimeException e) {
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

    /** Ends reconnection for good; returns the connection to close (the current or last one). */
    private WebSocketConnection stopReconnecting() {
        stop.stop();
        dialer.cancel();
        return current;
    }

    // ------------------------------------------------------------------ ClientWebSocket

    @Override
    public void close(int code, String reason) {
        CloseStatus.sendable(code, reason);   // refuse before ending reconnection
        stopReconnecting().close(code, reason);
    }

    @Override
    public void close() {
        close(CloseStatus.NORMAL.code(), "");
        if (Thread.currentThread() == thread) {
            return;   // a handler of this client: the connection cannot end while we wait here
        }
        try {
            if (!awaitClosed(options.config().closeTimeout().plus(CLOSE_SLACK))) {
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
    public EventManager events() {
        return events;
    }

    @Override
    public Map<String, List<String>> handshakeHeaders() {
        return agreed.responseHeaders().toMap();
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
    public Optional<String> subprotocol() {
        return current.subprotocol();
    }

    @Override
    public List<String> extensions() {
        return current.extensions();
    }

    @Override
    public Map<String, Object> attributes() {
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
        return stop.isStopped() || !options.reconnect().isEnabled() ? ConnectionState.CLOSED : ConnectionState.CONNECTING;
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
    public boolean ping(ByteBuffer payload) {
        return current.ping(payload);
    }

    @Override
    public String toString() {
        return "ClientWebSocket[" + id + ", " + dialer.uri() + ", " + state() + "]";
    }
}
