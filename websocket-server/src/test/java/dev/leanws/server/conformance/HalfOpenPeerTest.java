package dev.leanws.server.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.WebSocketConfig;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.EventFilter;
import dev.leanws.testing.Await;
import dev.leanws.testing.RawFrames;
import dev.leanws.testing.WireFrame;
import dev.leanws.testing.WireLog;
import dev.leanws.testing.WirePeer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Half-open peers (gone without a FIN: they keep the socket but never answer) are reaped by
 * keep-alive: 50 of them are dropped once their ping goes unanswered for the pong timeout,
 * while a peer that answers every ping stays connected.
 */
class HalfOpenPeerTest {

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void silentPeersAreDroppedAfterPingIntervalPlusPongTimeoutAndLivePeersStay() throws Exception {
        WebSocketConfig config = EchoServer.CONFIG.toBuilder()
                .pingInterval(Duration.ofMillis(200)).pongTimeout(Duration.ofMillis(300)).build();
        Queue<CloseEvent> closes = new ConcurrentLinkedQueue<>();
        List<WirePeer> silent = new ArrayList<>();
        try (EchoServer server = EchoServer.start(config); WirePeer live = WirePeer.connect(server.port(), "/")) {
            server.server().events().subscribe(EventFilter.closes(), closes::add);
            Thread.ofVirtual().start(() -> answerPings(live));
            long start = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                silent.add(WirePeer.connect(server.port(), "/"));
            }
            for (WirePeer peer : silent) {
                WireLog.End end = peer.log().awaitEnd(Duration.ofSeconds(5));
                assertNotNull(end, "a silent peer is still connected");
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis >= 500 && millis < 3000, "silent peers dropped after " + millis + " ms (interval 200 + timeout 300)");
            for (WirePeer peer : silent) {
                assertNull(peer.log().closeFrame(), "a dead peer gets no closing handshake, just the end of TCP");
                assertTrue(peer.log().entries().stream().anyMatch(e -> e instanceof WireFrame f && f.opcode() == 0x9),
                        "it was pinged first");
            }
            Await.until("only the live peer left", () -> server.server().connections().size() == 1);
            assertEquals(50, closes.size());
            closes.forEach(e -> assertEquals("1006 PONG_TIMEOUT", e.code() + " " + e.cause()));
            assertTrue(live.isOpen() && !WireLog.closedOrEnded(live.log().entries()), "the live peer is still connected");
            long pings = live.log().entries().stream().filter(e -> e instanceof WireFrame f && f.opcode() == 0x9).count();
            assertTrue(pings >= 2, "the live peer answered " + pings + " pings meanwhile");
        } finally {
            for (WirePeer peer : silent) {
                peer.close();
            }
        }
    }

    /** Answers every ping with a pong, as a live client does, until the connection ends. */
    private static void answerPings(WirePeer peer) {
        for (int seen = 0; ; seen++) {
            int index = seen;
            if (!peer.log().await(e -> e.size() > index, Duration.ofSeconds(30))) {
                return;
            }
            WireLog.Entry entry = peer.log().entries().get(index);
            if (entry instanceof WireLog.End) {
                return;
            }
            if (entry instanceof WireFrame f && f.opcode() == 0x9) {
                try {
                    peer.send(peer.frame(RawFrames.frame().opcode(0xA).payload(f.payload())));
                } catch (IOException e) {
                    return;
                }
            }
        }
    }
}
