package dev.leanws.server;

import dev.leanws.CloseCause;
import dev.leanws.CloseStatus;
import dev.leanws.WebSocket;
import dev.leanws.runtime.WebSocketConnection;
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

    private final int maxConnections;
    private final Map<String, ConnectionTask> tasks = new ConcurrentHashMap<>();
    private final Map<String, WebSocketConnection> open = new ConcurrentHashMap<>();
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicInteger refusals = new AtomicInteger();
    private final Consumer<WebSocketConnection> onClosed;
    private volatile boolean stopping;

    /**
     * @param onClosed runs once a connection has finished closing, after it has left the
     *                 registry (the topics drop its subscriptions)
     */
    ConnectionRegistry(int maxConnections, Consumer<WebSocketConnection> onClosed) {
        this.maxConnections = maxConnections;
        this.onClosed = onClosed;
    }

    /** Takes a connection slot if one is free. */
    boolean tryAdmit() {
        return tryIncrement(admitted, maxConnections);
    }

    /** Takes a slot for answering 503 if one is free. */
    boolean tryAdmitRefusal() {
        return tryIncrement(refusals, MAX_REFUSALS);
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
        (task.overCapacity() ? refusals : admitted).decrementAndGet();
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
     * Offers one encoded frame to every open connection that passes {@code filter}.
     *
     * @return how many queued it
     */
    int broadcast(ByteBuffer frame, Predicate<? super WebSocket> filter) {
        return Fanout.offer(frame.asReadOnlyBuffer(), open.values(), filter);
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
