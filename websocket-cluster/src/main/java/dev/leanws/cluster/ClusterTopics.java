package dev.leanws.cluster;

import dev.leanws.server.TopicRelay;
import dev.leanws.server.Topics;
import dev.leanws.server.WebSocketServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a server's {@link WebSocketServer#topics() topics} and unfiltered
 * {@link WebSocketServer#broadcast(String) broadcasts} span every node attached to the same
 * broker. The application keeps using {@code server.topics()} as on one node.
 *
 * <pre>{@code
 * WebSocketServer server = WebSocketServer.builder().port(8080).build().start();
 * ClusterTopics cluster = ClusterTopics.attach(server, RedisBroker.create("redis://127.0.0.1:6379"));
 * server.topics().subscribe(ws, "room:42");          // this node subscribes to Redis once for room:42
 * server.topics().publish("room:42", "hi");           // subscribers on every node get it once
 * ...
 * cluster.close();                                    // detach, disconnect; then server.close()
 * }</pre>
 *
 * <p><b>How.</b> Each topic with at least one local subscriber is one broker subscription of
 * this node, however many clients subscribe (a background thread follows the local interest, so
 * subscribing never waits for the broker; a publish from another node reaches a new local
 * subscriber once the broker has confirmed). A publish is delivered to local subscribers at
 * once and sent to the broker tagged with this node's id; when the broker hands it back, this
 * node skips it, so no one gets it twice. Messages from other nodes are fanned out locally,
 * encoded once.
 *
 * <p><b>Guarantees.</b> At most once across nodes: while the broker is unreachable, local
 * delivery goes on, publishes to other nodes are dropped and counted by the broker, and nothing
 * is replayed afterwards. Order is kept per publishing node and topic.
 */
public final class ClusterTopics implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterTopics.class);
    /** Default channel prefix, so that several applications can share one Redis. */
    public static final String DEFAULT_PREFIX = "leanws:";

    private final WebSocketServer server;
    private final Broker broker;
    private final String topicPrefix;
    private final String broadcastChannel;
    private final byte[] nodeId = new byte[Envelope.NODE_ID_BYTES];
    private final Set<String> brokerSubscribed = ConcurrentHashMap.newKeySet();   // by the worker only
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final LinkedBlockingQueue<String> changes = new LinkedBlockingQueue<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private volatile Topics.Link link;
    private volatile boolean closed;
    private Thread worker;

    private ClusterTopics(WebSocketServer server, Broker broker, String prefix) {
        this.server = server;
        this.broker = broker;
        this.topicPrefix = prefix + "topic:";
        this.broadcastChannel = prefix + "broadcast";
        new SecureRandom().nextBytes(nodeId);
    }

    /** {@link #attach(WebSocketServer, Broker, String)} with {@link #DEFAULT_PREFIX}. */
    public static ClusterTopics attach(WebSocketServer server, Broker broker) throws IOException {
        return attach(server, broker, DEFAULT_PREFIX);
    }

    /**
     * Starts {@code broker} (failing fast on a bad configuration) and attaches it to the
     * server's topics. Topics that already have subscribers are subscribed at once.
     *
     * @param channelPrefix prepended to the broker channel names: topic {@code t} is channel
     *                      {@code prefix + "topic:" + t}; broadcasts go to {@code prefix + "broadcast"}
     * @throws IOException           if the broker cannot start (unreachable, login refused); it is closed
     * @throws IllegalStateException if the server's topics have a relay already
     */
    public static ClusterTopics attach(WebSocketServer server, Broker broker, String channelPrefix)
            throws IOException {
        ClusterTopics cluster = new ClusterTopics(Objects.requireNonNull(server, "server"),
                Objects.requireNonNull(broker, "broker"), Objects.requireNonNull(channelPrefix, "channelPrefix"));
        try {
            broker.start(cluster::onBrokerMessage);
            broker.subscribe(cluster.broadcastChannel);
            cluster.link = server.topics().attach(cluster.new Relay());
        } catch (IOException | RuntimeException e) {
            broker.close();
            throw e;
        }
        cluster.worker = Thread.ofVirtual().name("leanws-cluster-topics").start(cluster::followInterest);
        server.topics().names().forEach(cluster::interestChanged);
        LOG.info("node {} joined the cluster through {}", cluster.nodeId(), broker);
        return cluster;
    }

    /** This node's id in the cluster (random per attach), as hex. */
    public String nodeId() {
        return HexFormat.of().formatHex(nodeId);
    }

    /** The broker this node uses. */
    public Broker broker() {
        return broker;
    }

    /** Messages from other nodes delivered here since attach (topics and broadcasts). */
    public long received() {
        return received.get();
    }

    /**
     * Detaches from the server's topics (publishes stay local from now on) and closes the
     * broker. The server keeps running. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Topics.Link l = link;
        if (l != null) {
            l.detach();
        }
        Thread w = worker;
        if (w != null) {
            w.interrupt();
        }
        broker.close();   // first: a worker blocked writing to a stalled Redis is released by it
        if (w != null) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "ClusterTopics[node " + nodeId() + ", " + broker + "]";
    }

    private void interestChanged(String topic) {
        if (queued.add(topic)) {
            changes.add(topic);
        }
    }

    /**
     * Brings the broker subscriptions in line with the local interest, one topic at a time on
     * this thread: reading the state when the change is handled (not when it was announced)
     * makes racing first-subscribe and last-unsubscribe calls settle on the truth.
     */
    private void followInterest() {
        Topics topics = server.topics();
        try {
            while (!closed) {
                String topic = changes.take();
                queued.remove(topic);   // before reading: a change after this read queues it again
                boolean wanted = topics.subscriberCount(topic) > 0;
                if (wanted && brokerSubscribed.add(topic)) {
                    broker.subscribe(topicPrefix + topic);
                } else if (!wanted && brokerSubscribed.remove(topic)) {
                    broker.unsubscribe(topicPrefix + topic);
                }
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    private void onBrokerMessage(String channel, byte[] message) {
        Envelope e = Envelope.decode(message);
        Topics.Link l = link;
        if (e == null || l == null) {
            ignored.incrementAndGet();
            return;
        }
        if (e.from(nodeId)) {
            return;   // our own publication, delivered locally when it was made
        }
        if (channel.equals(broadcastChannel)) {
            received.incrementAndGet();
            l.broadcast(e.payload(), e.text());
        } else if (channel.startsWith(topicPrefix)) {
            received.incrementAndGet();
            l.deliver(channel.substring(topicPrefix.length()), e.payload(), e.text());
        } else {
            ignored.incrementAndGet();
        }
    }

    /** The server's side: what happens here goes to the broker. */
    private final class Relay implements TopicRelay {
        @Override
        public void interestChanged(String topic) {
            ClusterTopics.this.interestChanged(topic);
        }

        @Override
        public void published(String topic, ByteBuffer payload, boolean text) {
            broker.publish(topicPrefix + topic, Envelope.encode(nodeId, text, payload));
        }

        @Override
        public void broadcast(ByteBuffer payload, boolean text) {
            broker.publish(broadcastChannel, Envelope.encode(nodeId, text, payload));
        }

        @Override
        public String toString() {
            return ClusterTopics.this.toString();
        }
    }
}
