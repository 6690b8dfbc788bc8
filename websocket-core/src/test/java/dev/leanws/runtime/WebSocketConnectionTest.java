package dev.leanws.runtime;

import dev.leanws.Attributes;
import dev.leanws.CloseStatus;
import dev.leanws.http.HttpRequest;
import dev.leanws.http.internal.HeaderFields;
import dev.leanws.http.internal.HttpRequestHead;
import dev.leanws.http.internal.ImmutableHttpRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.BackpressurePolicy;
import dev.leanws.ConnectionState;
import dev.leanws.WebSocketConfig;
import dev.leanws.codec.Opcode;
import dev.leanws.event.BinaryEvent;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.ErrorEvent;
import dev.leanws.event.EventFilter;
import dev.leanws.event.EventManager;
import dev.leanws.event.OpenEvent;
import dev.leanws.event.PongEvent;
import dev.leanws.event.TextEvent;
import dev.leanws.session.Role;
import dev.leanws.event.EventRecorder;
import dev.leanws.testing.WireFrame;
import dev.leanws.testing.WirePeer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server-role runtime over a real loopback socket, driven by a raw-frame peer. */
class WebSocketConnectionTest {

    /** Kernel buffer size each way for the backpressure tests (Linux doubles it: 16 KiB). */
    private static final int KERNEL_BYTES = 8 * 1024;

    private final EventManager events = new EventManager();
    private final EventRecorder recorder = new EventRecorder(events);
    private final CountDownLatch finished = new CountDownLatch(1);
    private WebSocketConnection connection;
    private WirePeer peer;

    private void start(WebSocketConfig config) throws Exception {
        start(config, Loopback.open());
    }

    private void start(WebSocketConfig config, Loopback pair) throws Exception {
        peer = WirePeer.over(pair.peer(), WirePeer.Side.CLIENT).readTimeout(Duration.ofSeconds(5));
        PlainTransport transport = new PlainTransport(pair.ours());
        HttpRequest request = new ImmutableHttpRequest(new HttpRequestHead("GET", "/", "HTTP/1.1", new HeaderFields()),
                transport.remoteAddress(), transport.localAddress(), new byte[0]);
        ConnectionSetup setup = new ConnectionSetup(ConnectionSetup.nextId("t"), Role.SERVER, config, events::dispatch,
                null, request, Optional.empty(), List.of(), new Attributes(), null, Watchdog.shared());
        connection = new WebSocketConnection(transport, setup);
        Thread.ofVirtual().start(() -> {
            connection.run(ByteBuffer.allocate(0), () -> { });
            finished.countDown();
        });
        recorder.next(OpenEvent.class);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (peer != null) {
            peer.close();
        }
        assertTrue(finished.await(10, TimeUnit.SECONDS), "connection thread finished");
        recorder.close();
    }

