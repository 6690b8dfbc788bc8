package dev.leanws.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.HandshakeException;
import dev.leanws.WebSocketConfig;
import dev.leanws.testing.WireFrame;
import dev.leanws.testing.WireHead;
import dev.leanws.testing.WirePeer;
import dev.leanws.testing.WireServer;
import java.io.EOFException;
import java.net.ProtocolException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The opening handshake against a scripted server: what the client sends, and every way the answer can be wrong. */
class HandshakeFailureTest {

    private WireServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = WireServer.start();
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    /** Starts a connect, reads its request, answers {@code response}, returns what connect threw. */
    private <T extends Throwable> T answer(String response, ClientConfig options, Class<T> expected) throws Exception {
        Connecting connecting = Connecting.start(server.uri("/"), options);
        try (WirePeer peer = server.accept()) {
            WireHead request = peer.readRequest();
            peer.send(response.replace("{accept}", WirePeer.acceptKey(request.header("Sec-WebSocket-Key"))));
            T failure = connecting.failure(expected);
            assertTrue(peer.readsEndOfStream(), "the client closes the connection after a failed handshake");
            return failure;
        }
    }

    private HandshakeException refused(String response) throws Exception {
        return answer(response, ClientConfig.defaults(), HandshakeException.class);
    }

    @Test
    void requestCarriesTargetHostKeyOffersAndCustomHeaders() throws Exception {
        ClientConfig options = ClientConfig.builder()
                .subprotocols(List.of("chat.v2", "chat.v1"))
                .extensions(List.of("x-test; level=1"))
                .header("Authorization", "Bearer abc")
                .header("Cookie", "a=1")
                .header("Cookie", "b=2")
                .header("Origin", "https://example.com")
                .build();
        Connecting connecting = Connecting.start(server.uri("/chat/room?x=1&y=%20z"), options);
        try (WirePeer peer = server.accept()) {
            WireHead request = peer.readRequest();
            assertEquals("GET", request.method());
            assertEquals("/chat/room?x=1&y=%20z", request.target());
            assertEquals("HTTP/1.1", request.version());
            assertEquals("127.0.0.1:" + server.port(), request.first("Host").orElseThrow());
            assertEquals("websocket", request.first("Upgrade").orElseThrow());
            assertEquals("Upgrade", request.first("Connection").orElseThrow());
            assertEquals("13", request.first("Sec-WebSocket-Version").orElseThrow());
            assertEquals(16, Base64.getDecoder().decode(request.first("Sec-WebSocket-Key").orElseThrow()).length);
            assertEquals("chat.v2, chat.v1", request.first("Sec-WebSocket-Protocol").orElseThrow());
            assertEquals("x-test; level=1", request.first("Sec-WebSocket-Extensions").orElseThrow());
            assertEquals("Bearer abc", request.first("Authorization").orElseThrow());
            assertEquals(List.of("a=1", "b=2"), request.all("Cookie"));
            assertEquals("https://example.com", request.first("Origin").orElseThrow());
            peer.send(WirePeer.switchingProtocols(request, "Sec-WebSocket-Protocol: chat.v1", "Set-Cookie: s=9"));
            WebSocketClient ws = connecting.connected();
            assertEquals("chat.v1", ws.subprotocol().orElseThrow());
            assertEquals(List.of("s=9"), ws.responseHeaders().all("set-cookie"));
            ws.close(dev.leanws.CloseStatus.of(1000, ""));
            WireFrame close = peer.answerClose();
            assertTrue(close.masked());
            assertEquals(1000, close.closeCode());
            assertTrue(ws.awaitClosed(Duration.ofSeconds(5)));
        }
    }

    @Test
    void everyAttemptSendsAFreshKey() throws Exception {
        String first = keyOfRefusedAttempt();
        String second = keyOfRefusedAttempt();
        assertNotEquals(first, second);
    }

