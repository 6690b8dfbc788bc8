package dev.leanws.server;

import dev.leanws.CloseCause;
import dev.leanws.CloseStatus;
import dev.leanws.WebSocket;
import dev.leanws.runtime.WebSocketConnection;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's live sockets: every {@link ConnectionTask} (handshakes, open connections, 503
 * refusals) for admission and shutdown, and the open {@link WebSocketConnection}s for
 * {@code connections()} and broadcast.
 *
 * <p>Shutdown never misses a connection that opens while it runs: {@link #opened} publishes
 * the connection before it reads {@code stopping}, and {@link #shutdown} sets {@code stopping}
 * before it walks the connections, so one of the two sends the 1001.
 */
final class ConnectionRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionRegistry.class);

    /** Most 503 answers in progress at once; past it an over-limit socket is closed unanswered. */
    static final int MAX_REFUSALS = 64;
    static final String SHUTDOWN_REASON = "server shutting down";

    /**
     * What a socket holds while its task runs: a pending-handshake slot (its request head has not
     * arrived), a connection slot (it is being answered or is open), or a refusal slot (a 503).
     */
    enum Slot { NONE, PENDING, CONNECTION, REFUSAL }

    private final int maxConnections;
    private final ServerConfig.Admission caps;
    private final Map<String, ConnectionTask> tasks = new ConcurrentHashMap<>();
    private final Map<String, WebSocketConnection> open = new ConcurrentHashMap<>();
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private final Map<InetAddress, Integer> pendingByAddress = new ConcurrentHashMap<>();
    private final AtomicInteger refusals = new AtomicInteger();
    private final Consumer<Throwable> fatal;
    private final Consumer<WebSocketConnection> onClosed;
    private volatile boolean stopping;

    /**
     * @param caps     caps on sockets whose request head has not arrived
     * @param fatal    told of an error that should stop the server (an OutOfMemoryError in a
     *                 connection's thread)
     * @param onClosed runs once a connection has finished closing, after it has left the
     *                 registry (the topics drop its subscriptions)
     */
    ConnectionRegistry(int maxConnections, ServerConfig.Admission caps, Consumer<Throwable> fatal,
            Consumer<WebSocketConnection> onClosed) {
        this.maxConnections = maxConnections;
        this.caps = caps;
        this.fatal = fatal;
        this.onClosed = onClosed;
    }

    /**
     * Admits a new socket from {@code peer} as a pending handshake: its own cap, separate from
     * the connections', and a cap per remote address, so a flood of slow request heads from
     * one address (slowloris) neither fills the connection slots nor keeps other addresses out.
     *
     * @return {@link Slot#PENDING} (taken), {@link Slot#REFUSAL} (answer 503: the server is
     *         full; taken), or {@link Slot#NONE} (close it unanswered: its address has too many
     *         handshakes in flight, or too many 503s are being sent)
     */
    Slot admit(InetAddress peer) {
        if (admitted.get() >= maxConnections || !tryIncrement(pending, caps.maxPending())) {
            return tryIncrement(refusals, MAX_REFUSALS) ? Slot.REFUSAL : Slot.NONE;
        }
        boolean[] taken = {false};
        pendingByAddress.compute(peer, (a, n) -> {
            int count = n == null ? 0 : n;
            if (count >= caps.maxPendingPerAddress()) {
                return n;
            }
            taken[0] = true;
            return count + 1;
        });
        if (!taken[0]) {
            pending.decrementAndGet();
            return Slot.NONE;
        }
        return Slot.PENDING;
    }

    /**
     * The task's request head arrived: its pending slot is given back and a connection slot
     * taken for answering it (and, for an upgrade, for the connection's life).
     *
     * @return false if every connection slot is taken (answer 503)
     */
    boolean promote(ConnectionTask task) {
        releasePending(task.peer());
        if (tryIncrement(admitted, maxConnections)) {
            task.slot(Slot.CONNECTION);
            return true;
        }
        task.slot(Slot.NONE);
        return false;
    }

    private void releasePending(InetAddress peer) {
        pending.decrementAndGet();
        pendingByAddress.computeIfPresent(peer, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** Request heads being awaited now (for tests). */
    int pendingHandshakes() {
        return pending.get();
    }

    /** An error that should stop the server happened on a task's thread. */
    void fatal(Throwable e) {
        fatal.accept(e);
    }

    private static boolean tryIncrement(AtomicInteger counter, int max) {
        while (true) {
            int n = counter.get();
            if (n >= max) {
                return false;
            }
            if (counter.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void started(ConnectionTask task) {
        tasks.put(task.id(), task);
    }

    /** The task's thread is ending: release its slot. */
    void finished(ConnectionTask task) {
        tasks.remove(task.id());
        switch (task.slot()) {
            case PENDING -> releasePending(task.peer());
            case CONNECTION -> admitted.decrementAndGet();
            case REFUSAL -> refusals.decrementAndGet();
            case NONE -> { }
        }
        task.slot(Slot.NONE);
    }

    /** A handshake succeeded; during shutdown the connection is closed with 1001 at once. */
    void opened(WebSocketConnection connection) {
        open.put(connection.id(), connection);
        if (stopping) {
            goAway(connection);
        }
    }

    void closed(WebSocketConnection connection) {
        open.remove(connection.id());
        onClosed.accept(connection);
    }

    /** Whether the connection is open on this server (handshake done, not finished closing). */
    boolean isOpen(WebSocketConnection connection) {
        return open.get(connection.id()) == connection;
    }

    List<WebSocket> connections() {
        return List.copyOf(open.values());
    }

    /** The threads of every live task (for shutdown and leak checks). */
    List<Thread> threads() {
        List<Thread> threads = new ArrayList<>();
        tasks.values().forEach(t -> threads.add(t.thread()));
        return threads;
    }

    /**
     * Offers one message to every open connection that passes {@code filter}.
     *
     * @return how many queued it
     */
    int broadcast(Fanout.Message message, Predicate<? super WebSocket> filter) {
        return Fanout.offer(message, open.values(), filter);
    }

    /**
     * Closes every connection with 1001 and waits for their threads until {@code deadlineNanos};
     * then drops the rest and waits for their threads to end. The caller has stopped the accept
     * loop, so no task starts meanwhile.
     */
    void shutdown(long deadlineNanos) {
        stopping = true;
        List<ConnectionTask> all = List.copyOf(tasks.values());
        all.forEach(ConnectionTask::stopRequested);
        open.values().forEach(ConnectionRegistry::goAway);
        // Called from a handler or hook, the caller's own connection is told to go away but
        // not waited for: its thread ends once the caller returns.
        all = all.stream().filter(t -> t.thread() != Thread.currentThread()).toList();
        boolean interrupted = false;
        List<ConnectionTask> late = new ArrayList<>();
        for (ConnectionTask task : all) {
            try {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0 || !task.thread().join(Duration.ofNanos(left))) {
                    late.add(task);
                }
            } catch (InterruptedException e) {
                interrupted = true;
                late.add(task);
            }
        }
        if (!late.isEmpty()) {
            LOG.debug("shutdown deadline passed; dropping {} connections", late.size());
        }
        late.forEach(ConnectionTask::forceClose);
        for (ConnectionTask task : late) {
            interrupted |= awaitEnd(task);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for a dropped task's thread without giving up; warns if it ignores the interrupt. */
    private static boolean awaitEnd(ConnectionTask task) {
        boolean interrupted = false;
        boolean warned = false;
        while (true) {
            try {
                if (task.thread().join(Duration.ofSeconds(5))) {
                    return interrupted;
                }
                if (!warned) {
                    warned = true;
                    LOG.warn("{} still running after it was dropped and interrupted: a handler ignores "
                            + "interruption; waiting for it", task);
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }

    private static void goAway(WebSocketConnection connection) {
        try {
            connection.close(CloseCause.SERVER_SHUTDOWN, CloseStatus.GOING_AWAY.withReason(SHUTDOWN_REASON));
        } catch (RuntimeException e) {
            LOG.warn("{} could not start closing", connection.id(), e);
        }
    }

    @Override
    public String toString() {
        return tasks.size() + " sockets, " + open.size() + " open connections" + (stopping ? ", stopping" : "");
    }
}
