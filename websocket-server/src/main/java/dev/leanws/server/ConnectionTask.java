package dev.leanws.server;

import dev.leanws.CloseCause;
import dev.leanws.http.internal.HeaderFields;
import dev.leanws.http.internal.HttpParseException;
import dev.leanws.handshake.ServerHandshake;
import dev.leanws.runtime.HandshakeGuard;
import dev.leanws.runtime.PlainTransport;
import dev.leanws.runtime.TlsTransport;
import dev.leanws.runtime.Transport;
import dev.leanws.runtime.WebSocketConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything that happens on one accepted socket, on its own virtual thread: the handshake
 * under its deadline, then the WebSocket connection until it closes; or, past the connection
 * limit, a 503. The socket is closed and the registry told when it ends, whatever happened.
 *
 * <p>After a non-101 answer the server sends FIN and reads (discarding) until the client
 * closes, for at most {@link #LINGER}: closing with unread input would make the kernel
 * send a reset, which can destroy the response before the client reads it.
 */
final class ConnectionTask implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionTask.class);

    /** How long a refused client gets to read the answer and close. */
    static final Duration LINGER = Duration.ofSeconds(2);

    /** Where the task is; read by the registry when the server stops. */
    enum Phase { READING_REQUEST, ANSWERING, OPEN, REFUSING }

    private final String id;
    private final SocketChannel channel;
    private final ConnectionRegistry registry;
    private final UpgradeHandler handler;
    private final ServerConfig settings;
    private final boolean overCapacity;
    private final long acceptedNanos = System.nanoTime();
    private final InetAddress peer;
    private volatile ConnectionRegistry.Slot slot;
    private volatile Phase phase;
    private volatile Thread thread;
    private volatile WebSocketConnection connection;
    private volatile HandshakeGuard deadline;

    /**
     * @param slot what the registry admitted it as: {@link ConnectionRegistry.Slot#PENDING} to
     *             serve, {@link ConnectionRegistry.Slot#REFUSAL} to answer 503
     * @param peer the remote address (the per-address handshake cap counts it)
     */
    ConnectionTask(String id, SocketChannel channel, ConnectionRegistry.Slot slot, InetAddress peer,
            ConnectionRegistry registry, UpgradeHandler handler, ServerConfig settings) {
        this.id = id;
        this.channel = channel;
        this.slot = slot;
        this.peer = peer;
        this.overCapacity = slot == ConnectionRegistry.Slot.REFUSAL;
        this.registry = registry;
        this.handler = handler;
        this.settings = settings;
        this.phase = overCapacity ? Phase.REFUSING : Phase.READING_REQUEST;
    }

    String id() {
        return id;
    }

    InetAddress peer() {
        return peer;
    }

    ConnectionRegistry.Slot slot() {
        return slot;
    }

    void slot(ConnectionRegistry.Slot held) {
        slot = held;
    }

    Thread thread() {
        return thread;
    }

    /** Creates (unstarted) the virtual thread that runs this task. */
    Thread newThread() {
        thread = Thread.ofVirtual().name("leanws-conn-" + id).unstarted(this);
        return thread;
    }

    @Override
    public void run() {
        try {
            if (overCapacity) {
                refuseOverCapacity();
            } else {
                serve();
            }
        } catch (IOException e) {
            HandshakeGuard d = deadline;
            LOG.debug("{} ended before opening: {}", id, d != null ? d.explain(e).getMessage() : e.toString());
        } catch (RuntimeException e) {
            LOG.warn("{} failed", id, e);
        } catch (OutOfMemoryError e) {
            // The connection is gone already; whether the server goes on is the server's call.
            closeChannel();
            registry.fatal(e);
        } catch (Error e) {
            // Another Error (a StackOverflowError in a hook or handler...) is this socket's end,
            // not the server's: its connection was failed with 1011 on the way out.
            LOG.error("{} failed: {}", id, e.toString());
            LOG.debug("{} failure", id, e);
        } finally {
            closeChannel();
            registry.finished(this);
        }
    }

    private void serve() throws IOException {
        Transport transport;
        UpgradeHandler.Upgrade upgrade;
        try (HandshakeGuard d = newGuard("handshake", settings.config().handshakeTimeout())) {
            transport = open(d);
            if (transport == null) {
                return;
            }
            upgrade = handshake(transport, d);
            if (upgrade == null || !d.disarm()) {
                return;
            }
        }
        WebSocketConnection c = new WebSocketConnection(transport, upgrade.setup());
        connection = c;
        phase = Phase.OPEN;
        registry.opened(c);
        try {
            c.run(upgrade.leftover(), () -> { });
        } finally {
            registry.closed(c);
        }
    }

    /** A deadline for this task's thread: closes the socket and interrupts the thread when it passes. */
    private HandshakeGuard newGuard(String phaseName, Duration timeout) {
        HandshakeGuard d = new HandshakeGuard(settings.watchdog());
        d.interrupt(Thread.currentThread());
        d.guard(channel);
        d.start(phaseName, timeout);
        deadline = d;
        return d;
    }

    /**
     * The socket's transport: TCP as it is, or TLS once its handshake is done, within the
     * deadline that also bounds the HTTP exchange after it (so a slowloris over TLS is dropped
     * as one over TCP). A client speaking plain HTTP to the TLS port gets a plain-text 400
     * saying so; any other TLS failure ends the connection (the engine's alert sent if it can
     * be). Returns null when the socket was answered or dropped.
     */
    private Transport open(HandshakeGuard d) throws IOException {
        ServerTls tls = settings.tls();
        if (tls == null) {
            return new PlainTransport(channel);
        }
        TlsTransport transport = new TlsTransport(channel, tls.newEngine((InetSocketAddress) channel.getRemoteAddress()));
        d.guard(transport);
        try {
            transport.handshake();
            return transport;
        } catch (TlsTransport.NotTlsException e) {
            Transport plain = new PlainTransport(channel);
            UpgradeHandler.refuse(id, plain, 400, "this port speaks TLS: use https:// or wss://");
            linger(plain, d);
            return null;
        } catch (IOException e) {
            LOG.debug("{} TLS handshake with {} failed: {}", id, transport.remoteAddress(), d.explain(e).getMessage());
            return null;
        }
    }

    /** Reads and answers the request; returns the upgrade to run, or null once answered. */
    private UpgradeHandler.Upgrade handshake(Transport transport, HandshakeGuard d) throws IOException {
        UpgradeHandler.Request request;
        try {
            request = handler.readRequest(transport);
        } catch (HttpParseException e) {
            handler.answered(id, transport, "", e.status(), acceptedNanos);
            UpgradeHandler.refuse(id, transport, e.status(), e.getMessage());
            linger(transport, d);
            return null;
        }
        if (request == null) {
            LOG.debug("{} closed by {} before sending a request", id, transport.remoteAddress());
            return null;
        }
        UpgradeHandler.Upgrade upgrade;
        try {
            // The head is in: from here the socket counts as a connection, not a pending handshake.
            if (!registry.promote(this)) {
                LOG.debug("{} refused: {} connections already", id, settings.maxConnections());
                handler.answered(id, transport, request.head().path(), 503, request.startNanos());
                UpgradeHandler.write(transport, ServerHandshake.refusalBytes(503,
                        "too many connections", HeaderFields.of("Retry-After", "1")));
                upgrade = null;
            } else {
                phase = Phase.ANSWERING;
                upgrade = handler.answer(id, transport, request);
            }
        } finally {
            handler.release(request);   // answer() copied out what the connection keeps
        }
        if (upgrade == null) {
            linger(transport, d);
        }
        return upgrade;
    }

    private void refuseOverCapacity() throws IOException {
        try (HandshakeGuard d = newGuard("refusal", LINGER)) {
            Transport transport = open(d);
            if (transport == null) {
                return;
            }
            LOG.debug("{} refused: {} connections already", id, settings.maxConnections());
            handler.answered(id, transport, "", 503, acceptedNanos);
            UpgradeHandler.write(transport, ServerHandshake.refusalBytes(503,
                    "too many connections", HeaderFields.of("Retry-After", "1")));
            linger(transport, d);
        }
    }

    /** Sends FIN, then discards input until the client closes or the (shortened) deadline passes. */
    private static void linger(Transport transport, HandshakeGuard d) {
        try {
            transport.shutdownOutput();
            d.shortenTo(LINGER);
            ByteBuffer sink = ByteBuffer.allocate(512);
            while (transport.read(sink) >= 0) {
                sink.clear();
            }
        } catch (IOException e) {
            // closed by the deadline or reset by the client: either way, done
        }
    }

    /** The server is stopping: a client still sending its request head is dropped now. */
    void stopRequested() {
        if (phase == Phase.READING_REQUEST) {
            closeChannel();
        }
    }

    /** The shutdown deadline passed: drop the connection and interrupt whatever blocks the thread. */
    void forceClose() {
        WebSocketConnection c = connection;
        if (c != null) {
            c.abort(CloseCause.SERVER_SHUTDOWN, "the shutdown deadline passed");
        }
        closeChannel();
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    @Override
    public String toString() {
        return id + " (" + phase + ")";
    }
}
