package dev.leanws.runtime;

import dev.leanws.Attributes;
import dev.leanws.CloseCause;
import dev.leanws.CloseStatus;
import dev.leanws.ConnectionState;
import dev.leanws.WebSocket;
import dev.leanws.WebSocketConfig;
import dev.leanws.codec.Opcode;
import dev.leanws.codec.ProtocolException;
import dev.leanws.event.BinaryEvent;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.ErrorEvent;
import dev.leanws.event.WsEvent;
import dev.leanws.event.OpenEvent;
import dev.leanws.event.PongEvent;
import dev.leanws.event.TextEvent;
import dev.leanws.http.HttpRequest;
import dev.leanws.session.CloseHandshake;
import dev.leanws.session.OutboundDeflate;
import dev.leanws.session.ProtocolSession;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open WebSocket connection, server or client side: the read loop that runs on the
 * connection's own virtual thread, the {@link ProtocolSession} it feeds, the {@link Outbound}
 * queue it writes through, and the deadlines the {@link Watchdog} enforces. How it closes is
 * the session's {@link CloseHandshake}'s business: this class only reports to it and asks it.
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
    private final WebSocket handle;
    private final WebSocketConfig config;
    private final Consumer<WsEvent> events;
    private final ProtocolSession session;
    private final CloseHandshake closing;
    private final Outbound outbound;
    private final ConnectionDeadlines deadlines;
    /** What the watchdog ticks: the deadlines, plus the idle compressor's release with permessage-deflate. */
    private final Watchdog.Watched watched;
    private final TrafficCounters traffic = new TrafficCounters();
    private volatile boolean started;
    private long openedNanos;
    private ReadBuffer reads;          // reader thread only
    private final CarrierShare carrierShare = new CarrierShare();

    /**
     * @param transport the connected transport, after the opening handshake
     * @param setup     what the handshake agreed
     */
    public WebSocketConnection(Transport transport, ConnectionSetup setup) {
        this.transport = transport;
        this.setup = setup;
        this.handle = setup.handle() != null ? setup.handle() : this;
        this.config = setup.config();
        this.events = setup.events();
        this.deadlines = new ConnectionDeadlines(config, new DeadlineActions());
        this.outbound = new Outbound(transport, config, deadlines.writeStall, new OutboundOwner(), setup.id(),
                setup.memory(), traffic);
        this.session = new ProtocolSession(setup.role(), config, setup.maskKeys(), outbound, new SessionEvents(),
                setup.memory(), MemoryBudget.UNCHARGED_MESSAGE_BYTES, setup.compression());
        this.closing = session.closeHandshake();
        if (setup.compression() == null) {
            this.watched = deadlines;
        } else {
            long idleNanos = setup.compression().config().releaseIdleAfter().toNanos();
            this.watched = new IdleCodecRelease(deadlines, idleNanos, (now, idle) -> {
                outbound.releaseIdleCompressor(now, idle);
                session.releaseIdleInflater(now, idle);
            });
        }
    }

    // ------------------------------------------------------------------ read loop

    /**
     * Runs the connection on the calling (virtual) thread until it is closed: dispatches the
     * open event, processes {@code leftover} (bytes that arrived behind the handshake), then
     * reads, decodes and dispatches until the close handshake completes or the connection fails.
     *
     * <p>An {@link Error} on the way (a handler's {@link StackOverflowError}, an
     * {@link OutOfMemoryError}) ends this connection as an internal error (1011 if a Close can
     * still be sent), never leaves it half alive; an {@code OutOfMemoryError} is then rethrown
     * for the caller to decide about the process (the server stops, see its Javadoc).
     *
     * @param afterOpen runs once the open event has been dispatched
     * @return the close event, already dispatched
     */
    public CloseEvent run(ByteBuffer leftover, Runnable afterOpen) {
        outbound.setReaderThread(Thread.currentThread());
        openedNanos = System.nanoTime();
        carrierShare.readReturned(openedNanos);
        deadlines.start(openedNanos);
        started = true;
        deadlines.watchedThrough(setup.watchdog().register(watched));
        setup.metrics().opened(this);
        LOG.debug("{} open from {} (subprotocol {})", id(), remoteAddress(), subprotocol().orElse("none"));
        Throwable error = null;
        try {
            try {
                events.accept(new OpenEvent(handle));
            } finally {
                afterOpen.run();
            }
            outbound.flushFromReader();
            if (leftover != null && leftover.hasRemaining()) {
                traffic.add(TrafficCounters.BYTES_IN, leftover.remaining());
                process(leftover);
            }
            reads = new ReadBuffer(setup.memory());
            boolean eof = false;
            while (!session.isDone()) {
                ByteBuffer buffer = reads.buffer();
                deadlines.beforeRead(System.nanoTime(), !session.isAtFrameBoundary());
                int n = transport.read(buffer);
                long readNanos = System.nanoTime();
                deadlines.afterRead(readNanos);
                carrierShare.readReturned(readNanos);
                if (n < 0) {
                    eof = true;
                    break;
                }
                traffic.add(TrafficCounters.BYTES_IN, n);
                long processedNanos = process(buffer.flip());
                reads.afterRead(n);
                if (carrierShare.check(processedNanos)) {
                    carrierShare.yieldCarrier();
                }
            }
            if (!eof) {
                lingerUntilPeerCloses(reads.buffer());
            }
        } catch (IOException e) {
            if (closing.state().abortCause() == null) {
                error = e;     // a network failure, not the consequence of our own abort
            }
        } catch (RuntimeException | Error e) {
            error = e;
            internalError(e);
        }
        CloseEvent event = finish(error);
        if (error instanceof OutOfMemoryError oom) {
            throw oom;
        }
        return event;
    }

    /** Our own failure on the reader thread: close with 1011 if we still can, else drop. */
    private void internalError(Throwable e) {
        try {
            if (e instanceof OutOfMemoryError) {
                LOG.error("{} out of memory; dropping the connection", id());
                transport.close();
                return;
            }
            if (e instanceof Error) {
                LOG.error("{} internal error: {}", id(), e.toString());
                LOG.debug("{} internal error", id(), e);
            } else {
                LOG.warn("{} internal error", id(), e);
            }
            session.close(CloseCause.INTERNAL_ERROR, CloseStatus.INTERNAL_ERROR);
            outbound.flushFromReader();
        } catch (RuntimeException | Error again) {
            transport.close();
        }
    }

    /** Decodes and dispatches {@code input}, then flushes what that queued; returns the clock read after dispatching. */
    private long process(ByteBuffer input) {
        session.receive(input);
        long now = System.nanoTime();
        deadlines.afterProcessing(now, !session.isAtFrameBoundary(), session.framesBegun());
        outbound.flushFromReader();
        return now;
    }

    /**
     * The close handshake is complete or the connection failed: get our Close frame out, then
     * end TCP the way RFC 6455 §7.1.1 asks, without a reset. A server (and either side after a
     * violation) sends FIN at once; a client, whose peer closes first, does not. Both then read
     * and discard until the peer's FIN, bounded by the close deadline: closing a socket with
     * unread input (a peer may send more after its Close) makes the kernel answer with a reset,
     * which can destroy our Close frame before the peer has read it.
     */
    private void lingerUntilPeerCloses(ByteBuffer buffer) throws IOException {
        outbound.flushFromReader();
        try {
            outbound.awaitDrained(config.closeTimeout().toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (setup.role().closesTcpFirst() || closing.phase() == CloseHandshake.Phase.FAILED) {
            transport.shutdownOutput();
        }
        buffer.clear();
        while (transport.read(buffer) >= 0) {
            buffer.clear();
        }
    }

    private CloseEvent finish(Throwable error) {
        CloseHandshake.Outcome outcome;
        try {
            setup.watchdog().unregister(watched);
            outcome = closing.ended(error);
        } finally {
            // Whatever fails above, the socket and the bytes charged to the budget go.
            transport.close();
            session.discardInput();
            session.releaseInflater();
            if (reads != null) {
                reads.release();
            }
            outbound.terminate(error);
        }
        CloseEvent event = new CloseEvent(handle, outcome.cause(), outcome.status(), outcome.remote(), outcome.clean());
        setup.metrics().closed(this, event);
        CloseJfrEvent.emit(this, event, openedNanos);
        if (error != null) {
            LOG.debug("{} failed", id(), error);
            events.accept(new ErrorEvent(handle, error));
        }
        LOG.debug("{} closed: {} {} ({}, {})", id(), outcome.cause(), outcome.status(),
                outcome.remote() ? "remote" : "local", outcome.clean() ? "clean" : "not clean");
        events.accept(event);
        return event;
    }

    /** Session callbacks: turn protocol events into application events (reader thread). */
    private final class SessionEvents implements ProtocolSession.Listener {
        @Override
        public void onText(String text) {
            traffic.add(TrafficCounters.TEXT_IN, 1);
            deadlines.onMessage();
            events.accept(new TextEvent(handle, text));
            shareCarrier();
        }

        @Override
        public void onBinary(ByteBuffer data) {
            traffic.add(TrafficCounters.BINARY_IN, 1);
            deadlines.onMessage();
            events.accept(new BinaryEvent(handle, data.asReadOnlyBuffer()));
            shareCarrier();
        }

        /** Between two messages of one read: yields (after flushing the answers so far) once the slice is used. */
        private void shareCarrier() {
            if (carrierShare.afterMessage()) {
                outbound.flushFromReader();
                carrierShare.yieldCarrier();
            }
        }

        @Override
        public void onPong(ByteBuffer payload) {
            deadlines.onPong();
            events.accept(new PongEvent(handle, payload.asReadOnlyBuffer()));
        }

        @Override
        public void onViolation(ProtocolException violation) {
            LOG.debug("{} protocol violation {}: {}", id(), violation.violation().id(), violation.getMessage());
            events.accept(new ErrorEvent(handle, violation.toPublic()));
        }
    }

    /** Outbound callbacks. */
    private final class OutboundOwner implements Outbound.Owner {
        @Override
        public void onCloseQueued() {
            deadlines.onCloseQueued(System.nanoTime());
        }

        @Override
        public void onWriteFailed(IOException e) {
            abort(CloseCause.IO_ERROR, "write failed: " + e.getMessage());
        }

        @Override
        public void onSlowConsumer(String why, long queuedBytes) {
            LOG.debug("{} slow consumer: {}", id(), why);
            SlowConsumerJfrEvent.emit(id(), remoteAddress(), queuedBytes, why);
            close(CloseCause.SLOW_CONSUMER, CloseStatus.POLICY_VIOLATION.withReason("slow consumer"));
        }
    }

    /** What the watchdog may do to this connection when a deadline passes. */
    private final class DeadlineActions implements ConnectionDeadlines.Actions {
        @Override
        public void ping(ByteBuffer payload) {
            session.ping(payload);
        }

        @Override
        public void close(CloseCause cause, CloseStatus status) {
            WebSocketConnection.this.close(cause, status);
        }

        @Override
        public void abort(CloseCause cause, String detail) {
            WebSocketConnection.this.abort(cause, detail);
        }

        @Override
        public boolean isClosed() {
            return closing.phase() == CloseHandshake.Phase.ENDED;
        }

        @Override
        public boolean isClosing() {
            return closing.isClosing();
        }
    }

    /**
     * Starts the closing handshake for a reason of the runtime's or the server's (idle timeout,
     * shutdown, slow consumer, memory pressure); does nothing if closing started before.
     */
    public void close(CloseCause cause, CloseStatus status) {
        session.close(cause, status);
    }

    /** Drops the connection without a closing handshake; the close event reports {@code cause}. */
    public void abort(CloseCause cause, String detail) {
        if (closing.abort(cause, detail) == CloseHandshake.Action.CLOSE_TRANSPORT) {
            LOG.debug("{} dropped: {} {}", id(), cause, detail);
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
    public InetSocketAddress localAddress() {
        return transport.localAddress();
    }

    @Override
    public HttpRequest request() {
        return setup.request();
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
    public Attributes attributes() {
        return setup.attributes();
    }

    @Override
    public ConnectionState state() {
        if (!started) {
            return ConnectionState.CONNECTING;
        }
        if (closing.phase() == CloseHandshake.Phase.ENDED) {
            return ConnectionState.CLOSED;
        }
        return closing.isClosing() ? ConnectionState.CLOSING : ConnectionState.OPEN;
    }

    /** This connection's message and byte counts (for the server's or client's metrics). */
    public TrafficCounters traffic() {
        return traffic;
    }

    @Override
    public long bufferedAmount() {
        return outbound.bufferedBytes();
    }

    @Override
    public boolean send(String text) {
        return session.sendText(text, null);
    }

    @Override
    public boolean send(ByteBuffer data) {
        return session.sendBinary(data, null);
    }

    @Override
    public CompletableFuture<Void> sendAsync(String text) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        session.sendText(text, written);
        return written;
    }

    @Override
    public CompletableFuture<Void> sendAsync(ByteBuffer data) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        session.sendBinary(data, written);
        return written;
    }

    /**
     * Queues a frame encoded once for many connections (broadcast). Never waits for budget.
     *
     * @param frame a complete, unmasked data frame; shared, so it is only read
     */
    public boolean sendEncoded(ByteBuffer frame) {
        return outbound.enqueueEncoded(frame);
    }

    /**
     * Queues a broadcast message compressed by this connection's own compressor (context
     * takeover: its frame depends on what this connection sent before). Waits no more than
     * {@link #sendEncoded} does.
     *
     * @param payload the message's bytes; shared, so it is only read
     */
    public boolean sendOwnCompressed(Opcode opcode, ByteBuffer payload) {
        return session.sendOwnCompressed(opcode, payload);
    }

    /** How this connection compresses what it sends, or null without permessage-deflate. */
    public OutboundDeflate outboundDeflate() {
        return session.outboundDeflate();
    }

    @Override
    public boolean ping(ByteBuffer payload) {
        return session.ping(payload);
    }

    @Override
    public void close(CloseStatus status) {
        close(CloseCause.LOCAL_CLOSE, status);
    }

    @Override
    public void abort() {
        abort(CloseCause.ABORTED, "aborted by the application");
    }

    @Override
    public String toString() {
        return "WebSocket[" + id() + ", " + remoteAddress() + ", " + state() + "]";
    }
}
