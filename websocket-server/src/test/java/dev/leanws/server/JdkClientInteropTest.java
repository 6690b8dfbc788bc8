package dev.leanws.server;

import dev.leanws.CloseStatus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.UpgradeConfig;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.EventFilter;
import dev.leanws.event.OpenEvent;
import dev.leanws.event.PongEvent;
import dev.leanws.testing.Await;
import dev.leanws.testing.JdkClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Interoperability with the JDK's own WebSocket client over loopback. */
class JdkClientInteropTest extends ServerTestSupport {

    private final JdkClient client = closeLater(new JdkClient());

    private WebSocketServer echoServer() throws Exception {
        WebSocketServer server = start();
        server.events().subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()));
        server.events().subscribe(EventFilter.binaryMessages(), e -> e.connection().send(e.data()));
        return server;
    }

    @Test
    void echoesText() throws Exception {
        WebSocket ws = client.connect(echoServer().port(), "/");
        ws.sendText("hello, wörld €", true).get(5, TimeUnit.SECONDS);
        assertEquals("hello, wörld €", client.next(String.class));
    }

    @Test
    void echoesBinary() throws Exception {
        WebSocket ws = client.connect(echoServer().port(), "/");
        byte[] data = {0, 1, 2, (byte) 0xFF, (byte) 0x80};
        ws.sendBinary(ByteBuffer.wrap(data), true).get(5, TimeUnit.SECONDS);
        assertArrayEquals(data, client.next(byte[].class));
    }

    /** 1 MiB and 16 MiB (the default message limit, exactly) round trips, text and binary. */
    @ParameterizedTest
    @ValueSource(ints = {1 << 20, 16 << 20})
    void echoesLargeMessages(int size) throws Exception {
        WebSocket ws = client.connect(echoServer().port(), "/");
        String text = textOfUtf8Length(size);
        ws.sendText(text, true).get(30, TimeUnit.SECONDS);
        String echoed = client.next(String.class);
        assertEquals(text.length(), echoed.length());
        assertEquals(text, echoed);

        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        ws.sendBinary(ByteBuffer.wrap(data), true).get(30, TimeUnit.SECONDS);
        assertArrayEquals(data, client.next(byte[].class));
    }

    /** Mixed 1-, 2-, 3- and 4-byte characters, so code points straddle the client's fragments. */
    private static String textOfUtf8Length(int bytes) {
        String unit = "aé€😀";   // 1 + 2 + 3 + 4 = 10 bytes
        StringBuilder sb = new StringBuilder(bytes);
        sb.append(unit.repeat(bytes / 10));
        sb.append("x".repeat(bytes % 10));
        assertEquals(bytes, sb.toString().getBytes(StandardCharsets.UTF_8).length);
        return sb.toString();
    }

    @Test
    void negotiatesTheServersPreferredSubprotocol() throws Exception {
        WebSocketServer server = start(b -> b.upgrade(UpgradeConfig.builder()
                .subprotocols(List.of("chat.v2", "chat.v1")).build()));
        EventRecorder events = record(server);
        WebSocket ws = client.connect(server.port(), "/", "chat.v1", "chat.v2");
        assertEquals("chat.v2", ws.getSubprotocol());
        assertEquals("chat.v2", events.next(OpenEvent.class).connection().subprotocol().orElseThrow());
    }

    @Test
    void proceedsWithoutSubprotocolWhenNoneMatchesAndRejectionIsOff() throws Exception {
        WebSocketServer server = start(b -> b.upgrade(UpgradeConfig.builder()
                .subprotocols(List.of("chat.v1")).rejectOnNoMatch(false).build()));
        EventRecorder events = record(server);
        WebSocket ws = client.connect(server.port(), "/", "other");
        assertEquals("", ws.getSubprotocol());
        assertTrue(events.next(OpenEvent.class).connection().subprotocol().isEmpty());
    }

    @Test
    void refusesWith400WhenNoSubprotocolMatchesAndRejectionIsOn() throws Exception {
        WebSocketServer server = start(b -> b.upgrade(UpgradeConfig.builder()
                .subprotocols(List.of("chat.v1")).rejectOnNoMatch(true).build()));
        ExecutionException e = assertThrows(ExecutionException.class, () -> client.connect(server.port(), "/", "other"));
        WebSocketHandshakeException refused = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
        assertEquals(400, refused.getResponse().statusCode());
        assertTrue(server.connections().isEmpty());
    }

    @Test
    void answersClientPingsAndReportsPongsToServerPings() throws Exception {
        WebSocketServer server = start();
        EventRecorder events = record(server);
        WebSocket ws = client.connect(server.port(), "/");
        ws.sendPing(ByteBuffer.wrap("from client".getBytes(StandardCharsets.UTF_8))).get(5, TimeUnit.SECONDS);
        assertEquals(new JdkClient.Pong("from client"), client.next(JdkClient.Pong.class));

        dev.leanws.WebSocket connection = events.next(OpenEvent.class).connection();
        assertTrue(connection.ping(ByteBuffer.wrap("from server".getBytes(StandardCharsets.UTF_8))));
        assertEquals(new JdkClient.Ping("from server"), client.next(JdkClient.Ping.class));
        PongEvent pong = events.next(PongEvent.class);
        assertEquals("from server", StandardCharsets.UTF_8.decode(pong.payload()).toString());
    }

    @Test
    void clientCloseIsEchoedAndReportedAsRemote() throws Exception {
        WebSocketServer server = start();
        EventRecorder events = record(server);
        WebSocket ws = client.connect(server.port(), "/");
        events.next(OpenEvent.class);
        ws.sendClose(4001, "client bye").get(5, TimeUnit.SECONDS);
        assertEquals(new JdkClient.Closed(4001, ""), client.next(JdkClient.Closed.class));
        CloseEvent close = events.next(CloseEvent.class);
        assertEquals(4001, close.code());
        assertEquals("client bye", close.reason());
        assertTrue(close.remote());
        Await.until("connection gone", Duration.ofSeconds(5), () -> server.connections().isEmpty());
    }

    @Test
    void serverCloseReachesTheClientAndIsReportedAsLocal() throws Exception {
        WebSocketServer server = start();
        EventRecorder events = record(server);
        client.connect(server.port(), "/");
        dev.leanws.WebSocket connection = events.next(OpenEvent.class).connection();
        connection.close(CloseStatus.of(4002, "server bye"));
        assertEquals(new JdkClient.Closed(4002, "server bye"), client.next(JdkClient.Closed.class));
        CloseEvent close = events.next(CloseEvent.class);
        assertEquals(4002, close.code());
        assertEquals("server bye", close.reason());
        assertFalse(close.remote());
    }
}
