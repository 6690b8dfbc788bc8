package dev.leanws.server;

import dev.leanws.DeflateConfig;
import dev.leanws.UpgradeConfig;
import dev.leanws.WebSocket;
import dev.leanws.WebSocketConfig;
import dev.leanws.WebSocketMetrics;
import dev.leanws.codec.Opcode;
import dev.leanws.event.EventManager;
import dev.leanws.runtime.MemoryBudget;
import dev.leanws.runtime.MetricsRecorder;
import dev.leanws.runtime.Watchdog;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebSocket server (RFC 6455) on virtual threads: one blocking accept loop, one virtual
 * thread per connection, events through an {@link EventManager}.
 *
 * <pre>{@code
 * var server = WebSocketServer.builder()
 *         .port(9001)                                   // 0: an ephemeral port, see port()
 *         .subprotocols("chat.v1")
 *         .build();
 * Subscription echo = server.events().subscribe(EventFilter.textMessages(),
 *         event -> event.connection().send(event.text()));
 * server.start();                                       // returns once listening
 * server.broadcast("hello, everyone");
 * server.close();                                       // 1001 to everyone, then wait
 * }</pre>
 *
 * <p><b>Endpoints.</b> Without {@link Builder#endpoint endpoints} the server accepts upgrades
 * on every path with the builder's upgrade settings; with them, each path has its own rules
 * and handlers ({@link Endpoint}) and other paths get 404. {@link #events()} sees the events
 * of every connection, whatever its endpoint.
 *
 * <p><b>Lifecycle.</b> {@link #start()} binds and starts accepting; it can be called once.
 * {@link #stop(Duration)} (and {@link #close()}) stops accepting, sends 1001 to every
 * connection, waits up to the deadline for their closing handshakes, drops the rest, and
 * returns once no connection thread and no accept thread is left; {@link #awaitStop()} waits
 * for that from any other thread (e.g. {@code main}, while a shutdown hook stops the server).
 *
 * <p><b>Requests.</b> A WebSocket upgrade is checked against RFC 6455 (400, 405, 426 with
 * {@code Sec-WebSocket-Version: 13}) and its endpoint's rules, then offered to the endpoint's
 * {@link UpgradeHook}, which can reject it with any response or accept it with attributes. Any
 * other request goes to the
 * {@link HttpHandler} (default: 404). Past {@link Builder#maxConnections(int)} a new socket
 * gets 503. A request head must arrive within {@link WebSocketConfig#handshakeTimeout()} and
 * {@link WebSocketConfig#maxHandshakeBytes()} (431 past it).
 *
 * <p><b>Hostile peers.</b> Sockets whose request head has not arrived are capped on their own
 * ({@link Builder#maxPendingHandshakes}, {@link Builder#maxPendingHandshakesPerAddress}), apart
 * from open connections ({@link Builder#maxConnections}), so slow handshakes from one address do
 * not keep others out. What all peers together make the server hold (messages being assembled,
 * read buffers, outbound queues) is bounded by one {@link Builder#memoryBudget memory budget}:
 * growth past it closes that peer with 1013, never the process.
 *
 * <p><b>Fatal errors.</b> An {@link Error} in a connection's thread ends that connection (1011)
 * and the server goes on; in the accept loop it is logged and accepting resumes. An
 * {@link OutOfMemoryError} anywhere in the server's threads stops the server: the listening
 * socket closes at once, connections are dropped, {@link #awaitStop()} returns,
 * {@link #failure()} holds the error and {@link Builder#onFatalError} is called, so a supervisor
 * can restart the process; the server never keeps a listening socket that serves nothing.
 *
 * <p><b>Threads.</b> Every method is thread-safe. Events of one connection are dispatched in
 * order on that connection's virtual thread.
 */
public final class WebSocketServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketServer.class);

    private enum State { NEW, RUNNING, STOPPED }

    /** How long the closing handshakes get when a fatal error stops the server. */
    private static final Duration FATAL_STOP_TIMEOUT = Duration.ofSeconds(1);

    private final ServerConfig settings;
    private final EventManager events = new EventManager();
    private final ConnectionRegistry registry;
    private final MetricsRecorder metrics = new MetricsRecorder();
    private final Topics topics;
    private final ReentrantLock lifecycle = new ReentrantLock();
    private volatile State state = State.NEW;
    private volatile InetSocketAddress boundAddress;
    private volatile AcceptLoop acceptLoop;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** The configuration this server was built with (tests compare it with the README's table). */
    ServerConfig config() {
        return settings;
    }

    private WebSocketServer(ServerConfig settings) {
        this.settings = settings;
        this.registry = new ConnectionRegistry(settings.maxConnections(), settings.admission(), this::fatal,
                this::connectionClosed);
        this.topics = new Topics(registry, metrics);
        metrics.bindMemoryBudget(settings.memory()::used, settings.memory()::limit);
    }

    /** The registry's close hook: a closed connection's subscriptions end with it. */
    private void connectionClosed(dev.leanws.runtime.WebSocketConnection c) {
        topics.connectionClosed(c);
    }

    /** A builder with every default (see {@link Builder}). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the listening socket and starts accepting connections.
     *
     * @return this server, so {@code builder()...build().start()} reads as one expression
     * @throws IOException if the address cannot be bound (e.g. {@link java.net.BindException}
     *                     when the port is in use); nothing is left open and the server is
     *                     stopped
     * @throws IllegalStateException if the server was started or stopped before
     */
    public WebSocketServer start() throws IOException {
        lifecycle.lock();
        try {
            if (state != State.NEW) {
                throw new IllegalStateException("a server starts once; this one is " + state);
            }
            try {
                if (settings.tls() != null) {
                    settings.tls().start();
                }
                acceptLoop = AcceptLoop.start(settings, registry, new UpgradeHandler(settings, events, metrics));
            } catch (IOException | RuntimeException e) {
                if (settings.tls() != null) {
                    settings.tls().stop();
                }
                state = State.STOPPED;
                stopped.countDown();
                throw e;
            }
            boundAddress = acceptLoop.address();
            state = State.RUNNING;
            LOG.info("WebSocket server listening on {}{}", boundAddress, settings.tls() != null ? " (TLS)" : "");
            return this;
        } finally {
            lifecycle.unlock();
        }
    }

    /** The bound port (the real one when built with port 0). */
    public int port() {
        return address().getPort();
    }

    /**
     * The bound address.
     *
     * @throws IllegalStateException if the server has not been started
     */
    public InetSocketAddress address() {
        InetSocketAddress a = boundAddress;
        if (a == null) {
            throw new IllegalStateException("the server has not been started");
        }
        return a;
    }

    /**
     * The server's live TLS settings, to replace its certificates while it runs (see
     * {@link ServerTls}).
     *
     * @throws IllegalStateException if the server was built without {@link Builder#tls}
     */
    public ServerTls tls() {
        if (settings.tls() == null) {
            throw new IllegalStateException("this server was built without TLS");
        }
        return settings.tls();
    }

    /** Whether the server is accepting connections: started, not stopped and not failed. */
    public boolean isRunning() {
        return state == State.RUNNING && failure.get() == null;
    }

    /**
     * The error that stopped the server, if one did (see "Fatal errors" in the class comment).
     * A supervisor checks it once {@link #awaitStop()} returns:
     * <pre>{@code
     * server.awaitStop();
     * System.exit(server.failure().isPresent() ? 70 : 0);
     * }</pre>
     */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /**
     * An {@link OutOfMemoryError} reached a server thread (the accept loop, a connection's
     * thread, a handler). Past the memory budget nothing a peer sends should get here, so this
     * is the application's or the heap size's problem, and the JVM may have lost threads of its
     * own (the I/O poller virtual threads need): carrying on could keep a listening socket that
     * serves nothing. So the server stops: the listening socket closes at once, then every
     * connection is dropped, {@link #awaitStop()} returns, and the {@code onFatalError} callback
     * runs.
     */
    private void fatal(Throwable e) {
        if (!failure.compareAndSet(null, e)) {
            return;
        }
        AcceptLoop loop = acceptLoop;
        if (loop != null) {
            loop.closeListener();   // first, and allocation-free: nothing may keep listening
        }
        LOG.error("WebSocket server on {} stops after a fatal error: {}", boundAddress, e.toString());
        Runnable stopAndTell = () -> {
            try {
                stop(FATAL_STOP_TIMEOUT);
            } finally {
                try {
                    settings.onFatal().accept(e);
                } catch (RuntimeException | Error callbackFailed) {
                    LOG.error("the onFatalError callback failed: {}", callbackFailed.toString());
                }
            }
        };
        try {
            Thread.ofPlatform().name("leanws-fatal-stop").start(stopAndTell);
        } catch (RuntimeException | Error noThread) {
            stopAndTell.run();   // on the failing thread, then: stop() never waits for its caller
        }
    }

    /**
     * Where the events of every connection are dispatched (after its endpoint's own handlers);
     * subscribe before or after start.
     */
    public EventManager events() {
        return events;
    }

    /** A snapshot of the connections whose handshake succeeded and that have not finished closing. */
    public List<WebSocket> connections() {
        return registry.connections();
    }

    /**
     * Named topics: connections subscribe, the application publishes to every subscriber;
     * see {@link Topics}.
     */
    public Topics topics() {
        return topics;
    }

    /**
     * {@link #broadcast(String, Predicate)} to every open connection. With a {@link TopicRelay}
     * attached to {@link #topics()} (e.g. the {@code websocket-cluster} module), it also reaches
     * every connection of the other nodes; a filtered broadcast stays on this node.
     */
    public int broadcast(String text) {
        ByteBuffer payload = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
        int taken = broadcast(Opcode.TEXT, payload, c -> true);
        topics.broadcastMade(payload, true);
        return taken;
    }

    /**
     * Sends a text message to every open connection that passes {@code filter}. The frame is
     * encoded once and its bytes shared. Never waits for a slow connection: one over its
     * outbound budget is skipped (under {@link dev.leanws.BackpressurePolicy#BLOCK} and
     * {@code FAIL}) or closed with 1008 (under {@code CLOSE}).
     *
     * <pre>{@code
     * server.broadcast("tick", ws -> ws.attributes().get(ROOM).filter("lobby"::equals).isPresent());
     * }</pre>
     *
     * @return how many connections queued the message
     */
    public int broadcast(String text, Predicate<? super WebSocket> filter) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return broadcast(Opcode.TEXT, ByteBuffer.wrap(bytes), filter);
    }

    /**
     * {@link #broadcast(ByteBuffer, Predicate)} to every open connection; with a relay
     * attached, to the other nodes' connections too, as {@link #broadcast(String)}.
     */
    public int broadcast(ByteBuffer data) {
        ByteBuffer payload = data.slice().asReadOnlyBuffer();
        int taken = broadcast(Opcode.BINARY, payload, c -> true);
        topics.broadcastMade(payload, false);
        return taken;
    }

    /**
     * Sends a binary message (the buffer's remaining bytes; its position does not move) to
     * every open connection that passes {@code filter}, as {@link #broadcast(String, Predicate)}.
     *
     * @return how many connections queued the message
     */
    public int broadcast(ByteBuffer data, Predicate<? super WebSocket> filter) {
        return broadcast(Opcode.BINARY, data.slice(), filter);
    }

    private int broadcast(Opcode opcode, ByteBuffer payload, Predicate<? super WebSocket> filter) {
        Objects.requireNonNull(filter, "filter");
        int taken = registry.broadcast(Fanout.encode(opcode, payload), filter);
        metrics.published(taken);
        return taken;
    }

    /**
     * A snapshot of this server's counters: connections open and opened, handshakes accepted
     * and refused by status, messages and bytes both ways, closes by cause and by code (slow
     * consumers and deadlines among them), bytes queued outbound, broadcasts. Cheap enough to
     * take every few seconds: it walks the open connections once.
     *
     * <pre>{@code
     * WebSocketServer.builder()
     *         .httpHandler(request -> request.path().equals("/metrics")
     *                 ? HttpResponse.of(200, PrometheusText.CONTENT_TYPE, server.metrics().toPrometheusBytes())
     *                 : null)
     * ...
     * log.info("websocket: {}", server.metrics().summary());
     * }</pre>
     *
     * For Micrometer, the {@code websocket-micrometer} module binds these snapshots to a
     * {@code MeterRegistry}; for JDK Flight Recorder, the events {@code dev.leanws.Handshake},
     * {@code dev.leanws.Close}, {@code dev.leanws.SlowConsumer} and {@code dev.leanws.BudgetPressure}
     * are recorded when a recording enables them.
     */
    public WebSocketMetrics metrics() {
        return metrics.snapshot();
    }

    /** The counters behind {@link #metrics()}: for tests. */
    MetricsRecorder metricsRecorder() {
        return metrics;
    }

    /**
     * Stops the server: stops accepting (the port is released at once), drops clients still
     * sending their request head, sends 1001 "server shutting down" to every connection, waits
     * up to {@code timeout} for the closing handshakes (and for hooks and HTTP handlers under
     * way), then drops what is left and interrupts its threads. Returns once no connection
     * thread and no accept thread is left. Only the first call does this; a later or
     * concurrent call returns at once.
     *
     * <p>It may be called from an event handler, a hook or an HTTP handler; it then waits for
     * every connection but the caller's own, whose thread ends when the caller returns.
     */
    public void stop(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lifecycle.lock();
        try {
            State before = state;
            state = State.STOPPED;
            if (before == State.NEW) {
                stopped.countDown();
            }
            if (before != State.RUNNING) {
                return;
            }
        } finally {
            lifecycle.unlock();
        }
        // Outside the lock: a handler that calls stop() while another thread is stopping the
        // server returns at once instead of waiting for a thread that waits for it.
        LOG.info("WebSocket server on {} stopping ({} connections)", boundAddress, registry.connections().size());
        acceptLoop.stop();
        if (settings.tls() != null) {
            settings.tls().stop();
        }
        registry.shutdown(deadline);
        LOG.info("WebSocket server on {} stopped", boundAddress);
        stopped.countDown();
    }

    /**
     * Waits until the server has stopped, i.e. until a {@link #stop(Duration)} or {@link #close()}
     * called elsewhere (a shutdown hook, an admin command's handler) has returned. For a program
     * whose main thread has nothing else to do (the accept and connection threads are virtual,
     * so they do not keep the JVM alive by themselves):
     *
     * <pre>{@code
     * server.start();
     * Runtime.getRuntime().addShutdownHook(new Thread(server::close));
     * server.awaitStop();     // until Ctrl-C or SIGTERM
     * }</pre>
     *
     * Returns at once if the server has stopped already, or was never started and then stopped.
     * Not for event handlers: a stop waits for their connection threads, so a handler waiting
     * here holds the stop up until its deadline, when the handler is interrupted.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /**
     * {@link #awaitStop()}, waiting at most {@code timeout}.
     *
     * @return whether the server has stopped
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean awaitStop(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** {@link #stop(Duration)} with {@link WebSocketConfig#closeTimeout()} as the deadline. */
    @Override
    public void close() {
        stop(settings.config().closeTimeout());
    }

    /** The server-wide memory budget (for tests). */
    MemoryBudget memory() {
        return settings.memory();
    }

    /** Request heads being awaited now (for tests). */
    int pendingHandshakes() {
        return registry.pendingHandshakes();
    }

    /** The accept thread and every connection thread alive now (for leak checks in tests). */
    List<Thread> threads() {
        List<Thread> threads = new ArrayList<>(registry.threads());
        AcceptLoop loop = acceptLoop;
        if (loop != null) {
            loop.liveThread().ifPresent(threads::add);
        }
        return threads;
    }

    @Override
    public String toString() {
        return "WebSocketServer[" + (boundAddress != null ? boundAddress : settings.host() + ":" + settings.port())
                + ", " + state + ", " + registry + "]";
    }

    /**
     * Configures a {@link WebSocketServer}. Every setting has a default; the table of defaults is
     * in the project README ("Limits and defaults").
     */
    public static final class Builder {
        private String host = InetAddress.getLoopbackAddress().getHostAddress();
        private int port;
        private int backlog = 1024;
        private boolean reuseAddress = true;
        private int maxConnections = 10_000;
        private WebSocketConfig config = WebSocketConfig.defaults();
        private final Endpoint.Builder anyPath = Endpoint.at("/*");
        private boolean anyPathChanged;
        private final List<Endpoint> endpoints = new ArrayList<>();
        private HttpHandler httpHandler;
        private int maxHttpBodySize = 64 * 1024;
        private TlsConfig tls;
        private int maxPendingHandshakes = 1_000;
        private int maxPendingHandshakesPerAddress = 256;
        private long memoryBudget = -1;    // -1: a quarter of the maximum heap
        private Consumer<Throwable> onFatalError = e -> { };
        private Runnable acceptFault = () -> { };
        private DeflateConfig deflate = DeflateConfig.defaults();

        private Builder() {
        }

        /**
         * Serves TLS on the port: {@code wss://} upgrades and {@code https://} requests (the
         * {@link HttpHandler}). The certificates are read when the server starts ({@link #start()}
         * fails if they cannot be) and can be replaced while it runs ({@link WebSocketServer#tls()}).
         * The TLS handshake counts against the handshake timeout and the pending-handshake caps
         * ({@link #maxPendingHandshakes}), like the request head after it. Default: none, plain TCP.
         */
        public Builder tls(TlsConfig config) {
            this.tls = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Most sockets whose request head has not arrived yet, from all addresses together
         * (default 1,000). They do not count toward {@link #maxConnections}: a flood of slow
         * handshakes (slowloris) cannot take the slots of open connections. A socket accepted
         * past it is answered 503 and closed.
         */
        public Builder maxPendingHandshakes(int max) {
            this.maxPendingHandshakes = max;
            return this;
        }

        /**
         * Most sockets whose request head has not arrived yet from one remote IP address
         * (default 256; above the 128 handshakes a load generator typically keeps in flight):
         * one address cannot take every pending slot. A socket accepted past it is closed
         * unanswered.
         */
        public Builder maxPendingHandshakesPerAddress(int max) {
            this.maxPendingHandshakesPerAddress = max;
            return this;
        }

        /**
         * The server-wide memory budget, in bytes (default: a quarter of the maximum heap,
         * {@code Runtime.maxMemory() / 4}, at least 1 MiB): what all peers together can make the
         * server hold in messages being assembled, grown read buffers and outbound queues, past
         * a small allowance per connection that is not charged (8 KiB of message, 4 KiB of read
         * buffer, 64 KiB of outbound queue). A message that would grow past it closes its
         * connection with 1013 (try again later; {@code CloseCause.MEMORY_PRESSURE}); a send
         * past it is refused like a send past {@code maxOutboundBytes}.
         */
        public Builder memoryBudget(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("memoryBudget must be > 0: " + bytes);
            }
            this.memoryBudget = bytes;
            return this;
        }

        /**
         * Told of the error that stopped the server (an {@link OutOfMemoryError} in one of its
         * threads), once the server has stopped; e.g. {@code e -> System.exit(70)} for a
         * process that a supervisor restarts. {@link WebSocketServer#failure()} tells it too.
         */
        public Builder onFatalError(Consumer<Throwable> callback) {
            this.onFatalError = Objects.requireNonNull(callback, "callback");
            return this;
        }

        /** Test seam: runs on the accept thread before each accept (it may throw to inject a failure). */
        Builder acceptFault(Runnable fault) {
            this.acceptFault = Objects.requireNonNull(fault, "fault");
            return this;
        }

        /**
         * The address to bind: a name or a literal. {@code "0.0.0.0"} listens on every IPv4
         * interface, {@code "::"} on every interface (IPv6 and, on dual-stack systems, IPv4),
         * {@code "::1"} on IPv6 loopback. Resolved when the server starts. Default: the loopback
         * address (127.0.0.1), reachable from this machine only.
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port to bind, 0-65535; 0 (the default) picks a free ephemeral port, see {@link WebSocketServer#port()}. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** How many not-yet-accepted connections the kernel may queue. */
        public Builder backlog(int backlog) {
            this.backlog = backlog;
            return this;
        }

        /** {@code SO_REUSEADDR} on the listening socket: restart on a port with connections in TIME_WAIT. */
        public Builder reuseAddress(boolean reuse) {
            this.reuseAddress = reuse;
            return this;
        }

        /**
         * Most sockets served at once once their request head has arrived: open WebSocket
         * connections, and upgrades and plain HTTP requests being answered (sockets still
         * sending their head count toward {@link #maxPendingHandshakes} instead). A socket
         * accepted, or a head that arrives, past it is answered 503 (with
         * {@code Retry-After: 1}) and closed.
         */
        public Builder maxConnections(int max) {
            this.maxConnections = max;
            return this;
        }

        /**
         * permessage-deflate (RFC 7692) on endpoints without their own setting. Default:
         * {@link DeflateConfig#defaults()}, i.e. accepted when a client offers it (as browsers
         * do); {@link DeflateConfig#disabled()} declines every offer.
         */
        public Builder deflate(DeflateConfig deflate) {
            this.deflate = Objects.requireNonNull(deflate, "deflate");
            return this;
        }

        /** Per-connection limits, timeouts, keep-alive and backpressure (also the handshake limits). */
        public Builder config(WebSocketConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Adds an endpoint: upgrades to its path follow its rules and reach its handlers. Once a
         * server has endpoints, upgrades to other paths get 404, and the upgrade settings below
         * ({@link #upgrade}, {@link #subprotocols}, {@link #upgradeHook}, {@link #allowOrigins})
         * belong on the endpoints instead.
         */
        public Builder endpoint(Endpoint endpoint) {
            endpoints.add(Objects.requireNonNull(endpoint, "endpoint"));
            return this;
        }

        /** Subprotocol negotiation on every path (a server without endpoints); see {@link Endpoint.Builder#upgrade}. */
        public Builder upgrade(UpgradeConfig upgrade) {
            anyPath.upgrade(upgrade);
            anyPathChanged = true;
            return this;
        }

        /** Subprotocols, most preferred first, on every path (a server without endpoints). */
        public Builder subprotocols(String... preferenceOrder) {
            anyPath.subprotocols(preferenceOrder);
            anyPathChanged = true;
            return this;
        }

        /** The upgrade hook on every path (a server without endpoints); see {@link UpgradeHook}. */
        public Builder upgradeHook(UpgradeHook hook) {
            anyPath.hook(hook);
            anyPathChanged = true;
            return this;
        }

        /** The origin allow-list on every path (a server without endpoints); see {@link Endpoint.Builder#allowOrigins}. */
        public Builder allowOrigins(String... origins) {
            anyPath.allowOrigins(origins);
            anyPathChanged = true;
            return this;
        }

        /** Answers requests that are not WebSocket upgrades; see {@link HttpHandler}. Default: 404 for all. */
        public Builder httpHandler(HttpHandler handler) {
            this.httpHandler = handler;
            return this;
        }

        /** Largest plain HTTP request body (declared by {@code Content-Length}) the server reads; past it 413. */
        public Builder maxHttpBodySize(int bytes) {
            this.maxHttpBodySize = bytes;
            return this;
        }

        /**
         * @throws IllegalArgumentException if a number is out of range, or two endpoints match
         *                                  the same paths
         * @throws IllegalStateException    if upgrade settings were given both here and on endpoints
         */
        public WebSocketServer build() {
            if (!endpoints.isEmpty() && anyPathChanged) {
                throw new IllegalStateException("this server has endpoints: give upgrade settings (subprotocols, "
                        + "origins, hook) to each endpoint instead of the server builder");
            }
            List<Endpoint> all = endpoints.isEmpty() ? List.of(anyPath.build()) : List.copyOf(endpoints);
            MemoryBudget memory = memoryBudget > 0 ? MemoryBudget.of(memoryBudget) : MemoryBudget.ofHeapFraction(4);
            return new WebSocketServer(new ServerConfig(host, port, backlog, reuseAddress, config, maxConnections, all,
                    httpHandler, maxHttpBodySize, Watchdog.shared(),
                    new ServerConfig.Admission(maxPendingHandshakes, maxPendingHandshakesPerAddress), memory,
                    onFatalError, acceptFault, tls == null ? null : new ServerTls(tls), deflate));
        }
    }
}
