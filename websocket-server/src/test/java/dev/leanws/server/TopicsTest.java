package dev.leanws.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.BackpressurePolicy;
import dev.leanws.ConnectionState;
import dev.leanws.WebSocket;
import dev.leanws.codec.Opcode;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.EventFilter;
import dev.leanws.event.OpenEvent;
import dev.leanws.testing.Await;
import dev.leanws.testing.WireFrame;
import dev.leanws.testing.WirePeer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Topics on one server, over real connections: who gets a publish, and when subscriptions end. */
class TopicsTest extends ServerTestSupport {

    private WebSocketServer server;
    private EventRecorder events;

    /** Opens {@code n} raw peers and returns the server side of each, in order. */
    private List<Peer> peers(int n) throws Exception {
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            WirePeer raw = open(server);
            peers.add(new Peer(raw, events.next(OpenEvent.class).connection()));
        }
        return peers;
    }

    private record Peer(WirePeer raw, WebSocket ws) {
    }

    private void startServer() throws Exception {
        server = start();
        events = record(server);
    }

    @Test
    void aPublishReachesTheSubscribersOnlyWithOneEncoding() throws Exception {
        startServer();
        List<Peer> p = peers(3);
        Topics topics = server.topics();
        assertTrue(topics.subscribe(p.get(0).ws(), "news"));
        assertTrue(topics.subscribe(p.get(1).ws(), "news"));
        assertFalse(topics.subscribe(p.get(1).ws(), "news"), "already subscribed");
        assertTrue(topics.subscribe(p.get(2).ws(), "sport"));
        assertEquals(2, topics.subscriberCount("news"));
        assertEquals(0, topics.subscriberCount("weather"));
        assertEquals(Set.of("news", "sport"), topics.names());
        assertEquals(Set.of("news"), topics.topicsOf(p.get(0).ws()));

        assertEquals(2, topics.publish("news", "héllo"));
        assertEquals(1, topics.publish("sport", ByteBuffer.wrap(new byte[] {7, 8, 9}), null));
        assertEquals(0, topics.publish("weather", "nobody listens"));

        WireFrame a = p.get(0).raw().readFrame();
        WireFrame b = p.get(1).raw().readFrame();
        assertEquals("héllo", a.text());
        assertArrayEquals(a.raw(), b.raw());
        WireFrame binary = p.get(2).raw().readFrame();
        assertEquals(Opcode.BINARY.code(), binary.opcode());
        assertArrayEquals(new byte[] {7, 8, 9}, binary.payload());
    }

    @Test
    void aPublishCanLeaveOutOneConnection() throws Exception {
        startServer();
        List<Peer> p = peers(2);
        Topics topics = server.topics();
        p.forEach(peer -> topics.subscribe(peer.ws(), "room"));
        assertEquals(1, topics.publish("room", "not to the sender", p.get(0).ws()));
        assertEquals(2, topics.publish("room", "to all"));
        assertEquals("to all", p.get(0).raw().readFrame().text(), "the excluded connection got nothing before");
        assertEquals("not to the sender", p.get(1).raw().readFrame().text());
        assertEquals("to all", p.get(1).raw().readFrame().text());
    }

    @Test
    void anUnsubscribedConnectionGetsNothingMore() throws Exception {
        startServer();
        List<Peer> p = peers(1);
        Topics topics = server.topics();
        topics.subscribe(p.get(0).ws(), "a");
        topics.subscribe(p.get(0).ws(), "b");
        assertTrue(topics.unsubscribe(p.get(0).ws(), "a"));
        assertFalse(topics.unsubscribe(p.get(0).ws(), "a"));
        assertEquals(Set.of("b"), topics.names(), "a topic without subscribers is gone");
        assertEquals(0, topics.publish("a", "dropped"));
        topics.publish("b", "kept");
        assertEquals("kept", p.get(0).raw().readFrame().text());
    }

    @Test
    void subscriptionsEndWithTheConnection() throws Exception {
        startServer();
        List<Peer> p = peers(2);
        Topics topics = server.topics();
        for (String t : List.of("x", "y", "z")) {
            topics.subscribe(p.get(0).ws(), t);
        }
        topics.subscribe(p.get(1).ws(), "x");
        p.get(0).raw().sendClose(1000, "bye");
        p.get(0).raw().readUntilClose();
        p.get(0).raw().close();                                   // the TCP close ends the connection at once
        events.skipTo(CloseEvent.class);
        Await.until("the closed connection's subscriptions are gone", Duration.ofSeconds(5),
                () -> topics.names().equals(Set.of("x")) && topics.topicsOf(p.get(0).ws()).isEmpty());
        assertEquals(1, topics.subscriberCount("x"));
        assertFalse(topics.subscribe(p.get(0).ws(), "late"), "a closed connection cannot subscribe");
        assertEquals(Set.of("x"), topics.names());
    }

    @Test
    void aConnectionThatIsNotTheServersIsRefused() throws Exception {
        startServer();
        WebSocket stranger = (WebSocket) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {WebSocket.class}, (proxy, method, args) -> null);
        assertThrows(IllegalArgumentException.class, () -> server.topics().subscribe(stranger, "t"));
    }

    /** One subscriber stops reading: publishes never wait for it, the other subscriber keeps up. */
    @Test
    void aStalledSubscriberDelaysNeitherThePublisherNorTheOthers() throws Exception {
        server = start(b -> b.config(QUIET.toBuilder().maxOutboundBytes(64 * 1024)
                .backpressurePolicy(BackpressurePolicy.BLOCK).build()));
        events = record(server);
        List<Peer> p = peers(2);
        Peer stalled = p.get(0);
        Peer healthy = p.get(1);
        p.forEach(peer -> server.topics().subscribe(peer.ws(), "feed"));
        ByteBuffer message = ByteBuffer.allocate(8 * 1024);
        long slowest = 0;
        int skippedInARow = 0;
        for (int i = 0; i < 10_000 && skippedInARow < 20; i++) {
            long start = System.nanoTime();
            int takers = server.topics().publish("feed", message);
            slowest = Math.max(slowest, System.nanoTime() - start);
            assertEquals(Opcode.BINARY.code(), healthy.raw().readFrame().opcode());   // in lockstep
            skippedInARow = takers == 1 ? skippedInARow + 1 : 0;
        }
        assertEquals(20, skippedInARow, "once its kernel buffers are full, the stalled subscriber is skipped");
        assertTrue(TimeUnit.NANOSECONDS.toMillis(slowest) < 500, "a publish never waits: " + slowest);
        assertEquals(ConnectionState.OPEN, stalled.ws().state(), "BLOCK skips it, as broadcast does");
    }

    /** Handlers of many connections subscribe and publish at once; the counts end consistent. */
    @Test
    void concurrentSubscribersAndPublishersFromHandlers() throws Exception {
        startServer();
        server.events().subscribe(EventFilter.textMessages(), e -> {
            String[] parts = e.text().split(" ", 2);
            switch (parts[0]) {
                case "sub" -> server.topics().subscribe(e.connection(), parts[1]);
                case "unsub" -> server.topics().unsubscribe(e.connection(), parts[1]);
                default -> server.topics().publish(parts[1], "from " + e.connection().id(), e.connection());
            }
        });
        List<Peer> p = peers(8);
        List<Thread> threads = new ArrayList<>();
        for (Peer peer : p) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 50; i++) {
                        peer.raw().sendText("sub t" + (i % 5));
                        peer.raw().sendText("pub t" + (i % 5));
                        peer.raw().sendText("unsub t" + (i % 5));
                    }
                    peer.raw().sendText("sub final");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        for (Thread t : threads) {
            assertTrue(t.join(Duration.ofSeconds(10)));
        }
        Await.until("every connection ends subscribed to 'final' only", Duration.ofSeconds(10),
                () -> server.topics().names().equals(Set.of("final")) && server.topics().subscriberCount("final") == 8);
        p.forEach(peer -> assertEquals(Set.of("final"), server.topics().topicsOf(peer.ws())));
    }

    @Test
    void aRelaySeesPublishesAndInterestButNotWhatItDelivers() throws Exception {
        startServer();
        List<Peer> p = peers(2);
        List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        Topics topics = server.topics();
        Topics.Link link = topics.attach(new TopicRelay() {
            @Override
            public void interestChanged(String topic) {
                calls.add("interest " + topic + " " + topics.subscriberCount(topic));
            }

            @Override
            public void published(String topic, ByteBuffer payload, boolean text) {
                calls.add("published " + topic + " " + StandardCharsets.UTF_8.decode(payload) + " " + text);
            }

            @Override
            public void broadcast(ByteBuffer payload, boolean text) {
                calls.add("broadcast " + payload.remaining() + " " + text);
            }
        });
        assertThrows(IllegalStateException.class, () -> topics.attach(new NoRelay()), "one relay at a time");
        topics.subscribe(p.get(0).ws(), "t");
        topics.subscribe(p.get(1).ws(), "t");                     // not the first: no call
        topics.publish("t", "local");
        assertEquals(2, link.deliver("t", ByteBuffer.wrap("remote".getBytes(StandardCharsets.UTF_8)), true));
        assertEquals(0, link.deliver("t", ByteBuffer.wrap(new byte[] {(byte) 0xff}), true), "not UTF-8: dropped");
        server.broadcast(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        server.broadcast("filtered: stays here", ws -> true);
        assertEquals(2, link.broadcast(ByteBuffer.wrap(new byte[] {4}), false));
        topics.unsubscribe(p.get(0).ws(), "t");
        topics.unsubscribe(p.get(1).ws(), "t");                   // the last: a call
        link.detach();
        topics.publish("t", "after detach");
        assertEquals(List.of("interest t 1", "published t local true", "broadcast 3 false", "interest t 0"), calls);
        for (Peer peer : p) {
            assertEquals("local", peer.raw().readFrame().text());
            assertEquals("remote", peer.raw().readFrame().text());
            assertArrayEquals(new byte[] {1, 2, 3}, peer.raw().readFrame().payload());
            assertEquals("filtered: stays here", peer.raw().readFrame().text());
            assertArrayEquals(new byte[] {4}, peer.raw().readFrame().payload());
        }
    }

    private static final class NoRelay implements TopicRelay {
        @Override
        public void interestChanged(String topic) {
        }

        @Override
        public void published(String topic, ByteBuffer payload, boolean text) {
        }

        @Override
        public void broadcast(ByteBuffer payload, boolean text) {
        }
    }
}
