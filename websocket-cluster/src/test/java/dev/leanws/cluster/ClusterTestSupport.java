package dev.leanws.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leanws.WebSocketConfig;
import dev.leanws.event.EventFilter;
import dev.leanws.testing.Await;
import dev.leanws.testing.JdkClient;
import dev.leanws.server.WebSocketServer;
import dev.leanws.testing.RedisProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Server nodes joined through a real redis-server, and JDK WebSocket clients on them; all
 * closed after each test (nodes, clients, then the redis-server processes, by PID).
 *
 * <p>Each node speaks a tiny line protocol so that tests drive it as clients would:
 * {@code sub T}, {@code unsub T}, {@code pub T TEXT} (to every subscriber),
 * {@code say T TEXT} (to every subscriber but the sender), {@code all TEXT} (broadcast).
 */
abstract class ClusterTestSupport {

    static final String CHANNEL_PREFIX = ClusterTopics.DEFAULT_PREFIX + "topic:";

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void requireRedis() {
        assumeTrue(RedisProcess.available(), RedisProcess.SKIP);
    }

    /** One server node with its cluster bridge. */
    record Node(WebSocketServer server, ClusterTopics cluster) {
        RedisBroker broker() {
            return (RedisBroker) cluster.broker();
        }

        /** Whether Redis confirmed this node's subscription to the topic. */
        boolean subscribedTo(String topic) {
            return broker().subscribedChannels().contains(CHANNEL_PREFIX + topic);
        }
    }

    RedisProcess redis(String... args) throws IOException {
        return closeLater(RedisProcess.start(args));
    }

    Node node(String redisUrl) throws IOException {
        return node(RedisBroker.builder(redisUrl).reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .pingInterval(Duration.ofSeconds(1)).build());
    }

    Node node(RedisBroker broker) throws IOException {
        WebSocketServer server = WebSocketServer.builder()
                .config(WebSocketConfig.builder().pingInterval(Duration.ZERO).build())
                .build();
        server.events().subscribe(EventFilter.textMessages(), e -> {
            String[] w = e.text().split(" ", 3);
            var topics = server.topics();
            switch (w[0]) {
                case "sub" -> topics.subscribe(e.connection(), w[1]);
                case "unsub" -> topics.unsubscribe(e.connection(), w[1]);
                case "pub" -> topics.publish(w[1], w[2]);
                case "say" -> topics.publish(w[1], w[2], e.connection());
                case "all" -> server.broadcast(e.text().substring(4));
                default -> e.connection().send("unknown: " + e.text());
            }
        });
        server.start();
        closeLater(server);
        ClusterTopics cluster = closeLater(ClusterTopics.attach(server, broker));
        return new Node(server, cluster);
    }

    JdkClient client(Node node) throws Exception {
        return closeLater(JdkClient.open(node.server().port()));
    }

    /** A client subscribed to {@code topic} on {@code node}, once the node's Redis subscription is confirmed. */
    JdkClient subscriber(Node node, String topic) throws Exception {
        JdkClient c = client(node);
        int before = node.server().topics().subscriberCount(topic);
        c.send("sub " + topic);
        await("subscribed to " + topic, () -> node.server().topics().subscriberCount(topic) > before
                && node.subscribedTo(topic));
        return c;
    }

    <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(c);
        return c;
    }

    @AfterEach
    void closeAll() throws Exception {
        // Clients first, then nodes (cluster before its server), then the redis-servers: reverse order.
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    static void await(String what, BooleanSupplier condition) {
        Await.until(what, Duration.ofSeconds(15), condition);   // Redis round trips: a longer default
    }
}
