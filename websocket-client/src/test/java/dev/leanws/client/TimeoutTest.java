package dev.leanws.client;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.CloseCause;
import dev.leanws.ConnectionState;
import dev.leanws.WebSocketConfig;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.EventManager;
import dev.leanws.event.OpenEvent;
import dev.leanws.testing.WireFrame;
import dev.leanws.testing.WirePeer;
import dev.leanws.testing.WireServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Every blocking step of the client has a deadline: connect, handshake, close. */
class TimeoutTest {

    private static final Duration SHORT = Duration.ofMillis(300);
    /** Deadlines are checked every 50 ms; a generous bound that still proves nothing waited for the defaults. */
    private static final long BOUND_MILLIS = 3_000;

    @Test
    void handshakeTimeoutFiresWhenTheServerNeverAnswers() throws Exception {
        ClientConfig options = ClientConfig.builder()
                .config(WebSocketConfig.builder().handshakeTimeout(SHORT).build())
                .build();
        try (WireServer server = WireServer.start()) {
            long start = System.nanoTime();
            Connecting connecting = Connecting.start(server.uri("/"), options);
            try (WirePeer peer = server.accept()) {
                peer.readRequest();   // and say nothing
                SocketTimeoutException e = connecting.failure(SocketTimeoutException.class);
                long elapsed = (System.nanoTime() - start) / 1_000_000;
                assertEquals("handshake timed out after 300 ms", e.getMessage());
                assertTrue(elapsed >= 300 && elapsed < BOUND_MILLIS, "took " + elapsed + " ms");
                assertTrue(peer.readsEndOfStream(), "the client closed the connection");
            }
        }
    }

