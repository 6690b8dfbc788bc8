package dev.leanws.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The peer read by the test (no log): a client against a {@link WireServer}, both played by
 * {@link WirePeer}, each checking the other's handshake, masking and framing.
 */
class WireServerTest {

    private static CompletableFuture<WirePeer> openAsync(WireServer server, String path, String... lines) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return WirePeer.open(server.port(), path, lines);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void aClientAndAServerPeerTalkFrameByFrame() throws Exception {
        try (WireServer server = WireServer.start()) {
            CompletableFuture<WirePeer> connecting = openAsync(server, "/chat?x=1", "Cookie: a=1", "Cookie: b=2");
            try (WirePeer serverSide = server.accept()) {
                WireHead request = serverSide.acceptHandshake("Sec-WebSocket-Protocol: chat");
                assertEquals("GET /chat?x=1 HTTP/1.1", request.method() + " " + request.target() + " " + request.version());
                assertEquals(List.of("a=1", "b=2"), request.all("cookie"));
                assertEquals("13", request.header("Sec-WebSocket-Version"));
                try (WirePeer client = Await.result(connecting)) {
                    client.sendText("hi");
                    WireFrame in = serverSide.readFrame();
                    assertTrue(in.masked(), "a client masks");
                    assertEquals("hi", in.text());
                    assertArrayEquals(RawFrames.text("hi").masked(in.maskKey()).build(), in.raw(), "raw() is the frame as sent");

                    serverSide.sendBinary(new byte[300]);   // a 16-bit length
                    WireFrame out = client.readFrame();
                    assertFalse(out.masked(), "a server does not mask");
                    assertEquals(RawFrames.BINARY, out.opcode());
                    assertArrayEquals(RawFrames.binary(new byte[300]).build(), out.raw());

                    client.sendClose(1001, "away");
                    WireFrame close = serverSide.answerClose();
                    assertEquals("1001 away", close.closeCode() + " " + close.closeReason());
                    WireFrame echo = client.readFrame();
                    assertEquals(1001, echo.closeCode());
                    assertTrue(client.readsEndOfStream(), "answerClose() ends TCP");
                }
            }
            assertEquals(1, server.acceptedCount());
        }
    }

    @Test
    void aRefusalIsReadAsAResponseWithItsBody() throws Exception {
        try (WireServer server = WireServer.start()) {
            CompletableFuture<WirePeer> connecting = CompletableFuture.supplyAsync(() -> {
                try {
                    WirePeer client = WirePeer.connect(server.port());
                    client.send(WirePeer.upgradeRequest("/"));
                    return client;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (WirePeer serverSide = server.accept(); WirePeer client = Await.result(connecting)) {
                serverSide.readRequest();
                serverSide.send("HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\nX-Why: origin\r\n\r\nno");
                WireHead response = client.readResponse();
                assertEquals(403, response.status());
                assertEquals("origin", response.header("x-why"));
                assertEquals("no", response.body());
                serverSide.shutdownOutput();
                assertArrayEquals(new byte[0], client.readToEnd());
            }
        }
    }

    @Test
    void readsWaitAtMostTheReadTimeout() throws Exception {
        try (WireServer server = WireServer.start()) {
            CompletableFuture<WirePeer> connecting = openAsync(server, "/");
            try (WirePeer serverSide = server.accept()) {
                serverSide.acceptHandshake();
                try (WirePeer client = Await.result(connecting).readTimeout(Duration.ofMillis(100))) {
                    assertThrows(SocketTimeoutException.class, client::readFrame);
                    assertFalse(client.readsEndOfStream(), "silence is not an end");
                    serverSide.shutdownOutput();
                    assertThrows(EOFException.class, client::readFrame);
                }
            }
        }
    }

    @Test
    void aLoggingPeerStillReadsFrameByFrame() throws Exception {
        try (WireServer server = WireServer.start()) {
            CompletableFuture<WirePeer> connecting = CompletableFuture.supplyAsync(() -> {
                try {
                    return WirePeer.connect(server.port(), "/");   // handshake, then the log
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (WirePeer serverSide = server.accept()) {
                serverSide.acceptHandshake();
                try (WirePeer client = Await.result(connecting)) {
                    serverSide.sendText("one");
                    serverSide.sendPing("two");
                    serverSide.shutdownOutput();
                    assertEquals("one", client.readFrame().text());
                    assertEquals(RawFrames.PING, client.readFrame().opcode());
                    assertTrue(client.readsEndOfStream());
                    assertEquals(2, client.log().frames().size());
                    assertThrows(IllegalStateException.class, client::readResponse, "HTTP reads end where the log begins");
                }
            }
        }
    }
}
