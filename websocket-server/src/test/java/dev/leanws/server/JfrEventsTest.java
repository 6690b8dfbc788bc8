package dev.leanws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.BackpressurePolicy;
import dev.leanws.WebSocket;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.EventFilter;
import dev.leanws.event.OpenEvent;
import dev.leanws.testing.WirePeer;
import dev.leanws.testing.WireHead;
import dev.leanws.testing.WireFrame;
import dev.leanws.testing.Await;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JFR events a recording sees: handshakes accepted and refused, closes with their traffic, slow consumers. */
class JfrEventsTest extends ServerTestSupport {

    @TempDir
    Path dir;

    @Test
    void recordsHandshakesClosesAndSlowConsumers() throws Exception {
        WebSocketServer server = start(b -> b.config(QUIET.toBuilder().maxOutboundBytes(64 * 1024)
                .backpressurePolicy(BackpressurePolicy.CLOSE).closeTimeout(Duration.ofMillis(500)).build()));
        server.events().subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()));
        EventRecorder events = record(server);
        List<RecordedEvent> recorded;
        try (Recording recording = new Recording()) {
            recording.enable("dev.leanws.Handshake");
            recording.enable("dev.leanws.Close");
            recording.enable("dev.leanws.SlowConsumer");
            recording.start();

            try (WirePeer refused = WirePeer.connect(server.port())) {
                refused.send("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
                assertEquals(400, refused.readResponse().status());   // no key
            }
            try (WirePeer peer = open(server)) {
                events.next(OpenEvent.class);
                peer.sendText("hello");
                peer.readFrame();
                peer.sendClose(1000, "bye");
                peer.readUntilClose();
                events.skipTo(CloseEvent.class);
            }
            open(server);                                     // reads nothing
            WebSocket stalled = events.next(OpenEvent.class).connection();
            ByteBuffer chunk = ByteBuffer.allocate(32 * 1024);
            Await.until("the slow consumer is closed", EventRecorder.DEFAULT_WAIT, () -> !stalled.send(chunk));
            events.skipTo(CloseEvent.class);

            recording.stop();
            Path file = dir.resolve("leanws.jfr");
            recording.dump(file);
            recorded = RecordingFile.readAllEvents(file);
            Files.delete(file);
        }
        List<RecordedEvent> handshakes = named(recorded, "dev.leanws.Handshake");
        assertEquals(List.of(400, 101, 101), handshakes.stream().map(e -> e.getInt("status")).toList());
        assertTrue(handshakes.get(1).getBoolean("accepted"));
        assertTrue(handshakes.get(1).getLong("handshakeTime") > 0);

        List<RecordedEvent> closes = named(recorded, "dev.leanws.Close");
        assertEquals(List.of("PEER_CLOSE", "SLOW_CONSUMER"), closes.stream().map(e -> e.getString("cause")).toList());
        RecordedEvent peerClose = closes.get(0);
        assertEquals(1000, peerClose.getInt("code"));
        assertEquals("bye", peerClose.getString("reason"));
        assertEquals(1, peerClose.getLong("messagesIn"));
        assertEquals(1, peerClose.getLong("messagesOut"));
        assertEquals((6 + 5) + (6 + 5), peerClose.getLong("bytesIn"));    // text, then Close 1000 "bye"
        assertTrue(peerClose.getLong("connectionDuration") > 0);

        List<RecordedEvent> slow = named(recorded, "dev.leanws.SlowConsumer");
        assertEquals(1, slow.size());
        assertTrue(slow.get(0).getLong("queuedBytes") > 0);
    }

    private static List<RecordedEvent> named(List<RecordedEvent> all, String name) {
        // a recording file groups events by thread buffer, not by time
        return all.stream().filter(e -> e.getEventType().getName().equals(name))
                .sorted(java.util.Comparator.comparing(RecordedEvent::getStartTime)).toList();
    }
}
