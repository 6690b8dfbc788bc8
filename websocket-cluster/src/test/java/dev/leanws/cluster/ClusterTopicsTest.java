package dev.leanws.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.testing.JdkClient;
import dev.leanws.testing.RedisProcess;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Three server nodes share topics and broadcasts through one real redis-server. */
class ClusterTopicsTest extends ClusterTestSupport {

    @Test
    void aPublishOnOneNodeReachesEverySubscriberOnEveryNodeOnce() throws Exception {
        RedisProcess redis = redis();
        Node a = node(redis.url());
        Node b = node(redis.url());
        Node c = node(redis.url());
        JdkClient a1 = subscriber(a, "room");
        JdkClient a2 = subscriber(a, "room");
        JdkClient b1 = subscriber(b, "room");
        JdkClient c1 = subscriber(c, "room");
        JdkClient publisher = client(c);                      // not a subscriber itself

        assertEquals(3, redis.subscribers(CHANNEL_PREFIX + "room"), "one Redis subscription per node, not per client");

        a1.send("pub room from-a");
        b1.send("pub room from-b");
        publisher.send("pub room from-c");
        for (JdkClient s : List.of(a1, a2, b1, c1)) {
            List<String> got = List.of(s.nextText(), s.nextText(), s.nextText());
            assertTrue(got.containsAll(List.of("from-a", "from-b", "from-c")), got.toString());
        }
        // Nothing twice: the next message each subscriber gets is a new one.
        a1.send("pub room end");
        for (JdkClient s : List.of(a1, a2, b1, c1)) {
            assertEquals("end", s.nextText());
        }
        assertNull(publisher.poll(50), "a client that did not subscribe gets nothing");
    }

    @Test
    void aPublishCanLeaveOutItsSenderAcrossNodes() throws Exception {
        RedisProcess redis = redis();
        Node a = node(redis.url());
        Node b = node(redis.url());
        JdkClient a1 = subscriber(a, "chat");
        JdkClient a2 = subscriber(a, "chat");
        JdkClient b1 = subscriber(b, "chat");
        a1.send("say chat hello");
        assertEquals("hello", a2.nextText());
        assertEquals("hello", b1.nextText());
        a2.send("pub chat next");
        assertEquals("next", a1.nextText(), "the sender did not get its own 'hello'");
    }

    @Test
    void broadcastReachesEveryConnectionOfEveryNode() throws Exception {
        RedisProcess redis = redis();
        Node a = node(redis.url());
        Node b = node(redis.url());
        Node c = node(redis.url());
        JdkClient a1 = client(a);
        JdkClient b1 = client(b);
        JdkClient c1 = client(c);
        await("every node subscribed to the broadcast channel", () -> List.of(a, b, c).stream()
                .allMatch(n -> n.broker().subscribedChannels().contains(ClusterTopics.DEFAULT_PREFIX + "broadcast")));
        a1.send("all to everyone");
        for (JdkClient x : List.of(a1, b1, c1)) {
            assertEquals("to everyone", x.nextText());
        }
        b1.send("all second");
        for (JdkClient x : List.of(a1, b1, c1)) {
            assertEquals("second", x.nextText(), "exactly once");
        }
    }

    @Test
    void aNodeSubscribesWhileItHasLocalSubscribersOnly() throws Exception {
        RedisProcess redis = redis();
        Node a = node(redis.url());
        String channel = CHANNEL_PREFIX + "t";
        JdkClient first = subscriber(a, "t");
        JdkClient second = subscriber(a, "t");
        assertEquals(1, redis.subscribers(channel));
        first.send("unsub t");
        await("one local subscriber left", () -> a.server().topics().subscriberCount("t") == 1);
        assertEquals(1, redis.subscribers(channel), "still subscribed for the other client");
        second.close();                                        // the last one goes away with its connection
        await("the node unsubscribed from Redis", () -> !a.subscribedTo("t"));
        assertEquals(0, redis.subscribers(channel));
    }

    @Test
    void aNodeThatLeavesStopsReceivingAndTheOthersGoOn() throws Exception {
        RedisProcess redis = redis();
        Node a = node(redis.url());
        Node b = node(redis.url());
        Node c = node(redis.url());
        JdkClient a1 = subscriber(a, "news");
        JdkClient b1 = subscriber(b, "news");
        JdkClient c1 = subscriber(c, "news");
        assertEquals(3, redis.subscribers(CHANNEL_PREFIX + "news"));
        c.cluster().close();
        c.server().close();
        assertEquals(2, redis.subscribers(CHANNEL_PREFIX + "news"));
        a1.send("pub news after-c-left");
        assertEquals("after-c-left", a1.nextText());
        assertEquals("after-c-left", b1.nextText());
        assertFalse(c.server().isRunning());
        assertTrue(c1.poll(50) instanceof JdkClient.Closed, "c's client was closed by its server, got nothing else");
    }
}
