package dev.leanws.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.CloseCause;
import dev.leanws.WebSocketMetrics;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.EventFilter;
import dev.leanws.server.WebSocketServer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The binder's meters read the snapshot: names, units, tags, values, and keys that appear later. */
class WebSocketMeterBinderTest {

    private static WebSocketMetrics metrics(long open, Map<Integer, Long> refused, Map<Integer, Long> codes) {
        return new WebSocketMetrics(open, 5, 5, refused, new WebSocketMetrics.Traffic(10, 2, 900),
                new WebSocketMetrics.Traffic(8, 1, 700), Map.of(CloseCause.PEER_CLOSE, 3L, CloseCause.PONG_TIMEOUT, 1L),
                codes, 300, 200, -1, -1, 4, 12);
    }

    @Test
    void readsTheSnapshotThroughMicrometerNames() {
        AtomicReference<WebSocketMetrics> now = new AtomicReference<>(metrics(2, Map.of(503, 1L), Map.of(1000, 3L)));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new WebSocketMeterBinder(now::get, Tags.of("server", "chat"), Duration.ZERO).bindTo(registry);

        assertEquals(2, registry.get("websocket.connections.open").tag("server", "chat").gauge().value());
        assertEquals(5, registry.get("websocket.connections").functionCounter().count());
        assertEquals(5, registry.get("websocket.handshakes").tags("outcome", "accepted", "status", "101").functionCounter().count());
        assertEquals(1, registry.get("websocket.handshakes").tags("outcome", "refused", "status", "503").functionCounter().count());
        assertEquals(10, registry.get("websocket.messages.received").tag("type", "text").functionCounter().count());
        assertEquals(1, registry.get("websocket.messages.sent").tag("type", "binary").functionCounter().count());
        Meter bytesIn = registry.get("websocket.data.received").functionCounter();
        assertEquals(900, registry.get("websocket.data.received").functionCounter().count());
        assertEquals(BaseUnits.BYTES, bytesIn.getId().getBaseUnit());
        assertEquals(3, registry.get("websocket.closes").tag("cause", "peer_close").functionCounter().count());
        assertEquals(1, registry.get("websocket.closes").tag("cause", "pong_timeout").functionCounter().count());
        assertEquals(0, registry.get("websocket.closes").tag("cause", "slow_consumer").functionCounter().count());
        assertEquals(3, registry.get("websocket.close.codes").tag("code", "1000").functionCounter().count());
        assertEquals(300, registry.get("websocket.outbound.queued").gauge().value());
        assertEquals(200, registry.get("websocket.outbound.queued.max").gauge().value());
        assertTrue(Double.isNaN(registry.get("websocket.memory.used").gauge().value()), "no budget");
        assertEquals(4, registry.get("websocket.publishes").functionCounter().count());
        assertEquals(12, registry.get("websocket.publish.deliveries").functionCounter().count());
        registry.getMeters().forEach(m -> assertEquals("chat", m.getId().getTag("server"), m.getId().toString()));

        // a close code nobody saw before: registered at the next read, counted from then on
        assertNull(registry.find("websocket.close.codes").tag("code", "4001").functionCounter());
        now.set(metrics(1, Map.of(503, 1L), Map.of(1000, 3L, 4001, 1L)));
        assertEquals(1, registry.get("websocket.connections.open").gauge().value());
        assertEquals(1, registry.get("websocket.close.codes").tag("code", "4001").functionCounter().count());
    }

    @Test
    void bindsALiveServer() throws Exception {
        try (WebSocketServer server = WebSocketServer.builder().build()) {
            server.events().subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()));
            CompletableFuture<CloseEvent> closed = new CompletableFuture<>();
            server.events().subscribe(EventFilter.closes(), closed::complete);
            server.start();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new WebSocketMeterBinder(server::metrics, Tags.empty(), Duration.ZERO).bindTo(registry);

            CompletableFuture<CharSequence> echo = new CompletableFuture<>();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/"), new WebSocket.Listener() {
                        @Override
                        public java.util.concurrent.CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            echo.complete(data);
                            w.request(1);
                            return null;
                        }

                        @Override
                        public java.util.concurrent.CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                            w.abort();   // the closing handshake is done: end TCP now rather than when the JDK gets to it
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            ws.sendText("hi", true).get(10, TimeUnit.SECONDS);
            assertEquals("hi", echo.get(10, TimeUnit.SECONDS).toString());
            assertEquals(1, registry.get("websocket.connections.open").gauge().value());
            assertEquals(1, registry.get("websocket.messages.received").tag("type", "text").functionCounter().count());
            ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
            assertEquals(CloseCause.PEER_CLOSE, closed.get(10, TimeUnit.SECONDS).cause());
            assertEquals(0, registry.get("websocket.connections.open").gauge().value());
            assertEquals(1, registry.get("websocket.closes").tag("cause", "peer_close").functionCounter().count());
            assertNotNull(registry.get("websocket.close.codes").tag("code", "1000").functionCounter());
            assertEquals(1, registry.get("websocket.messages.sent").tag("type", "text").functionCounter().count());
        }
    }
}
