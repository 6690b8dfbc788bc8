package dev.leanws;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A snapshot of a server's (or a client's) counters: connections, handshakes, traffic, why
 * connections ended, outbound queues, the memory budget and publishes. Taken on demand
 * ({@code server.metrics()}, {@code client.metrics()}); counting costs the message path no
 * shared write, and taking a snapshot walks the live connections once.
 *
 * <pre>{@code
 * WebSocketMetrics m = server.metrics();
 * log.info("{} open, {} in / {} out, {} slow consumers", m.connectionsOpen(),
 *         m.received().messages(), m.sent().messages(), m.slowConsumerCloses());
 * // one line serves it to Prometheus on the server's plain HTTP side:
 * WebSocketServer.builder().httpHandler(request -> request.path().equals("/metrics")
 *         ? HttpResponse.of(200, PrometheusText.CONTENT_TYPE, server.metrics().toPrometheusBytes())
 *         : null);
 * }</pre>
 *
 * <p>Counters only grow (a snapshot may lag a message or two behind the wire: each connection
 * publishes its counts without a fence). Counts of closed connections are added to the totals
 * when they close, so the totals never count a connection twice.
 *
 * @param connectionsOpen        connections open now (handshake done, not yet closed)
 * @param connectionsOpened      connections ever opened
 * @param handshakesAccepted     upgrades answered 101 (a client: handshakes it completed)
 * @param handshakesRefused      refused upgrades by HTTP status (a server also counts 503 past its
 *                               connection limit and 400/431/505 for malformed request heads);
 *                               only statuses seen, in order
 * @param received               messages and bytes received
 * @param sent                   messages queued and bytes written
 * @param closesByCause          closed connections by cause, every cause present (zeros included)
 * @param closesByCode           closed connections by close code (1006: dropped without a closing
 *                               handshake); only codes seen, in order
 * @param outboundQueuedBytes    bytes queued outbound now, summed over the open connections
 * @param outboundQueuedMaxBytes the most bytes queued on one open connection now
 * @param memoryUsedBytes        bytes held against the server-wide memory budget, or -1 without one
 * @param memoryLimitBytes       that budget's size, or -1 without one
 * @param publishes              broadcasts and topic publishes
 * @param publishDeliveries      connections that queued a broadcast or published message
 */
public record WebSocketMetrics(long connectionsOpen, long connectionsOpened, long handshakesAccepted,
        Map<Integer, Long> handshakesRefused, Traffic received, Traffic sent, Map<CloseCause, Long> closesByCause,
        Map<Integer, Long> closesByCode, long outboundQueuedBytes, long outboundQueuedMaxBytes,
        long memoryUsedBytes, long memoryLimitBytes, long publishes, long publishDeliveries) {

    /** The causes that mean a deadline passed: the peer (or the application) was too slow. */
    public static final Set<CloseCause> DEADLINE_CAUSES = Collections.unmodifiableSet(EnumSet.of(
            CloseCause.PONG_TIMEOUT, CloseCause.IDLE_TIMEOUT, CloseCause.FRAME_TIMEOUT,
            CloseCause.WRITE_TIMEOUT, CloseCause.CLOSE_TIMEOUT));

    /**
     * Messages and bytes one way.
     *
     * @param textMessages   text messages
     * @param binaryMessages binary messages
     * @param bytes          bytes on the WebSocket stream (frame headers and control frames
     *                       included; after TLS decryption, before deflate inflation)
     */
    public record Traffic(long textMessages, long binaryMessages, long bytes) {
        /** Text and binary messages. */
        public long messages() {
            return textMessages + binaryMessages;
        }
    }

    public WebSocketMetrics {
        Objects.requireNonNull(received, "received");
        Objects.requireNonNull(sent, "sent");
        handshakesRefused = Collections.unmodifiableSortedMap(new TreeMap<>(handshakesRefused));
        closesByCode = Collections.unmodifiableSortedMap(new TreeMap<>(closesByCode));
        EnumMap<CloseCause, Long> causes = new EnumMap<>(CloseCause.class);
        for (CloseCause c : CloseCause.values()) {
            causes.put(c, closesByCause.getOrDefault(c, 0L));
        }
        closesByCause = Collections.unmodifiableMap(causes);
    }

    /** Refused handshakes, every status. */
    public long handshakesRefusedTotal() {
        return handshakesRefused.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Closed connections, every cause. */
    public long closes() {
        return closesByCause.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Connections closed for this cause. */
    public long closes(CloseCause cause) {
        return closesByCause.get(cause);
    }

    /** Connections closed because their outbound budget overflowed under the CLOSE policy (1008). */
    public long slowConsumerCloses() {
        return closes(CloseCause.SLOW_CONSUMER);
    }

    /** Connections ended by a deadline, by kind (the {@link #DEADLINE_CAUSES}). */
    public Map<CloseCause, Long> deadlineDrops() {
        EnumMap<CloseCause, Long> drops = new EnumMap<>(CloseCause.class);
        DEADLINE_CAUSES.forEach(c -> drops.put(c, closes(c)));
        return Collections.unmodifiableMap(drops);
    }

    /** This snapshot in the Prometheus text format 0.0.4 (see {@link PrometheusText}). */
    public String toPrometheus() {
        return PrometheusText.format(this, Map.of());
    }

    /** {@link #toPrometheus()} as UTF-8 bytes, e.g. for an HTTP response body. */
    public byte[] toPrometheusBytes() {
        return toPrometheus().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** One line for a log: open connections, traffic both ways, closes, refusals, queued bytes. */
    public String summary() {
        return "open=" + connectionsOpen + " opened=" + connectionsOpened
                + " msgs in/out=" + received.messages() + "/" + sent.messages()
                + " bytes in/out=" + received.bytes() + "/" + sent.bytes()
                + " closes=" + closes() + " slow=" + slowConsumerCloses()
                + " refused=" + handshakesRefusedTotal()
                + " queued=" + outboundQueuedBytes + " (max " + outboundQueuedMaxBytes + ")"
                + (memoryLimitBytes >= 0 ? " memory=" + memoryUsedBytes + "/" + memoryLimitBytes : "");
    }
}
