package dev.leanws.server;

import dev.leanws.WebSocket;
import dev.leanws.codec.Opcode;
import dev.leanws.runtime.MetricsRecorder;
import dev.leanws.runtime.WebSocketConnection;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named topics on one server (publish/subscribe): a connection subscribes to names, a publish
 * reaches every subscriber of its topic. The frame is encoded once and the same bytes go to
 * each subscriber's queue under that subscriber's own slow-consumer policy, as
 * {@link WebSocketServer#broadcast(String)} does: a slow subscriber is skipped or closed, never
 * waited for, so it delays neither the publisher nor the others.
 *
 * <pre>{@code
 * Topics topics = server.topics();
 * server.events().subscribe(EventFilter.textMessages(), e -> {
 *     String line = e.text();
 *     if (line.startsWith("/join ")) {
 *         topics.subscribe(e.connection(), line.substring(6));
 *     } else if (line.startsWith("/leave ")) {
 *         topics.unsubscribe(e.connection(), line.substring(7));
 *     } else {
 *         for (String room : topics.topicsOf(e.connection())) {
 *             topics.publish(room, line, e.connection());   // to the room, not back to the sender
 *         }
 *     }
 * });
 * topics.publish("prices", ByteBuffer.wrap(tick));       // from any thread
 * }</pre>
 *
 * <p>A connection's subscriptions end when it closes. Topics exist while they have
 * subscribers; their number and their subscribers are bounded only by memory (and the server's
 * connection limit). Every method is thread-safe and lock-free for publishers; subscribing and
 * unsubscribing take only the short per-entry locks of {@link ConcurrentHashMap}, never around
 * I/O. A publish made while another thread subscribes reaches the new subscriber or not, but
 * never half of a message.
 *
 * <p><b>Across nodes.</b> With a {@link TopicRelay} attached (the {@code websocket-cluster}
 * module's {@code ClusterTopics}), every publish also goes to the other nodes, whose relays
 * deliver it to their own subscribers; the counts returned here stay local.
 */
public final class Topics {

    private static final Logger LOG = LoggerFactory.getLogger(Topics.class);

    private final ConnectionRegistry registry;
    private final ConcurrentHashMap<String, Set<WebSocketConnection>> subscribers = new ConcurrentHashMap<>();
    /** The other direction, for topicsOf and for the cleanup when a connection closes. */
    private final ConcurrentHashMap<WebSocketConnection, Set<String>> byConnection = new ConcurrentHashMap<>();
    private final AtomicReference<Link> link = new AtomicReference<>();
    private final MetricsRecorder metrics;

    Topics(ConnectionRegistry registry, MetricsRecorder metrics) {
        this.registry = registry;
        this.metrics = metrics;
    }

    /**
     * Subscribes an open connection of this server to {@code topic}.
     *
     * @return true if it was not subscribed yet; false if it was, or if it is closing or closed
     *         (a closed connection has no subscriptions)
     * @throws IllegalArgumentException if {@code ws} is not a server connection
     */
    public boolean subscribe(WebSocket ws, String topic) {
        WebSocketConnection c = connection(ws);
        Objects.requireNonNull(topic, "topic");
        boolean[] added = new boolean[1];
        boolean[] first = new boolean[1];
        // Both maps change under c's entry lock, so concurrent subscribe and unsubscribe calls
        // for one connection cannot leave it in one map and not the other. Lock order: the
        // connection's entry, then the topic's; every path takes them in that order.
        byConnection.compute(c, (k, names) -> {
            Set<String> set = names != null ? names : ConcurrentHashMap.newKeySet();
            if (set.add(topic)) {
                added[0] = true;
                subscribers.compute(topic, (t, subs) -> {
                    Set<WebSocketConnection> s = subs;
                    if (s == null) {
                        s = ConcurrentHashMap.newKeySet();
                        first[0] = true;
                    }
                    s.add(c);
                    return s;
                });
            }
            return set;
        });
        // The registry forgets a connection before it runs connectionClosed(c): if that cleanup
        // ran before our entry, we see the connection gone here and undo it ourselves.
        if (added[0] && !registry.isOpen(c)) {
            remove(c, topic);
            return false;
        }
        if (first[0]) {
            interestChanged(topic);
        }
        return added[0];
    }

    /**
     * Unsubscribes a connection from {@code topic}.
     *
     * @return true if it was subscribed
     * @throws IllegalArgumentException if {@code ws} is not a server connection
     */
    public boolean unsubscribe(WebSocket ws, String topic) {
        return remove(connection(ws), Objects.requireNonNull(topic, "topic"));
    }

    /** {@link #publish(String, String, WebSocket)} to every subscriber. */
    public int publish(String topic, String text) {
        return publish(topic, text, null);
    }

    /**
     * Sends a text message to every subscriber of {@code topic} but {@code excluding} (e.g. the
     * connection it came from; null for none), encoded once. Never waits for a subscriber.
     *
     * @return how many local subscribers queued it
     */
    public int publish(String topic, String text, WebSocket excluding) {
        Objects.requireNonNull(text, "text");
        ByteBuffer payload = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
        int taken = deliver(topic, Opcode.TEXT, payload, excluding);
        metrics.published(taken);
        relayed(r -> r.published(topic, payload.duplicate(), true));
        return taken;
    }

    /** {@link #publish(String, ByteBuffer, WebSocket)} to every subscriber. */
    public int publish(String topic, ByteBuffer data) {
        return publish(topic, data, null);
    }

    /**
     * Sends a binary message (the buffer's remaining bytes; its position does not move) to every
     * subscriber of {@code topic} but {@code excluding} (null for none), encoded once.
     *
     * @return how many local subscribers queued it
     */
    public int publish(String topic, ByteBuffer data, WebSocket excluding) {
        ByteBuffer payload = data.slice().asReadOnlyBuffer();
        int taken = deliver(topic, Opcode.BINARY, payload, excluding);
        metrics.published(taken);
        relayed(r -> r.published(topic, payload.duplicate(), false));
        return taken;
    }

    /** How many connections of this server are subscribed to {@code topic}. */
    public int subscriberCount(String topic) {
        Set<WebSocketConnection> s = subscribers.get(topic);
        return s == null ? 0 : s.size();
    }

    /** The topics {@code ws} is subscribed to (a snapshot; empty once it has closed). */
    public Set<String> topicsOf(WebSocket ws) {
        Set<String> names = byConnection.get(connection(ws));
        return names == null ? Set.of() : Set.copyOf(names);
    }

    /** The topics with at least one subscriber on this server (a snapshot). */
    public Set<String> names() {
        return Set.copyOf(subscribers.keySet());
    }

    /**
     * Attaches a relay that carries publishes to other nodes; see {@link TopicRelay}.
     *
     * @return the relay's way in: local delivery of what other nodes published
     * @throws IllegalStateException if a relay is attached already
     */
    public Link attach(TopicRelay relay) {
        Link l = new Link(Objects.requireNonNull(relay, "relay"));
        if (!link.compareAndSet(null, l)) {
            throw new IllegalStateException("a relay is attached already: " + link.get().relay);
        }
        return l;
    }

    /** The connection has finished closing: drop its subscriptions (the registry calls this). */
    void connectionClosed(WebSocketConnection c) {
        Set<String> names = byConnection.get(c);
        if (names != null) {
            for (String topic : Set.copyOf(names)) {
                remove(c, topic);
            }
        }
    }

    /** An unfiltered broadcast was made here: hand it to the relay, if any. */
    void broadcastMade(ByteBuffer payload, boolean text) {
        relayed(r -> r.broadcast(payload.duplicate(), text));
    }

    private boolean remove(WebSocketConnection c, String topic) {
        boolean[] removed = new boolean[1];
        boolean[] last = new boolean[1];
        byConnection.computeIfPresent(c, (k, names) -> {
            if (names.remove(topic)) {
                removed[0] = true;
                subscribers.computeIfPresent(topic, (t, subs) -> {
                    subs.remove(c);
                    last[0] = subs.isEmpty();
                    return last[0] ? null : subs;
                });
            }
            return names.isEmpty() ? null : names;
        });
        if (last[0]) {
            interestChanged(topic);
        }
        return removed[0];
    }

    private int deliver(String topic, Opcode opcode, ByteBuffer payload, WebSocket excluding) {
        Set<WebSocketConnection> s = subscribers.get(Objects.requireNonNull(topic, "topic"));
        if (s == null || s.isEmpty()) {
            return 0;
        }
        return Fanout.offer(Fanout.encode(opcode, payload), s, c -> c != excluding);
    }

    private void interestChanged(String topic) {
        relayed(r -> r.interestChanged(topic));
    }

    private void relayed(java.util.function.Consumer<TopicRelay> call) {
        Link l = link.get();
        if (l == null) {
            return;
        }
        try {
            call.accept(l.relay);
        } catch (RuntimeException e) {
            LOG.warn("topic relay {} failed", l.relay, e);
        }
    }

    private static WebSocketConnection connection(WebSocket ws) {
        if (ws instanceof WebSocketConnection c) {
            return c;
        }
        throw new IllegalArgumentException("not a connection of a WebSocketServer: " + ws);
    }

    /**
     * An attached relay's way in: delivers what other nodes published to this node's
     * subscribers only (it is not handed back to the relay).
     */
    public final class Link {
        private final TopicRelay relay;

        private Link(TopicRelay relay) {
            this.relay = relay;
        }

        /**
         * Delivers a message published elsewhere to this node's subscribers of {@code topic}.
         * A text payload that is not valid UTF-8 is dropped (a client would have to fail the
         * connection on it, RFC 6455 §8.1).
         *
         * @return how many local subscribers queued it
         */
        public int deliver(String topic, ByteBuffer payload, boolean text) {
            if (text && !validUtf8(payload)) {
                return 0;
            }
            return Topics.this.deliver(topic, text ? Opcode.TEXT : Opcode.BINARY, payload, null);
        }

        /** Delivers a broadcast made elsewhere to every open connection of this node. */
        public int broadcast(ByteBuffer payload, boolean text) {
            if (text && !validUtf8(payload)) {
                return 0;
            }
            return registry.broadcast(Fanout.encode(text ? Opcode.TEXT : Opcode.BINARY, payload), c -> true);
        }

        /** Detaches the relay: publishes stay on this node from now on. */
        public void detach() {
            link.compareAndSet(this, null);
        }

        private static boolean validUtf8(ByteBuffer payload) {
            try {
                StandardCharsets.UTF_8.newDecoder().decode(payload.duplicate());
                return true;
            } catch (CharacterCodingException e) {
                LOG.debug("a relayed text message is not UTF-8; dropped");
                return false;
            }
        }
    }
}
