package dev.leanws.server;

import dev.leanws.AttributeKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leanws.codec.Opcode;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.EventFilter;
import dev.leanws.event.OpenEvent;
import dev.leanws.testing.Await;
import dev.leanws.testing.JdkClient;
import dev.leanws.testing.RawFrames;
import dev.leanws.testing.WireFrame;
import dev.leanws.testing.WirePeer;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Binding, addresses, broadcast selection, and stopping from inside a handler. */
class ServerLifecycleTest extends ServerTestSupport {

    private static final AttributeKey<String> ROOM = AttributeKey.of("room", String.class);

    @Test
    void bindsLoopbackOnAnEphemeralPortByDefault() throws Exception {
        WebSocketServer server = start();
        assertTrue(server.isRunning());
        assertNotEquals(0, server.port());
        assertTrue(server.address().getAddress().isLoopbackAddress(), server.address().toString());
        assertTrue(server.toString().contains(String.valueOf(server.port())));
    }

    @Test
    void bindsIpv6LoopbackWhenAsked() throws Exception {
        assumeTrue(ipv6LoopbackWorks(), "no IPv6 loopback on this machine");
        WebSocketServer server = start(b -> b.host("::1"));
        server.events().subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()));
        assertTrue(server.address().getAddress() instanceof Inet6Address);
        try (JdkClient client = new JdkClient()) {
            WebSocket ws = client.connectTo("ws://[::1]:" + server.port() + "/");
            ws.sendText("over IPv6", true).get(5, TimeUnit.SECONDS);
            assertEquals("over IPv6", client.next(String.class));
        }
    }

    private static boolean ipv6LoopbackWorks() {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Test
    void broadcastReachesTheChosenConnectionsWithOneEncoding() throws Exception {
        WebSocketServer server = start(b -> b.upgradeHook(request ->
                UpgradeDecision.accept().with(ROOM, request.path().substring(1))));
        EventRecorder events = record(server);
        WirePeer lobby1 = closeLater(WirePeer.open(server.port(), "/lobby"));
        WirePeer lobby2 = closeLater(WirePeer.open(server.port(), "/lobby"));
        WirePeer other = closeLater(WirePeer.open(server.port(), "/other"));
        for (int i = 0; i < 3; i++) {
            events.next(OpenEvent.class);
        }
        assertEquals(2, server.broadcast("to the lobby", ws -> ws.attributes().get(ROOM).orElseThrow().equals("lobby")));
        assertEquals(3, server.broadcast(ByteBuffer.wrap(new byte[] {1, 2})));
        WireFrame a = lobby1.readFrame();
        WireFrame b = lobby2.readFrame();
        assertEquals("to the lobby", a.text());
        assertArrayEquals(a.raw(), b.raw());
        for (WirePeer p : List.of(lobby1, lobby2, other)) {
            WireFrame binary = p.readFrame();
            assertEquals(Opcode.BINARY.code(), binary.opcode());
            assertArrayEquals(new byte[] {1, 2}, binary.payload());
        }
        assertEquals(0, server.broadcast("nobody", ws -> false));
    }

    @Test
    void aHandlerCanStopTheServer() throws Exception {
        WebSocketServer server = start();
        EventRecorder events = record(server);
        server.events().subscribe(EventFilter.textMessages(), e -> {
            if (e.text().equals("shutdown")) {
                server.stop(Duration.ofSeconds(2));
            }
        });
        WirePeer admin = open(server);
        WirePeer other = open(server);
        admin.sendText("shutdown");
        WireFrame close = other.readFrame();
        assertEquals(1001, close.closeCode());
        other.sendClose(1001, "");
        assertEquals(1001, admin.readFrame().closeCode());
        admin.sendClose(1001, "");
        assertTrue(admin.readsEndOfStream());
        assertTrue(other.readsEndOfStream());
        admin.close();                      // as clients do on the server's FIN
        other.close();
        Await.until("every thread ended", Duration.ofSeconds(5), () -> server.threads().isEmpty());
        assertFalse(server.isRunning());
        assertEquals(1001, events.skipTo(CloseEvent.class).code());
    }

    @Test
    void framesPipelinedBehindTheRequestAreNotLost() throws Exception {
        WebSocketServer server = start();
        server.events().subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()));
        WirePeer peer = connect(server);
        peer.send(RawFrames.stream(
                WirePeer.upgradeRequest("/").getBytes(StandardCharsets.US_ASCII),
                RawFrames.text("first").masked(WirePeer.MASK).build(),
                RawFrames.text("second").masked(WirePeer.MASK).build()));
        assertEquals(101, peer.readResponse().status());
        assertEquals("first", peer.readFrame().text());
        assertEquals("second", peer.readFrame().text());
    }

    @Test
    void aBindFailureNamesTheAddressAndPort() throws Exception {
        WebSocketServer first = WebSocketServer.builder().build().start();
        try {
            WebSocketServer second = WebSocketServer.builder().port(first.port()).reuseAddress(false).build();
            java.io.IOException e = assertThrows(java.io.IOException.class, second::start);
            assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + first.port() + ": "), e.getMessage());
            assertFalse(second.isRunning());
        } finally {
            first.close();
        }
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> WebSocketServer.builder().port(65536).build());
        assertThrows(IllegalArgumentException.class, () -> WebSocketServer.builder().maxConnections(0).build());
        assertThrows(IllegalArgumentException.class, () -> WebSocketServer.builder().backlog(0).build());
        assertThrows(IllegalArgumentException.class, () -> WebSocketServer.builder().maxHttpBodySize(-1).build());
    }

    @Test
    void awaitStopWaitsUntilAStopElsewhereHasFinished() throws Exception {
        WebSocketServer server = start();
        EventRecorder events = record(server);
        WirePeer peer = closeLater(WirePeer.open(server.port(), "/"));
        events.next(OpenEvent.class);
        assertFalse(server.awaitStop(Duration.ofMillis(100)), "returned while the server runs");
        Thread stopper = Thread.ofVirtual().start(server::close);
        assertEquals(1001, peer.readFrame().closeCode());
        assertFalse(server.awaitStop(Duration.ofMillis(100)), "returned while the closing handshake is under way");
        peer.sendClose(1001, "");
        peer.close();       // the client's FIN: the server's connection thread ends at once
        server.awaitStop();
        // It returns after the shutdown, not when it begins: no connection thread is left.
        assertEquals(List.of(), server.threads());
        assertFalse(server.isRunning());
        stopper.join(TimeUnit.SECONDS.toMillis(10));
    }

    @Test
    void awaitStopReturnsAtOnceForAServerThatStoppedOrNeverRan() throws Exception {
        WebSocketServer stoppedBeforeStart = WebSocketServer.builder().port(0).build();
        stoppedBeforeStart.close();
        assertTrue(stoppedBeforeStart.awaitStop(Duration.ZERO));

        WebSocketServer stopped = start();
        stopped.close();
        assertTrue(stopped.awaitStop(Duration.ZERO));

        try (ServerSocketChannel taken = ServerSocketChannel.open()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) taken.getLocalAddress()).getPort();
            WebSocketServer failed = WebSocketServer.builder().port(port).build();
            assertThrows(IOException.class, failed::start);
            assertTrue(failed.awaitStop(Duration.ZERO), "a server whose start failed is stopped");
        }
    }
}