    /**
     * A connect that gets no answer: a loopback listener whose accept queue is full (it never
     * accepts) makes Linux drop further SYNs, so the client's connect hangs as it would towards
     * a filtered address, without sending a packet beyond loopback. Where the OS accepts anyway
     * the test is skipped.
     */
    @Test
    void connectTimeoutFiresWhenTheServerDoesNotAnswerSyn() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            InetSocketAddress address = (InetSocketAddress) listener.getLocalAddress();
            List<SocketChannel> fillers = new ArrayList<>();
            try {
                Assumptions.assumeTrue(fillAcceptQueue(address, fillers),
                        "this OS completes loopback connects beyond the listen backlog; cannot provoke a hanging connect");
                ClientConfig options = ClientConfig.builder().connectTimeout(SHORT).build();
                long start = System.nanoTime();
                SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () ->
                        WebSocketClient.connect(URI.create("ws://127.0.0.1:" + address.getPort() + "/"), options));
                long elapsed = (System.nanoTime() - start) / 1_000_000;
                assertEquals("connect timed out after 300 ms", e.getMessage());
                assertTrue(elapsed >= 300 && elapsed < BOUND_MILLIS, "took " + elapsed + " ms");
            } finally {
                for (SocketChannel c : fillers) {
                    c.close();
                }
            }
        }
    }

    /** Connects until one connect stays pending for 200 ms (the queue is full); false if none ever does. */
    private static boolean fillAcceptQueue(InetSocketAddress address, List<SocketChannel> fillers) throws IOException {
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < 16; i++) {
                SocketChannel c = SocketChannel.open();
                fillers.add(c);
                c.configureBlocking(false);
                if (c.connect(address)) {
                    continue;
                }
                SelectionKey key = c.register(selector, SelectionKey.OP_CONNECT);
                if (selector.select(200) == 0) {
                    return true;   // no SYN-ACK within 200 ms: further connects hang
                }
                selector.selectedKeys().clear();
                key.cancel();
                selector.selectNow();
                c.finishConnect();
            }
        }
        return false;
    }

    @Test
    void refusedConnectFailsAtOnce() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        ConnectException e = assertThrows(ConnectException.class,
                () -> WebSocketClient.connect(URI.create("ws://127.0.0.1:" + port + "/")));
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void closeTimeoutFiresWhenTheServerNeverAnswersTheClose() throws Exception {
        EventManager events = new EventManager();
        ClientConfig options = ClientConfig.builder()
                .config(WebSocketConfig.builder().closeTimeout(SHORT).build())
                .events(events)
                .build();
        try (WireServer server = WireServer.start(); EventRecorder recorder = new EventRecorder(events)) {
            Connecting connecting = Connecting.start(server.uri("/"), options);
            try (WirePeer peer = server.accept()) {
                peer.acceptHandshake();
                WebSocketClient ws = connecting.connected();
                recorder.next(OpenEvent.class);
                long start = System.nanoTime();
                ws.close();   // blocks until closed: the server reads the Close and stays silent
                long elapsed = (System.nanoTime() - start) / 1_000_000;
                assertTrue(elapsed >= 300 && elapsed < BOUND_MILLIS, "close() took " + elapsed + " ms");
                assertEquals(ConnectionState.CLOSED, ws.state());
                CloseEvent close = recorder.next(CloseEvent.class);
                assertEquals(1006, close.code());
                assertEquals(CloseCause.CLOSE_TIMEOUT, close.cause());
                assertTrue(close.reason().startsWith("close timeout"), close.reason());
                assertFalse(close.remote());
                WireFrame frame = peer.readFrame();
                assertEquals(0x8, frame.opcode());
                assertEquals(1000, frame.closeCode());
                assertTrue(peer.readsEndOfStream(), "the client dropped TCP after the close timeout");
            }
        }
    }

    @Test
    void closeFromTheServerSideAlsoEndsWithinTheCloseTimeout() throws IOException, Exception {
        // The server sends Close, gets the echo, but never closes TCP: the client waits for the
        // server's FIN (RFC 6455 §7.1.1) only as long as the close timeout.
        EventManager events = new EventManager();
        ClientConfig options = ClientConfig.builder()
                .config(WebSocketConfig.builder().closeTimeout(SHORT).build())
                .events(events)
                .build();
        try (WireServer server = WireServer.start(); EventRecorder recorder = new EventRecorder(events)) {
            Connecting connecting = Connecting.start(server.uri("/"), options);
            try (WirePeer peer = server.accept()) {
                peer.acceptHandshake();
                WebSocketClient ws = connecting.connected();
                recorder.next(OpenEvent.class);
                peer.send(new byte[] {(byte) 0x88, 2, 0x0F, (byte) 0xA1});   // Close 4001
                assertEquals(4001, peer.readFrame().closeCode());
                assertTrue(ws.awaitClosed(Duration.ofMillis(BOUND_MILLIS)));
                CloseEvent close = recorder.next(CloseEvent.class);
                assertEquals(4001, close.code());
                assertTrue(close.remote());
            }
        }
    }

    @Test
    void keepAlivePingWithoutPongEndsTheConnectionAndTriggersReconnect() throws Exception {
        EventManager events = new EventManager();
        java.util.concurrent.BlockingQueue<ReconnectEvent> reconnects = new java.util.concurrent.LinkedBlockingQueue<>();
        ClientConfig options = ClientConfig.builder()
                .config(WebSocketConfig.builder().pingInterval(Duration.ofMillis(200)).pongTimeout(SHORT).build())
                .reconnect(ReconnectPolicy.builder().initialDelay(Duration.ofMinutes(1)).maxDelay(Duration.ofMinutes(1)).build())
                .events(events)
                .onReconnect(reconnects::add)
                .build();
        try (WireServer server = WireServer.start(); EventRecorder recorder = new EventRecorder(events)) {
            Connecting connecting = Connecting.start(server.uri("/"), options);
            try (WirePeer peer = server.accept()) {
                peer.acceptHandshake();
                WebSocketClient ws = connecting.connected();
                recorder.next(OpenEvent.class);
                WireFrame ping = peer.readFrame();   // the half-open server reads but never answers
                assertEquals(0x9, ping.opcode());
                assertTrue(ping.masked());
                CloseEvent close = recorder.next(CloseEvent.class);
                assertEquals(1006, close.code());
                assertEquals(CloseCause.PONG_TIMEOUT, close.cause());
                ReconnectEvent reconnect = reconnects.poll(10, java.util.concurrent.TimeUnit.SECONDS);
                assertNotNull(reconnect, "no reconnection attempt");
                assertTrue(reconnect.lastFailure().orElseThrow().getMessage().contains("pong timeout"));
                assertEquals(ConnectionState.CONNECTING, ws.state());
                ws.close();   // during the one-minute backoff
                assertEquals(ConnectionState.CLOSED, ws.state());
            }
        }
    }
}
