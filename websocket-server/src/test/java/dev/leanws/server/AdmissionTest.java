package dev.leanws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.testing.Await;
import dev.leanws.testing.WireHead;
import dev.leanws.testing.WirePeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, W1: slow handshakes (slowloris) have their own caps, apart from open connections
 * and per remote address; a flood from one address does not keep other addresses out. The
 * peers use loopback source addresses 127.0.0.2 and up.
 */
class AdmissionTest extends ServerTestSupport {

    /** A socket that sends the start of a request head and nothing more. */
    private WirePeer slow(String from, WebSocketServer server) throws Exception {
        WirePeer peer = closeLater(WirePeer.connectFrom(from, server.port()));
        peer.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        return peer;
    }

    @Test
    void slowHandshakesFromOneAddressDoNotKeepOthersOut() throws Exception {
        WebSocketServer server = start(b -> b.maxConnections(4).maxPendingHandshakesPerAddress(8));
        List<WirePeer> flood = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            flood.add(slow("127.0.0.2", server));
        }
        Await.until("8 pending", Duration.ofSeconds(5), () -> server.pendingHandshakes() == 8);
        int closed = 0;
        for (WirePeer peer : flood) {
            peer.readTimeout(java.time.Duration.ofMillis(100));
            if (peer.readsEndOfStream()) {
                closed++;
            }
        }
        assertEquals(32, closed, "sockets past the per-address cap are closed unanswered");
        long t0 = System.nanoTime();
        closeLater(WirePeer.connectFrom("127.0.0.3", server.port()).upgrade());
        closeLater(WirePeer.connectFrom("127.0.0.1", server.port()).upgrade());
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(2).toNanos(), "fresh clients connected at once");
        assertEquals(8, server.pendingHandshakes());
    }

    @Test
    void pendingHandshakesDoNotTakeConnectionSlots() throws Exception {
        WebSocketServer server = start(b -> b.maxConnections(2));
        for (int i = 0; i < 10; i++) {
            slow("127.0.0.2", server);
        }
        Await.until("10 pending", Duration.ofSeconds(5), () -> server.pendingHandshakes() == 10);
        closeLater(WirePeer.open(server.port(), "/"));
        closeLater(WirePeer.open(server.port(), "/"));
        WirePeer third = connect(server);
        third.send(WirePeer.upgradeRequest("/"));
        WireHead refused = third.readResponse();
        assertEquals(503, refused.status());
        assertEquals("1", refused.header("Retry-After"));
    }

    @Test
    void pastThePendingCapNewSocketsGet503() throws Exception {
        WebSocketServer server = start(b -> b.maxPendingHandshakes(3));
        for (int i = 0; i < 3; i++) {
            slow("127.0.0." + (2 + i), server);
        }
        Await.until("3 pending", Duration.ofSeconds(5), () -> server.pendingHandshakes() == 3);
        WirePeer fourth = WirePeer.connectFrom("127.0.0.9", server.port());
        closeLater(fourth);
        assertEquals(503, fourth.readResponse().status());
    }

    @Test
    void aPendingSlotIsGivenBackWhenTheHeadArrivesOrTheSocketGoes() throws Exception {
        WebSocketServer server = start(b -> b.maxPendingHandshakesPerAddress(1));
        WirePeer first = slow("127.0.0.2", server);
        Await.until("1 pending", Duration.ofSeconds(5), () -> server.pendingHandshakes() == 1);
        first.send("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + WirePeer.KEY
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
        assertEquals(101, first.readResponse().status());
        assertEquals(0, server.pendingHandshakes());
        WirePeer second = slow("127.0.0.2", server);
        Await.until("1 pending", Duration.ofSeconds(5), () -> server.pendingHandshakes() == 1);
        second.close();
        Await.until("none pending", Duration.ofSeconds(5), () -> server.pendingHandshakes() == 0);
        closeLater(WirePeer.connectFrom("127.0.0.2", server.port()).upgrade());
    }
}
