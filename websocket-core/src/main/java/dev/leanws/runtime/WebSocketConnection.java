package dev.leanws.runtime;

import dev.leanws.CloseStatus;
import dev.leanws.ConnectionState;
import dev.leanws.WebSocket;
import dev.leanws.WebSocketConfig;
import dev.leanws.event.BinaryEvent;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.ErrorEvent;
import dev.leanws.event.EventManager;
import dev.leanws.event.OpenEvent;
import dev.leanws.event.PongEvent;
import dev.leanws.event.TextEvent;
import dev.leanws.codec.ProtocolException;
import dev.leanws.session.ProtocolSession;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open WebSocket connection, server or client side: the read loop that runs on the
 * connection's own virtual thread, the {@link ProtocolSession} it feeds, the {@link Outbound}
 * queue it writes through, and the deadlines the {@link Watchdog} enforces.
 *
 * <p>The server and the client create it after their opening handshake and call {@link #run}
 * on a new virtual thread; {@code run} returns once the connection is closed and its
 * {@link CloseEvent} was dispatched.
 *
 * <p>Closing (RFC 6455 §7): once both Close frames were exchanged, or a violation was answered
 * with a Close frame, the Close frame is flushed; a server then sends FIN at once
 * ({@code shutdownOutput}) and a client waits for the server's; either way the connection reads
 * and discards until the peer's FIN or the close deadline, then closes the socket. Waiting for
 * the peer's FIN, rather than closing with unread input, keeps the kernel from answering with a
 * reset that could destroy our Close frame before the peer reads it.
 */
public final class WebSocketConnection implements WebSocket {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketConnection.class);

    private final Transport transport;
    private final ConnectionSetup setup;
    private final WebSocketConfig config;
    private final EventManager events;
    private final ProtocolSession session;
    private final Outbound outbound;
    private final Map<String, Object> attributes;
    private final Consumer<WebSocketConnection> onFinished;
    private final Watchdog watchdog = Watchdog.shared();

    private final CloseOutcome outcome = new CloseOutcome();
    private final ConnectionDeadlines deadlines;
    private volatile boolean opened;
    private volatile boolean closing;
    private volatile boolean closed;

    /**
     * @param transport  the connected transport, after the opening handshake
     * @param setup      what the handshake agreed
     * @param onFinished called once, on the connection's thread, after the close event
     */
    public WebSocketConnection(Transport transport, ConnectionSetup setup, Consumer<WebSocketConnection> onFinished) {
        this.transport = transport;
        this.setup = setup;
        this.config = setup.config();
        this.events = setup.events();
        this.onFinished = onFinished;
        this.attributes = new ConcurrentHashMap<>(setup.attributes());
        this.outbound = new Outbound(transport, config, new OutboundOwner(), setup.id());
        this.deadlines = new ConnectionDeadlines(config, new DeadlineActions());
        this.session = new ProtocolSession(setup.role(), config, setup.maskKeys(), outbound, new SessionEvents());
    }

    // ------------------------------------------------------------------ read loop

    /**
     * Runs the connection on the calling (virtual) thread until it is closed: dispatches the
     * open event, processes {@code leftover} (bytes that arrived behind the handshake), then
     * reads, decodes and dispatches until the close handshake completes or the connection fails.
     */
    public void run(ByteBuffer leftover) {
        outbound.setReaderThread(Thread.currentThread());
        long now = System.nanoTime();
        deadlines.start(now);
        opened = true;
        watchdog.register(deadlines);
        LOG.debug("{} open from {} (subprotocol {})", id(), remoteAddress(), subprotocol().orElse("none"));
        boolean eof = false;
        Throwable error = null;
        try {
            events.dispatch(new OpenEvent(this));
            outbound.flushFromReader();
            if (leftover != null && leftover.hasRemaining()) {
                process(leftover);
            }
            ReadBuffer reads = new ReadBuffer();
            while (!session.isDone()) {
                ByteBuffer buffer = reads.buffer();
                int n = transport.read(buffer);
                if (n < 0) {
                    eof = true;
                    break;
                }
                deadlines.onRead(System.nanoTime());
                process(buffer.flip());
                reads.afterRead(n);
            }
            if (!eof) {
                eof = lingerUntilPeerCloses(reads.buffer());
            }
        } catch (IOException e) {
            if (!outcome.aborted()) {
                error = e;     // a network failure, not the consequence of our own abort
            }
        } catch (RuntimeException e) {
            LOG.warn("{} internal error", id(), e);
            error = e;
            session.close(CloseStatus.INTERNAL_ERROR);
            outbound.flushFromReader();
        } finally {
            finish(eof, error);
        }
    }

    private void process(ByteBuffer input) {
        session.receive(input);
        deadlines.afterRead(System.nanoTime(), !session.isAtFrameBoundary(), session.framesBegun());
        outbound.flushFromReader();
    }

    /**
     * The close handshake is complete or the connection failed: get our Close frame out, then
     * end TCP the way RFC 6455 §7.1.1 asks, without a reset. A server (and either side after a
     * violation) sends FIN at once; a client, whose peer closes first, does not. Both then read
     * and discard until the peer's FIN, bounded by the close deadline: closing a socket with
     * unread input (a peer may send more after its Close) makes the kernel answer with a reset,
     * which can destroy our Close frame before the peer has read it.
     *
     * @return whether the peer's end of stream was read
     */
    private boolean lingerUntilPeerCloses(ByteBuffer buffer) throws IOException {
        outbound.flushFromReader();
        try {
            outbound.awaitDrained(config.closeTimeout().toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (setup.role().closesTcpFirst() || session.failure() != null) {
            transport.shutdownOutput();
        }
        buffer.clear();
        while (transport.read(buffer) >= 0) {
            buffer.clear();
        }
        return true;
    }

    private void finish(boolean eof, Throwable error) {
        watchdog.unregister(deadlines);
        outbound.terminate();
        transport.close();
        CloseEvent event = outcome.event(this, session.failure(), eof, error);
        closed = true;
        if (error != null) {
            LOG.debug("{} failed", id(), error);
            events.dispatch(new ErrorEvent(this, error));
        }
        LOG.debug("{} closed: {} {} ({})", id(), event.code(), event.reason(), event.remote() ? "remote" : "local");
        events.dispatch(event);
        onFinished.accept(this);
    }

    /** Session callbacks: turn protocol events into application events (reader thread). */
    private final class SessionEvents implements ProtocolSession.Listener {
        @Override
        public void onText(String text) {
            deadlines.onMessage(System.nanoTime());
            events.dispatch(new TextEvent(WebSocketConnection.this, text));
        }

        @Override
        public void onBinary(ByteBuffer data) {
            deadlines.onMessage(System.nanoTime());
            events.dispatch(new BinaryEvent(WebSocketConnection.this, data.asReadOnlyBuffer()));
        }

        @Override
        public void onPing(ByteBuffer payload) {
            // answered by the session already
        }

        @Override
        public void onPong(ByteBuffer payload) {
            deadlines.onPong();
            events.dispatch(new PongEvent(WebSocketConnection.this, payload.asReadOnlyBuffer()));
        }

        @Override
        public void onCloseReceived(CloseStatus status, boolean weClosedFirst) {
            closing = true;
            outcome.peerClosed(status, weClosedFirst);
        }

        @Override
        public void onViolation(ProtocolException violation) {
            LOG.debug("{} protocol violation {}: {}", id(), violation.violation().id(), violation.getMessage());
            events.dispatch(new ErrorEvent(WebSocketConnection.this, violation));
        }
    }

    /** Outbound callbacks. */
    private final class OutboundOwner implements Outbound.Owner {
        @Override
        public void onCloseQueued() {
            closing = true;
            deadlines.onCloseQueued(System.nanoTime());
        }

        @Override
        public void onWriteFailed(IOException e) {
            abort("write failed: " + e.getMessage());
        }

        @Override
        public void onSlowConsumer(String why) {
            LOG.debug("{} slow consumer: {}", id(), why);
            close(CloseStatus.POLICY_VIOLATION.code(), "slow consumer");
        }
    }

    /** What the watchdog may do to this connection when a deadline passes. */
    private final class DeadlineActions implements ConnectionDeadlines.Actions {
        @Override
        public void ping(ByteBuffer payload) {
            session.ping(payload);
        }

        @Override
        public void close(int code, String reason) {
            WebSocketConnection.this.close(code, reason);
        }

        @Override
        public void abort(String reason) {
            WebSocketConnection.this.abort(reason);
        }

        @Override
        public long writeStalledSinceNanos() {
            return outbound.writeStalledSinceNanos();
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public boolean isClosing() {
            return closing;
        }
    }

    /** Drops the connection without a closing handshake; the close event reports 1006 and {@code reason}. */
    void abort(String reason) {
        if (outcome.abort(reason)) {
            LOG.debug("{} aborting: {}", id(), reason);
        }
        transport.close();
    }

    // ------------------------------------------------------------------ WebSocket

    @Override
    public String id() {
        return setup.id();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return transport.remoteAddress();
    }

    @Override
    public Optional<String> subprotocol() {
        return setup.subprotocol();
    }

    @Override
    public List<String> extensions() {
        return setup.extensions();
    }

    @Override
    public Map<String, Object> attributes() {
        return attributes;
    }

    @Override
    public ConnectionState state() {
        if (closed) {
            return ConnectionState.CLOSED;
        }
        if (!opened) {
            return ConnectionState.CONNECTING;
        }
        return closing ? ConnectionState.CLOSING : ConnectionState.OPEN;
    }

    @Override
    public long bufferedAmount() {
        return outbound.bufferedBytes();
    }

    @Override
    public boolean send(String text) {
        return session.sendText(text);
    }

    @Override
    public boolean send(ByteBuffer data) {
        return session.sendBinary(data);
    }

    /**
     * Queues a frame encoded once for many connections (broadcast). Never waits for budget.
     *
     * @param frame a complete, unmasked data frame; shared, so it is only read
     */
    public boolean sendEncoded(ByteBuffer frame) {
        return outbound.enqueueEncoded(frame);
    }

    @Override
    public boolean ping(ByteBuffer payload) {
        return session.ping(payload);
    }

    @Override
    public void close(int code, String reason) {
        CloseStatus status = CloseStatus.sendable(code, reason);
        // Only the first call can queue our Close; if the peer's Close (or our echo of it) was
        // queued first, closeEvent reports the peer's status, whatever is recorded here.
        if (outcome.closeLocally(status)) {
            session.close(status);
        }
    }

    @Override
    public void abort() {
        abort("aborted by the application");
    }

    @Override
    public String toString() {
        return "WebSocket[" + id() + ", " + remoteAddress() + ", " + state() + "]";
    }
}
