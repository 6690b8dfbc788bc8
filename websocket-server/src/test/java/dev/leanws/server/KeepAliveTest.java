package dev.leanws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.codec.Opcode;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.OpenEvent;
import dev.leanws.event.PongEvent;
import dev.leanws.testing.Await;
import dev.leanws.testing.JdkClient;
import dev.leanws.testing.WireFrame;
import dev.leanws.testing.WirePeer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Keep-alive pings, pong deadline and idle timeout, configured on the server, end to end. */
class KeepAliveTest extends ServerTestSupport {

    @Test
    void aPeerThatNeverAnswersPingsIsClosedWithinIntervalPlusTimeout() throws Exception {
        WebSocketServer server = start(b -> b.config(QUIET.toBuilder()
                .pingInterval(Duration.ofMillis(200)).pongTimeout(Duration.ofMillis(300)).build()));
        EventRecorder events = record(server);
        long start = System.nanoTime();
        WirePeer peer = open(server);
        events.next(OpenEvent.class);
        assertEquals(Opcode.PING.code(), peer.readFrame().opcode());
        CloseEvent close = events.next(CloseEvent.class);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(1006, close.code());
        assertEquals(dev.leanws.CloseCause.PONG_TIMEOUT, close.cause());
        assertTrue(elapsedMillis >= 500, "not before interval + timeout: " + elapsedMillis);
        assertTrue(elapsedMillis < 3000, "soon after interval + timeout: " + elapsedMillis);
        assertTrue(peer.readsEndOfStream());
        Await.until("connection released", Duration.ofSeconds(5), () -> server.connections().isEmpty());
    }

    @Test
    void theJdkClientAnswersPingsAndStaysConnected() throws Exception {
        WebSocketServer server = start(b -> b.config(QUIET.toBuilder()
                .pingInterval(Duration.ofMillis(100)).pongTimeout(Duration.ofMillis(400)).build()));
        EventRecorder events = record(server);
        try (JdkClient client = new JdkClient()) {
            client.connect(server.port(), "/");
            events.next(OpenEvent.class);
            for (int i = 0; i < 5; i++) {   // five intervals, each answered in time
                events.next(PongEvent.class);
            }
            assertTrue(server.connections().get(0).isOpen());
        }
    }

    @Test
    void anIdleConnectionIsClosedWith1001() throws Exception {
        WebSocketServer server = start(b -> b.config(QUIET.toBuilder().idleTimeout(Duration.ofMillis(300)).build()));
        EventRecorder events = record(server);
        WirePeer peer = open(server);
        events.next(OpenEvent.class);
        long lastMessage = System.nanoTime();
        peer.sendText("activity resets the clock");
        WireFrame close = peer.readFrame();
        long idleMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastMessage);
        assertTrue(idleMillis >= 280, "closed " + idleMillis + " ms after the last message, idle timeout 300 ms");
        assertEquals(Opcode.CLOSE.code(), close.opcode());
        assertEquals(1001, close.closeCode());
        assertEquals("idle timeout", close.closeReason());
        peer.sendClose(1001, "");
        assertTrue(peer.readsEndOfStream());
        peer.close();                       // as a client does on the server's FIN
        CloseEvent closed = events.skipTo(CloseEvent.class);
        assertEquals(1001, closed.code());
        assertEquals("idle timeout", closed.reason());
        assertFalse(closed.remote());
    }
}
