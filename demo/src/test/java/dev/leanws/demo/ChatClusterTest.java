package dev.leanws.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leanws.testing.RedisProcess;
import dev.leanws.testing.JdkClient;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code chat --redis}: two chat nodes on two ports with one real redis-server form one room. */
@Timeout(60)
class ChatClusterTest {

    private RedisProcess redis;
    private ChatServer one;
    private ChatServer two;

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {one, two, redis}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void twoNodesOneRoom() throws Exception {
        assumeTrue(RedisProcess.available(), RedisProcess.SKIP);
        redis = RedisProcess.start();
        one = ChatServer.start(new ChatServer.Settings("127.0.0.1", 0, 1000, 1000, redis.url()));
        two = ChatServer.start(new ChatServer.Settings("127.0.0.1", 0, 1000, 1000, redis.url()));
        try (JdkClient ada = joined(one, "ada")) {
            // Node one subscribes to Redis in the background: wait, or bob's join could pass it by.
            await(() -> subscribers("chat") == 1 && subscribers("user:ada") == 1);
            try (JdkClient bob = joined(two, "bob")) {
                await(() -> subscribers("chat") == 2 && subscribers("user:bob") == 1);
                converse(ada, bob);
            }
        }
    }

    private static void converse(JdkClient ada, JdkClient bob) throws Exception {
        assertEquals("{\"type\":\"join\",\"nick\":\"bob\"}", ada.nextText(), "a join on the other node");

        ada.send("hello from node one");
        String said = "{\"type\":\"message\",\"from\":\"ada\",\"text\":\"hello from node one\"}";
        assertEquals(said, ada.nextText());
        assertEquals(said, bob.nextText());

        bob.send("/msg ada psst");
        String whisper = "{\"type\":\"private\",\"from\":\"bob\",\"to\":\"ada\",\"text\":\"psst\"}";
        assertEquals(whisper, bob.nextText(), "the sender sees what it sent");
        assertEquals(whisper, ada.nextText(), "across nodes, through ada's user topic");

        bob.send("/who");
        assertEquals("{\"type\":\"who\",\"users\":[\"bob\"]}", bob.nextText(), "presence stays per node");

        bob.send("/quit");
        assertTrue(ada.nextText().startsWith("{\"type\":\"leave\",\"nick\":\"bob\""));
    }

    private JdkClient joined(ChatServer node, String nick) throws Exception {
        JdkClient c = JdkClient.open(node.server().port(), ChatServer.SUBPROTOCOL);
        assertTrue(c.nextText().contains("welcome to leanws chat"));
        c.send("/nick " + nick);
        assertTrue(c.nextText().startsWith("{\"type\":\"welcome\",\"nick\":\"" + nick + "\""));
        return c;
    }

    private long subscribers(String topic) {
        try {
            return redis.subscribers("leanws:topic:" + topic);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "the nodes did not subscribe within 15 s");
            Thread.sleep(5);   // a poll interval
        }
    }
}
