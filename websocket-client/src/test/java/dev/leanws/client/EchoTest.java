package dev.leanws.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.ConnectionState;
import dev.leanws.UpgradeConfig;
import dev.leanws.event.BinaryEvent;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.EventManager;
import dev.leanws.event.OpenEvent;
import dev.leanws.event.PongEvent;
import dev.leanws.event.TextEvent;
import dev.leanws.http.internal.HttpRequestHead;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a real RFC 6455 echo server over loopback (core's runtime in the server role). */
class EchoTest {

    private static final int MIB_16 = 16 << 20;

    private final EventManager events = new EventManager();
    private final EventRecorder recorder = new EventRecorder(events);
    private EchoServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = EchoServer.start(InetAddress.getLoopbackAddress(),
                UpgradeConfig.builder().subprotocols(List.of("chat.v2", "chat.v1")).build());
    }

    @AfterEach
    void stopServer() throws Exception {
        recorder.close();
        server.close();
    }

    private WebSocketClient connect(ClientConfig.Builder options) throws Exception {
        WebSocketClient ws = WebSocketClient.connect(server.uri("/echo"), options.events(events).build());
        assertSame(ws, recorder.next(OpenEvent.class).connection());
        return ws;
    }

    @Test
    void echoesTextAndBinary() throws Exception {
        try (WebSocketClient ws = connect(ClientConfig.builder())) {
            assertEquals(ConnectionState.OPEN, ws.state());
            assertTrue(ws.send("hello"));
            assertEquals("hello", recorder.next(TextEvent.class).text());
            assertTrue(ws.send("κόσμε €𝄞"));
            assertEquals("κόσμε €𝄞", recorder.next(TextEvent.class).text());
            assertTrue(ws.send(new byte[] {0, 1, 2, (byte) 0xFF}));
            assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xFF}, recorder.next(BinaryEvent.class).bytes());
            assertTrue(ws.send(""));
            assertEquals("", recorder.next(TextEvent.class).text());
            for (int i = 0; i < 200; i++) {
                ws.send("burst " + i);
            }
            for (int i = 0; i < 200; i++) {
                assertEquals("burst " + i, recorder.next(TextEvent.class).text());
            }
        }
    }

    @Test
    void echoesSixteenMebibyteMessages() throws Exception {
        byte[] big = new byte[MIB_16];
        new Random(7).nextBytes(big);
        String text = "x".repeat(MIB_16 - 3) + "end";
        try (WebSocketClient ws = connect(ClientConfig.builder())) {
            assertTrue(ws.send(big));
            assertArrayEquals(big, recorder.next(BinaryEvent.class).bytes());
            assertTrue(ws.send(text));
            assertEquals(text, recorder.next(TextEvent.class).text());
        }
    }

    @Test
    void negotiatesTheSubprotocol() throws Exception {
        try (WebSocketClient ws = connect(ClientConfig.builder().subprotocols(List.of("chat.v3", "chat.v1")))) {
            assertEquals("chat.v1", ws.subprotocol().orElseThrow());
            assertEquals(List.of("chat.v1"), ws.responseHeaders().all("Sec-WebSocket-Protocol"));
        }
        recorder.next(CloseEvent.class);
        try (WebSocketClient ws = connect(ClientConfig.builder().subprotocols(List.of("other")))) {
            assertTrue(ws.subprotocol().isEmpty(), "the server picked none and did not reject");
        }
    }

    @Test
    void sendsPathQueryAndCustomHeaders() throws Exception {
        ClientConfig options = ClientConfig.builder().header("Authorization", "Basic dTpw")
                .header("Cookie", "session=42").header("Origin", "http://localhost").events(events).build();
        try (WebSocketClient ws = WebSocketClient.connect(server.uri("/rooms/7?user=ann&x=%C3%A9"), options)) {
            HttpRequestHead request = server.requests().poll(5, TimeUnit.SECONDS);
            assertEquals("/rooms/7?user=ann&x=%C3%A9", request.target());
            assertEquals("Basic dTpw", request.headers().first("Authorization").orElseThrow());
            assertEquals("session=42", request.headers().first("Cookie").orElseThrow());
            assertEquals("http://localhost", request.headers().first("Origin").orElseThrow());
            assertEquals("127.0.0.1:" + server.port(), request.headers().first("Host").orElseThrow());
            assertTrue(ws.isOpen());
        }
    }

    @Test
    void pingGetsItsPong() throws Exception {
        try (WebSocketClient ws = connect(ClientConfig.builder())) {
            assertTrue(ws.ping(ByteBuffer.wrap("are you there".getBytes(StandardCharsets.UTF_8))));
            PongEvent pong = recorder.next(PongEvent.class);
            assertSame(ws, pong.connection());
            assertEquals("are you there", StandardCharsets.UTF_8.decode(pong.payload()).toString());
        }
    }

    @Test
    void closeFromTheClientCompletesTheHandshakeAndReturnsClosed() throws Exception {
        WebSocketClient ws;
        try (EventRecorder serverSide = new EventRecorder(server.events())) {
            try (WebSocketClient opened = connect(ClientConfig.builder())) {
                ws = opened;
                serverSide.next(OpenEvent.class);
            }   // close(): returns once the connection is closed
            assertEquals(ConnectionState.CLOSED, ws.state());
            CloseEvent close = recorder.next(CloseEvent.class);
            assertEquals(1000, close.code());
            assertFalse(close.remote());
            CloseEvent seenByServer = serverSide.next(CloseEvent.class);
            assertEquals(1000, seenByServer.code());
            assertTrue(seenByServer.remote());
            assertTrue(ws.awaitClosed(Duration.ZERO));
            assertFalse(ws.send("after close"));
            ws.close();   // again: nothing happens
            recorder.assertExhausted();
        }
    }

    @Test
    void closeWithCodeAndReasonReachesTheServer() throws Exception {
        try (EventRecorder serverSide = new EventRecorder(server.events())) {
            WebSocketClient ws = connect(ClientConfig.builder());
            ws.close(dev.leanws.CloseStatus.of(4321, "done here"));
            assertTrue(ws.awaitClosed(Duration.ofSeconds(5)));
            serverSide.skipTo(CloseEvent.class);
            CloseEvent close = recorder.next(CloseEvent.class);
            assertEquals(4321, close.code());
            assertEquals("done here", close.reason());
        }
    }

    @Test
    void closeFromTheServerIsEchoedAndReported() throws Exception {
        WebSocketClient ws = connect(ClientConfig.builder());
        ws.send("!close 4001 bye now");
        CloseEvent close = recorder.next(CloseEvent.class);
        assertEquals(4001, close.code());
        assertEquals("bye now", close.reason());
        assertTrue(close.remote());
        assertTrue(ws.awaitClosed(Duration.ofSeconds(5)));
        assertEquals(ConnectionState.CLOSED, ws.state());
    }

    @Test
    void handlerCanReplyThroughTheEventsConnection() throws Exception {
        ClientConfig.Builder options = ClientConfig.builder()
                .subscribe(dev.leanws.event.EventFilter.textMessages().and(e -> e.text().equals("ping-me")),
                        e -> e.connection().send("pong-you"));
        try (WebSocketClient ws = connect(options)) {
            ws.send("ping-me");
            assertEquals("ping-me", recorder.next(TextEvent.class).text());
            assertEquals("pong-you", recorder.next(TextEvent.class).text());
        }
    }

    @Test
    void closeFromAnEventHandlerDoesNotWaitForItself() throws Exception {
        ClientConfig.Builder options = ClientConfig.builder()
                .subscribe(dev.leanws.event.EventFilter.textMessages(), e -> e.connection().close());
        WebSocketClient ws = connect(options);
        ws.send("close me");
        recorder.next(TextEvent.class);
        assertEquals(1000, recorder.next(CloseEvent.class).code());
        assertTrue(ws.awaitClosed(Duration.ofSeconds(5)));
    }
}
