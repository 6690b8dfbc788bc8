package dev.leanws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.BackpressurePolicy;
import dev.leanws.CloseCause;
import dev.leanws.WebSocket;
import dev.leanws.WebSocketMetrics;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.EventFilter;
import dev.leanws.event.OpenEvent;
import dev.leanws.testing.WirePeer;
import dev.leanws.testing.WireHead;
import dev.leanws.testing.WireFrame;
import dev.leanws.testing.Await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The server's metrics count what real connections did: opens, closes by cause and code, traffic, refusals. */
class MetricsTest extends ServerTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void countsMessagesAndBytesBothWaysAndThePeersClose() throws Exception {
        WebSocketServer server = start();
        server.events().subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()));
        server.events().subscribe(EventFilter.binaryMessages(), e -> e.connection().send(e.data()));
        EventRecorder events = record(server);
        WirePeer peer = open(server);
        events.next(OpenEvent.class);
        for (int i = 0; i < 3; i++) {
            peer.sendText("hello");
            assertEquals("hello", new String(peer.readFrame().payload()));
        }
        for (int i = 0; i < 2; i++) {
            peer.sendBinary(new byte[10]);
            assertEquals(10, peer.readFrame().payload().length);
        }
        // The peer may read a frame before the writer has counted it: the snapshot lags by that much.
        long sentBytes = 3 * (2 + 5) + 2 * (2 + 10);
        Await.until("the last echo is counted", WAIT, () -> server.metrics().sent().bytes() == sentBytes);
        WebSocketMetrics live = server.metrics();
        assertEquals(1, live.connectionsOpen());
        assertEquals(1, live.connectionsOpened());
        assertEquals(1, live.handshakesAccepted());
        // client frames are masked: 2 + 4 header bytes; ours are not: 2
        assertEquals(new WebSocketMetrics.Traffic(3, 2, 3 * (6 + 5) + 2 * (6 + 10)), live.received());
        assertEquals(new WebSocketMetrics.Traffic(3, 2, sentBytes), live.sent());
        assertEquals(0, live.closes());

        peer.sendClose(1000, "");
        peer.readUntilClose();
        CloseEvent closed = events.skipTo(CloseEvent.class);
        assertEquals(CloseCause.PEER_CLOSE, closed.cause());
        WebSocketMetrics after = server.metrics();
        assertEquals(0, after.connectionsOpen());
        assertEquals(1, after.connectionsOpened());
        assertEquals(1, after.closes(CloseCause.PEER_CLOSE));
        assertEquals(1, after.closes());
        assertEquals(Map.of(1000, 1L), after.closesByCode());
        // the Close frames: 2 + 4 + 2 in, 2 + 2 out
        assertEquals(new WebSocketMetrics.Traffic(3, 2, live.received().bytes() + 8), after.received());
        Await.until("the Close frame is counted", WAIT, () -> server.metrics().sent().bytes() == sentBytes + 4);
        assertEquals(new WebSocketMetrics.Traffic(3, 2, sentBytes + 4), server.metrics().sent());
    }

    @Test
    void countsRefusedHandshakesByStatus() throws Exception {
        WebSocketServer server = start(b -> b.maxConnections(2)
                .endpoint(Endpoint.at("/ok").build())
                .endpoint(Endpoint.at("/private").hook(r -> UpgradeDecision.reject(401, "no")).build()));
        refuse(server, WirePeer.upgradeRequest("/elsewhere"), 404);
        refuse(server, WirePeer.upgradeRequest("/private"), 401);
        refuse(server, WirePeer.upgradeRequest("/private"), 401);
        refuse(server, "GET /ok HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n", 400);   // no key
        refuse(server, "GET /ok HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + WirePeer.KEY + "\r\nSec-WebSocket-Version: 8\r\n\r\n", 426);
        // the refused sockets hold their slots until their threads end
        Await.until("the refusals' threads end", WAIT, () -> server.threads().size() == 1);
        EventRecorder events = record(server);
        WirePeer first = closeLater(WirePeer.open(server.port(), "/ok"));
        WirePeer second = closeLater(WirePeer.open(server.port(), "/ok"));
        events.next(OpenEvent.class);
        events.next(OpenEvent.class);
        refuse(server, WirePeer.upgradeRequest("/ok"), 503);    // past maxConnections
        WebSocketMetrics m = server.metrics();
        assertEquals(Map.of(400, 1L, 401, 2L, 404, 1L, 426, 1L, 503, 1L), m.handshakesRefused());
        assertEquals(6, m.handshakesRefusedTotal());
        assertEquals(2, m.handshakesAccepted());
        assertEquals(2, m.connectionsOpen());
        first.close();
        second.close();
    }

    private void refuse(WebSocketServer server, String request, int status) throws Exception {
        try (WirePeer peer = WirePeer.connect(server.port())) {
            peer.send(request);
            assertEquals(status, peer.readResponse().status());
        }
    }

    @Test
    void countsDeadlineDropsByKind() throws Exception {
        WebSocketServer server = start(b -> b.config(QUIET.toBuilder().idleTimeout(Duration.ofMillis(200)).build()));
        EventRecorder events = record(server);
        open(server);                                   // says nothing
        CloseEvent closed = events.skipTo(CloseEvent.class);
        assertEquals(CloseCause.IDLE_TIMEOUT, closed.cause());
        WebSocketMetrics m = server.metrics();
        assertEquals(1, m.deadlineDrops().get(CloseCause.IDLE_TIMEOUT));
        assertEquals(0, m.deadlineDrops().get(CloseCause.PONG_TIMEOUT));
        assertEquals(1, m.closes());
        assertEquals(Map.of(closed.code(), 1L), m.closesByCode());
    }

    @Test
    void countsSlowConsumerCloses() throws Exception {
        WebSocketServer server = start(b -> b.config(QUIET.toBuilder().maxOutboundBytes(64 * 1024)
                .backpressurePolicy(BackpressurePolicy.CLOSE).closeTimeout(Duration.ofMillis(500)).build()));
        EventRecorder events = record(server);
        open(server);                                   // reads nothing
        WebSocket connection = events.next(OpenEvent.class).connection();
        ByteBuffer chunk = ByteBuffer.allocate(32 * 1024);
        Await.until("the slow consumer is closed", WAIT, () -> !connection.send(chunk));
        assertEquals(CloseCause.SLOW_CONSUMER, events.skipTo(CloseEvent.class).cause());
        WebSocketMetrics m = server.metrics();
        assertEquals(1, m.slowConsumerCloses());
        assertEquals(1, m.closes());
        assertEquals(0, m.connectionsOpen());
    }

    @Test
    void countsBroadcastsAndWalksTheQueuesOfOpenConnections() throws Exception {
        WebSocketServer server = start(b -> b.config(QUIET.toBuilder().maxOutboundBytes(1 << 20)
                .backpressurePolicy(BackpressurePolicy.FAIL).build()));
        EventRecorder events = record(server);
        WirePeer reader = open(server);
        events.next(OpenEvent.class);
        open(server);                                   // never reads
        WebSocket stalled = events.next(OpenEvent.class).connection();
        assertEquals(2, server.broadcast("tick"));
        assertEquals("tick", new String(reader.readFrame().payload()));
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        Await.until("the stalled peer's queue fills", WAIT, () -> !stalled.send(chunk));
        WebSocketMetrics m = server.metrics();
        assertEquals(1, m.publishes());
        assertEquals(2, m.publishDeliveries());
        assertTrue(m.sent().binaryMessages() > 0);
        assertEquals(2, m.sent().textMessages());
        assertTrue(m.outboundQueuedMaxBytes() > 0, m.summary());
        assertTrue(m.outboundQueuedBytes() >= m.outboundQueuedMaxBytes());
        assertEquals(server.memory().limit(), m.memoryLimitBytes());
        assertTrue(m.memoryUsedBytes() >= 0 && m.memoryUsedBytes() <= m.memoryLimitBytes(), m.summary());
    }

    @Test
    void servesThePrometheusTextWithOneLine() throws Exception {
        WebSocketServer[] self = new WebSocketServer[1];
        WebSocketServer server = start(b -> b.httpHandler(request -> request.path().equals("/metrics")
                ? HttpResponse.of(200, dev.leanws.PrometheusText.CONTENT_TYPE, self[0].metrics().toPrometheusBytes())
                : null));
        self[0] = server;
        EventRecorder events = record(server);
        open(server);
        events.next(OpenEvent.class);
        try (WirePeer peer = WirePeer.connect(server.port())) {
            peer.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
            WireHead r = peer.readResponse();
            assertEquals(200, r.status());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", r.header("Content-Type"));
            assertTrue(r.body().contains("\nwebsocket_connections_open 1\n"), r.body());
            assertTrue(r.body().contains("websocket_handshakes_total{outcome=\"accepted\",status=\"101\"} 1\n"), r.body());
        }
    }
}