    @Test
    void echoesThroughAHandlerAndBatchesReplies() throws Exception {
        events.subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()));
        start(WebSocketConfig.defaults());
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            peer.sendText("m" + i);
        }
        for (int i = 0; i < 100; i++) {
            WireFrame f = peer.readFrame();
            assertEquals(Opcode.TEXT.code(), f.opcode());
            assertEquals("m" + i, f.text());
            burst.append(f.text());
        }
        assertEquals(100, countTextEvents(100));
        peer.sendClose(1000);
        assertEquals(1000, peer.readFrame().closeCode());
        assertTrue(peer.readsEndOfStream());
        CloseEvent close = recorder.skipTo(CloseEvent.class);
        assertEquals(1000, close.code());
        assertTrue(close.remote());
        assertEquals(ConnectionState.CLOSED, connection.state());
    }

    private int countTextEvents(int expected) {
        int n = 0;
        for (int i = 0; i < expected; i++) {
            recorder.next(TextEvent.class);
            n++;
        }
        return n;
    }

    @Test
    void largeBinaryMessageRoundTrips() throws Exception {
        events.subscribe(EventFilter.binaryMessages(), e -> e.connection().send(e.data()));
        start(WebSocketConfig.defaults());
        byte[] big = new byte[3 * 1024 * 1024 + 7];
        new java.util.Random(1).nextBytes(big);
        peer.sendBinary(big);
        WireFrame f = peer.readFrame();
        assertEquals(Opcode.BINARY.code(), f.opcode());
        assertTrue(java.util.Arrays.equals(big, f.payload()));
        assertEquals(big.length, recorder.next(BinaryEvent.class).data().remaining());
    }

    @Test
    void localCloseWaitsForThePeersCloseThenClosesTcp() throws Exception {
        start(WebSocketConfig.defaults());
        connection.close(CloseStatus.of(4000, "done"));
        WireFrame f = peer.readFrame();
        assertEquals(Opcode.CLOSE.code(), f.opcode());
        assertEquals(4000, f.closeCode());
        assertEquals(ConnectionState.CLOSING, connection.state());
        assertFalse(connection.send("nope"));
        peer.sendClose(4000);
        assertTrue(peer.readsEndOfStream());
        CloseEvent close = recorder.next(CloseEvent.class);
        assertEquals(4000, close.code());
        assertEquals("done", close.reason());
        assertFalse(close.remote());
    }

    @Test
    void violationSendsItsCloseCodeThenEndsTcp() throws Exception {
        start(WebSocketConfig.defaults());
        peer.send(new byte[] {(byte) 0x81, 0x02, 'h', 'i'}); // unmasked text from a client
        WireFrame f = peer.readFrame();
        assertEquals(Opcode.CLOSE.code(), f.opcode());
        assertEquals(1002, f.closeCode());
        assertTrue(peer.readsEndOfStream());   // FIN after the close frame
        peer.close();               // as a client does on seeing it; the server then closes
        assertTrue(recorder.next(ErrorEvent.class).cause() instanceof dev.leanws.ProtocolViolationException);
        CloseEvent close = recorder.next(CloseEvent.class);
        assertEquals(1002, close.code());
        assertEquals(dev.leanws.CloseCause.PROTOCOL_VIOLATION, close.cause());
    }

    @Test
    void peerThatNeverAnswersPingsIsDroppedAfterIntervalPlusTimeout() throws Exception {
        long startNanos = System.nanoTime();
        start(WebSocketConfig.builder().pingInterval(Duration.ofMillis(200)).pongTimeout(Duration.ofMillis(300)).build());
        WireFrame ping = peer.readFrame();
        assertEquals(Opcode.PING.code(), ping.opcode());
        CloseEvent close = recorder.next(CloseEvent.class, Duration.ofSeconds(5));
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        assertEquals(1006, close.code());
        assertEquals(dev.leanws.CloseCause.PONG_TIMEOUT, close.cause());
        assertTrue(close.reason().startsWith("pong timeout"), close.reason());
        assertTrue(elapsedMillis >= 500, "not before interval + timeout: " + elapsedMillis);
        assertTrue(elapsedMillis < 3000, "soon after interval + timeout: " + elapsedMillis);
        assertTrue(peer.readsEndOfStream());
    }

    @Test
    void answeredPingsKeepTheConnectionAndReportPongs() throws Exception {
        start(WebSocketConfig.builder().pingInterval(Duration.ofMillis(100)).pongTimeout(Duration.ofMillis(500)).build());
        for (int i = 0; i < 3; i++) {
            WireFrame ping = peer.readFrame();
            assertEquals(Opcode.PING.code(), ping.opcode());
            peer.sendPong(ping.payload());
            recorder.next(PongEvent.class);
        }
        assertTrue(connection.isOpen());
        peer.sendClose(1000);
    }

    @Test
    void failPolicyRefusesSendsWhileThePeerDoesNotRead() throws Exception {
        // Kernel buffers pinned well below the 32 KiB that must be queued before a refusal: the
        // writer then stays stuck behind the unread peer, and what is refused stays buffered.
        start(WebSocketConfig.builder().maxOutboundBytes(64 * 1024).backpressurePolicy(BackpressurePolicy.FAIL)
                .pingInterval(Duration.ZERO).build(), Loopback.open(KERNEL_BYTES));
        byte[] chunk = new byte[32 * 1024];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        boolean refused = false;
        while (!refused && System.nanoTime() < deadline) {
            refused = !connection.send(chunk);   // the peer never reads: the kernel buffers fill, then ours
        }
        assertTrue(refused, "a send is refused once the budget is used");
        assertTrue(connection.bufferedAmount() > 0);
        assertTrue(connection.isOpen(), "FAIL keeps the connection open");
        connection.abort();
        assertEquals(1006, recorder.skipTo(CloseEvent.class).code());
    }

    @Test
    void closePolicyClosesASlowConsumerWith1008() throws Exception {
        start(WebSocketConfig.builder().maxOutboundBytes(64 * 1024).backpressurePolicy(BackpressurePolicy.CLOSE)
                .closeTimeout(Duration.ofMillis(300)).pingInterval(Duration.ZERO).build(), Loopback.open(KERNEL_BYTES));
        byte[] chunk = new byte[32 * 1024];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (connection.isOpen() && System.nanoTime() < deadline) {
            connection.send(chunk);
        }
        assertEquals(ConnectionState.CLOSING, connection.state());
        CloseEvent close = recorder.skipTo(CloseEvent.class);
        assertEquals(1006, close.code(), "the peer never answered our 1008");
        assertEquals(dev.leanws.CloseCause.SLOW_CONSUMER, close.cause());
        assertTrue(close.reason().startsWith("close timeout"), close.reason());
    }

    @Test
    void eofWithoutCloseFrameIsAbnormal() throws Exception {
        start(WebSocketConfig.defaults());
        peer.shutdownOutput();
        CloseEvent close = recorder.next(CloseEvent.class);
        assertEquals(1006, close.code());
        assertTrue(close.remote());
    }
}
