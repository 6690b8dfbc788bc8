package dev.leanws.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.testing.JdkClient;
import dev.leanws.server.WebSocketServer;
import dev.leanws.testing.RedisProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Redis going away and coming back; configurations that cannot work fail at once, clearly. */
class RedisFaultsTest extends ClusterTestSupport {

    @Test
    void redisRestartedMidTestNodesResubscribeAndDeliveryResumes() throws Exception {
        RedisProcess redis = redis();
        Node a = node(redis.url());
        Node b = node(redis.url());
        JdkClient a1 = subscriber(a, "feed");
        JdkClient b1 = subscriber(b, "feed");
        a1.send("pub feed before");
        assertEquals("before", a1.nextText());
        assertEquals("before", b1.nextText());

        redis.kill();
        await("both nodes noticed the outage", () -> !a.broker().isConnected() && !b.broker().isConnected());
        a1.send("pub feed during");
        assertEquals("during", a1.nextText(), "local delivery goes on during the outage");
        await("the publish to other nodes was counted as lost", () -> a.broker().lostPublications() >= 1);

        redis.restart();
        await("both nodes reconnected and subscribed again", () -> a.subscribedTo("feed") && b.subscribedTo("feed"));
        assertEquals(2, redis.subscribers(CHANNEL_PREFIX + "feed"));
        assertEquals(1, a.broker().reconnections());
        a1.send("pub feed after");
        assertEquals("after", a1.nextText());
        assertEquals("after", b1.nextText(), "b never got 'during' (at most once), and gets what follows");
        b1.send("pub feed back");
        assertEquals("back", a1.nextText());
    }

    @Test
    void anUnreachableRedisFailsAtStartWithItsAddress() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> node("redis://127.0.0.1:" + closedPort));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 3000, "fails fast");
        assertTrue(e.getMessage().startsWith("cannot connect to Redis at redis://127.0.0.1:" + closedPort), e.getMessage());
    }

    @Test
    void aWrongPasswordFailsAtStartAndSaysSo() throws Exception {
        RedisProcess redis = redis("--requirepass", "right");
        String wrong = "redis://:hunter2@127.0.0.1:" + redis.port();
        IOException e = assertThrows(IOException.class, () -> node(wrong));
        assertTrue(e.getMessage().contains("refused AUTH") && e.getMessage().contains("WRONGPASS"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), "the password is not in the message: " + e.getMessage());

        IOException none = assertThrows(IOException.class, () -> node(redis.url()));
        assertTrue(none.getMessage().contains("NOAUTH") && none.getMessage().contains("no password"), none.getMessage());

        Node ok = node("redis://:right@127.0.0.1:" + redis.port());
        JdkClient c = subscriber(ok, "t");
        c.send("pub t works");
        assertEquals("works", c.nextText());
    }

    @Test
    void anAclUserLogsInWithUserAndPassword() throws Exception {
        RedisProcess redis = redis("--user", "default", "off",
                "--user", "node", "on", ">s3cret", "~*", "&leanws:*", "+@all");
        String url = "redis://node:s3cret@127.0.0.1:" + redis.port();
        Node a = node(url);
        Node b = node(url);
        JdkClient a1 = subscriber(a, "acl");
        JdkClient b1 = subscriber(b, "acl");
        b1.send("pub acl across");
        assertEquals("across", a1.nextText());
        assertEquals("across", b1.nextText());

        IOException e = assertThrows(IOException.class, () -> node("redis://node:nope@127.0.0.1:" + redis.port()));
        assertTrue(e.getMessage().contains("for user 'node'") && e.getMessage().contains("WRONGPASS"), e.getMessage());
    }

    @Test
    void aFailedAttachLeavesTheServerWithoutARelay() throws Exception {
        WebSocketServer server = closeLater(WebSocketServer.builder().build().start());
        assertThrows(IOException.class, () -> ClusterTopics.attach(server, RedisBroker.builder("redis://127.0.0.1:1")
                .connectTimeout(Duration.ofSeconds(1)).build()));
        RedisProcess redis = redis();
        closeLater(ClusterTopics.attach(server, RedisBroker.create(redis.url())));   // a later attach works
    }
}