    private String keyOfRefusedAttempt() throws Exception {
        Connecting connecting = Connecting.start(server.uri("/"), ClientConfig.defaults());
        try (WirePeer peer = server.accept()) {
            String key = peer.readRequest().first("Sec-WebSocket-Key").orElseThrow();
            peer.send("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
            assertEquals(503, connecting.failure(HandshakeException.class).status());
            return key;
        }
    }

    @Test
    void notFoundFailsWithStatusAndHeaders() throws Exception {
        HandshakeException e = refused("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n"
                + "X-Reason: no such room\r\nContent-Length: 9\r\n\r\nnot found");
        assertEquals(404, e.status());
        assertEquals(List.of("no such room"), e.headers().get("x-reason"));
        assertEquals(List.of("text/plain"), e.headers().get("Content-Type"));
        assertTrue(e.getMessage().contains("404"), e.getMessage());
        assertEquals("not found", e.body(), "the refusal's body, where servers explain themselves");
        assertTrue(e.getMessage().endsWith(": not found"), e.getMessage());
    }

    @Test
    void wrongAcceptKeyFails() throws Exception {
        HandshakeException e = refused("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
        assertEquals(101, e.status());
        assertTrue(e.getMessage().startsWith("Sec-WebSocket-Accept is"), e.getMessage());
    }

    @Test
    void missingUpgradeHeaderFails() throws Exception {
        HandshakeException e = refused("HTTP/1.1 101 Switching Protocols\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n");
        assertEquals("Upgrade header missing", e.getMessage());
    }

    @Test
    void wrongUpgradeHeaderFails() throws Exception {
        HandshakeException e = refused("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n");
        assertTrue(e.getMessage().contains("expected websocket"), e.getMessage());
    }

    @Test
    void missingConnectionHeaderFails() throws Exception {
        HandshakeException e = refused("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Accept: {accept}\r\n\r\n");
        assertEquals("Connection header missing", e.getMessage());
    }

    @Test
    void unsolicitedSubprotocolFails() throws Exception {
        String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: {accept}\r\nSec-WebSocket-Protocol: chat.v9\r\n\r\n";
        HandshakeException none = refused(response);
        assertTrue(none.getMessage().contains("\"chat.v9\" was not offered"), none.getMessage());
        HandshakeException other = answer(response, ClientConfig.builder().subprotocols(List.of("chat.v1")).build(),
                HandshakeException.class);
        assertTrue(other.getMessage().contains("was not offered"), other.getMessage());
    }

    @Test
    void unsolicitedExtensionFails() throws Exception {
        HandshakeException e = refused("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: {accept}\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n");
        assertTrue(e.getMessage().contains("was not offered"), e.getMessage());
    }

    @Test
    void malformedResponseHeadFails() throws Exception {
        ProtocolException e = answer("HTTP/1.1 101 Switching Protocols\r\nUpgrade websocket\r\n\r\n",
                ClientConfig.defaults(), ProtocolException.class);
        assertTrue(e.getMessage().startsWith("malformed handshake response: header line without a colon"), e.getMessage());
        ProtocolException notHttp = answer("SSH-2.0-OpenSSH_9.2\r\n\r\n", ClientConfig.defaults(), ProtocolException.class);
        assertTrue(notHttp.getMessage().contains("malformed status line"), notHttp.getMessage());
    }

    @Test
    void a101ThatIsNotHttp11Fails() throws Exception {
        // Issue 11 (W3): an HTTP/1.0 (or 1.2) "101" is not a WebSocket upgrade, whatever its headers.
        for (String version : java.util.List.of("HTTP/1.0", "HTTP/1.2")) {
            ProtocolException e = answer(version + " 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n", ClientConfig.defaults(),
                    ProtocolException.class);
            assertEquals("expected an HTTP/1.1 response, got " + version + " 101", e.getMessage());
        }
    }

    @Test
    void oversizedResponseHeadFails() throws Exception {
        ClientConfig small = ClientConfig.builder()
                .config(WebSocketConfig.builder().maxHandshakeBytes(1024).build())
                .build();
        ProtocolException e = answer("HTTP/1.1 101 Switching Protocols\r\nX-Padding: " + "a".repeat(2000) + "\r\n\r\n",
                small, ProtocolException.class);
        assertTrue(e.getMessage().contains("larger than 1024 bytes"), e.getMessage());
    }

    @Test
    void serverClosingMidResponseFails() throws Exception {
        Connecting connecting = Connecting.start(server.uri("/"), ClientConfig.defaults());
        try (WirePeer peer = server.accept()) {
            peer.readRequest();
            peer.send("HTTP/1.1 101 Switching Protocols\r\nUpgrade: webs");
            peer.shutdownOutput();
            EOFException e = connecting.failure(EOFException.class);
            assertTrue(e.getMessage().contains("in the middle of its handshake response"), e.getMessage());
        }
    }
}
