package dev.leanws.runtime;

import dev.leanws.CloseCause;
import dev.leanws.WebSocketMetrics;
import dev.leanws.event.CloseEvent;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The counters of one server (or one client handle) behind its {@link WebSocketMetrics}
 * snapshots. Only rare things touch it (a handshake, an open, a close, a broadcast), through
 * striped {@link LongAdder}s; messages and bytes are counted by each connection in its own
 * {@link TrafficCounters}, added here when it closes and read live by {@link #snapshot()}.
 *
 * <p>A close moves a connection's counts from the live set to the totals under a lock that a
 * snapshot also takes, so no snapshot counts a connection twice or misses it.
 */
public final class MetricsRecorder implements ConnectionMetrics {

    private static final CloseCause[] CAUSES = CloseCause.values();

    private final Set<WebSocketConnection> live = ConcurrentHashMap.newKeySet();
    private final ReentrantLock moving = new ReentrantLock();
    private final LongAdder opened = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final Map<Integer, LongAdder> refused = new ConcurrentHashMap<>();
    private final LongAdder[] byCause = new LongAdder[CAUSES.length];
    private final Map<Integer, LongAdder> byCode = new ConcurrentHashMap<>();
    private final LongAdder publishes = new LongAdder();
    private final LongAdder deliveries = new LongAdder();
    // totals of closed connections; written under `moving`
    private long textIn, binaryIn, bytesIn, textOut, binaryOut, bytesOut;
    private volatile LongSupplier memoryUsed;
    private volatile LongSupplier memoryLimit;

    public MetricsRecorder() {
        for (int i = 0; i < byCause.length; i++) {
            byCause[i] = new LongAdder();
        }
    }

    @Override
    public void opened(WebSocketConnection connection) {
        opened.increment();
        live.add(connection);
    }

    @Override
    public void closed(WebSocketConnection connection, CloseEvent event) {
        TrafficCounters t = connection.traffic();
        moving.lock();
        try {
            if (!live.remove(connection)) {
                return;
            }
            textIn += t.textMessagesIn();
            binaryIn += t.binaryMessagesIn();
            bytesIn += t.bytesIn();
            textOut += t.textMessagesOut();
            binaryOut += t.binaryMessagesOut();
            bytesOut += t.bytesOut();
        } finally {
            moving.unlock();
        }
        byCause[event.cause().ordinal()].increment();
        count(byCode, event.code());
    }

    /** An opening handshake was answered: 101 counts as accepted, any other status as refused. */
    public void handshake(int status) {
        if (status == 101) {
            accepted.increment();
        } else {
            count(refused, status);
        }
    }

    /**
     * A broadcast or a topic publish was offered to connections.
     *
     * @param delivered how many connections queued it
     */
    public void published(int delivered) {
        publishes.increment();
        deliveries.add(delivered);
    }

    /**
     * Binds the server-wide memory budget, read at each snapshot (the budget itself is not
     * part of this class).
     *
     * @param used  bytes held against the budget now
     * @param limit the budget's size
     */
    public void bindMemoryBudget(LongSupplier used, LongSupplier limit) {
        this.memoryUsed = Objects.requireNonNull(used, "used");
        this.memoryLimit = Objects.requireNonNull(limit, "limit");
    }

    /** Keys are bounded: HTTP statuses 100-599, close codes 1000-4999 (others are violations). */
    private static void count(Map<Integer, LongAdder> map, int key) {
        LongAdder adder = map.get(key);
        if (adder == null) {
            adder = map.computeIfAbsent(key, k -> new LongAdder());
        }
        adder.increment();
    }

    /** Connections open now. */
    public int openConnections() {
        return live.size();
    }

    /** The counters now, the live connections' counts and queues included. */
    public WebSocketMetrics snapshot() {
        long tIn, bIn, byIn, tOut, bOut, byOut;
        long queued = 0;
        long queuedMax = 0;
        int open = 0;
        moving.lock();
        try {
            tIn = textIn;
            bIn = binaryIn;
            byIn = bytesIn;
            tOut = textOut;
            bOut = binaryOut;
            byOut = bytesOut;
            for (WebSocketConnection c : live) {
                TrafficCounters t = c.traffic();
                tIn += t.textMessagesIn();
                bIn += t.binaryMessagesIn();
                byIn += t.bytesIn();
                tOut += t.textMessagesOut();
                bOut += t.binaryMessagesOut();
                byOut += t.bytesOut();
                long q = c.bufferedAmount();
                queued += q;
                queuedMax = Math.max(queuedMax, q);
                open++;
            }
        } finally {
            moving.unlock();
        }
        Map<CloseCause, Long> causes = new EnumMap<>(CloseCause.class);
        for (CloseCause c : CAUSES) {
            causes.put(c, byCause[c.ordinal()].sum());
        }
        LongSupplier used = memoryUsed;
        LongSupplier limit = memoryLimit;
        return new WebSocketMetrics(open, opened.sum(), accepted.sum(), sums(refused),
                new WebSocketMetrics.Traffic(tIn, bIn, byIn), new WebSocketMetrics.Traffic(tOut, bOut, byOut),
                causes, sums(byCode), queued, queuedMax,
                used == null ? -1 : used.getAsLong(), limit == null ? -1 : limit.getAsLong(),
                publishes.sum(), deliveries.sum());
    }

    private static Map<Integer, Long> sums(Map<Integer, LongAdder> map) {
        Map<Integer, Long> sums = new HashMap<>();
        map.forEach((k, v) -> sums.put(k, v.sum()));
        return sums;
    }
}
