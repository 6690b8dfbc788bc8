package dev.leanws.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leanws.CloseCause;
import dev.leanws.WebSocketMetrics;
import dev.leanws.event.BinaryEvent;
import dev.leanws.event.EventManager;
import dev.leanws.event.OpenEvent;
import dev.leanws.event.TextEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A client handle counts its own traffic, handshakes and closes. */
class ClientMetricsTest {

    @Test
    void countsMessagesBytesAndTheClose() throws Exception {
        EventManager events = new EventManager();
        try (EchoServer server = EchoServer.start(); EventRecorder recorder = new EventRecorder(events)) {
            WebSocketClient ws = WebSocketClient.connect(server.uri("/echo"), ClientConfig.builder().events(events).build());
            recorder.next(OpenEvent.class);
            ws.send("hello");
            recorder.next(TextEvent.class);
            ws.send("ab");
            recorder.next(TextEvent.class);
            ws.send(new byte[3]);
            recorder.next(BinaryEvent.class);
            WebSocketMetrics open = ws.metrics();
            assertEquals(1, open.connectionsOpen());
            assertEquals(1, open.handshakesAccepted());
            assertEquals(new WebSocketMetrics.Traffic(2, 1, (2 + 5) + (2 + 2) + (2 + 3)), open.received());
            ws.close();

            WebSocketMetrics m = ws.metrics();
            assertEquals(0, m.connectionsOpen());
            assertEquals(1, m.connectionsOpened());
            assertEquals(1, m.closes(CloseCause.LOCAL_CLOSE));
            assertEquals(Map.of(1000, 1L), m.closesByCode());
            // ours are masked (2 + 4 header bytes); the Close frames carry the 2-byte code
            assertEquals(new WebSocketMetrics.Traffic(2, 1, (6 + 5) + (6 + 2) + (6 + 3) + (6 + 2)), m.sent());
            assertEquals(new WebSocketMetrics.Traffic(2, 1, (2 + 5) + (2 + 2) + (2 + 3) + (2 + 2)), m.received());
        }
    }
}
