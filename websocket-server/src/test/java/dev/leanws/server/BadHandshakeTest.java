package dev.leanws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.event.EventFilter;
import dev.leanws.testing.Await;
import dev.leanws.testing.WireHead;
import dev.leanws.testing.WirePeer;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed, refused and abusive opening handshakes: each gets its status (or is closed at the
 * deadline), its connection is closed, and the server keeps serving a good client.
 */
class BadHandshakeTest extends ServerTestSupport {

    private static final String KEY = "Sec-WebSocket-Key: " + WirePeer.KEY + "\r\n";
    private static final String UPGRADE = "Upgrade: websocket\r\nConnection: Upgrade\r\n";
    private static final String HOST = "Host: 127.0.0.1\r\n";
    private static final String V13 = "Sec-WebSocket-Version: 13\r\n";

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("missing Sec-WebSocket-Key", "GET / HTTP/1.1\r\n" + HOST + UPGRADE + V13 + "\r\n", 400, null, null),
                Arguments.of("key of 8 bytes", "GET / HTTP/1.1\r\n" + HOST + UPGRADE + "Sec-WebSocket-Key: AAAAAAAAAAA=\r\n" + V13 + "\r\n",
                        400, null, null),
                Arguments.of("version 8", "GET / HTTP/1.1\r\n" + HOST + UPGRADE + KEY + "Sec-WebSocket-Version: 8\r\n\r\n",
                        426, "Sec-WebSocket-Version", "13"),
                Arguments.of("missing version", "GET / HTTP/1.1\r\n" + HOST + UPGRADE + KEY + "\r\n", 426, "Sec-WebSocket-Version", "13"),
                Arguments.of("POST", "POST / HTTP/1.1\r\n" + HOST + UPGRADE + KEY + V13 + "\r\n", 405, "Allow", "GET"),
                Arguments.of("WebSocket headers without Upgrade", "GET / HTTP/1.1\r\n" + HOST + "Connection: Upgrade\r\n" + KEY + V13 + "\r\n",
                        426, "Upgrade", "websocket"),
                Arguments.of("Connection without Upgrade token", "GET / HTTP/1.1\r\n" + HOST + "Upgrade: websocket\r\n" + KEY + V13 + "\r\n",
                        400, null, null),
                Arguments.of("missing Host", "GET / HTTP/1.1\r\n" + UPGRADE + KEY + V13 + "\r\n", 400, null, null),
                Arguments.of("HTTP/1.0", "GET / HTTP/1.0\r\n" + HOST + UPGRADE + KEY + V13 + "\r\n", 400, null, null),
                Arguments.of("HTTP/2.0", "GET / HTTP/2.0\r\n" + HOST + UPGRADE + KEY + V13 + "\r\n", 505, null, null),
                Arguments.of("bare LF", "GET / HTTP/1.1\n" + HOST + "\r\n", 400, null, null),
                Arguments.of("oversized head", "GET / HTTP/1.1\r\n" + HOST + "X-Big: " + "a".repeat(17 * 1024) + "\r\n\r\n", 431, null, null),
                Arguments.of("101 header fields", "GET / HTTP/1.1\r\n" + HOST + "X-h: v\r\n".repeat(100) + "\r\n", 431, null, null),
                // Issue 11 (W4): the body would otherwise be read as the first frames.
                Arguments.of("upgrade with a body", "GET / HTTP/1.1\r\n" + HOST + UPGRADE + KEY + V13 + "Content-Length: 6\r\n\r\n"
                        + "\u0081\u0080abcd", 400, null, null),
                Arguments.of("upgrade with Transfer-Encoding", "GET / HTTP/1.1\r\n" + HOST + UPGRADE + KEY + V13
                        + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, null, null),
                Arguments.of("upgrade of *", "GET * HTTP/1.1\r\n" + HOST + UPGRADE + KEY + V13 + "\r\n", 400, null, null),
                Arguments.of("upgrade of an absolute URI", "GET http://127.0.0.1/ HTTP/1.1\r\n" + HOST + UPGRADE + KEY + V13 + "\r\n",
                        400, null, null));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("refusals")
    void refusesWithItsStatusClosesAndKeepsServing(String name, String request, int status, String header, String value)
            throws Exception {
        WebSocketServer server = echoServer();
        WirePeer bad = connect(server);
        bad.send(request);
        WireHead response = bad.readResponse();
        assertEquals(status, response.status(), response.toString());
        assertEquals("close", response.header("Connection"));
        if (header != null) {
            assertEquals(value, response.header(header));
        }
        assertTrue(bad.readsEndOfStream(), "the server closes after a refusal");
        assertServes(server);
    }

    @Test
    void aSlowDripHeadIsClosedAtTheHandshakeTimeoutWhileOthersAreServed() throws Exception {
        WebSocketServer server = start(b -> b.config(QUIET.toBuilder().handshakeTimeout(Duration.ofMillis(500)).build()));
        server.events().subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()));
        WirePeer slow = connect(server);
        long start = System.nanoTime();
        Thread dripper = Thread.ofVirtual().start(() -> {
            byte[] head = WirePeer.upgradeRequest("/").getBytes();
            try {
                for (int i = 0; i < 40; i++) {   // 1 byte every 100 ms: 4 s at most, far past the deadline
                    slow.send(new byte[] {head[i]});
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                }
            } catch (IOException expected) {
                // the server closed the connection
            }
        });
        assertServes(server);
        slow.readTimeout(Duration.ofSeconds(5));
        assertTrue(slow.readsEndOfStream(), "closed, with no response");
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(elapsedMillis >= 450, "not before the deadline: " + elapsedMillis);
        assertTrue(elapsedMillis < 3000, "at the deadline: " + elapsedMillis);
        slow.close();
        assertTrue(dripper.join(Duration.ofSeconds(5)));
    }

    @Test
    void aClientThatSendsNothingIsClosedAtTheHandshakeTimeout() throws Exception {
        WebSocketServer server = start(b -> b.config(QUIET.toBuilder().handshakeTimeout(Duration.ofMillis(300)).build()));
        WirePeer silent = connect(server);
        assertTrue(silent.readsEndOfStream());
        Await.until("the slot is released", Duration.ofSeconds(5), () -> server.threads().size() == 1);
    }

    @Test
    void pastMaxConnectionsNewSocketsGet503UntilASlotFrees() throws Exception {
        WebSocketServer server = start(b -> b.maxConnections(2));
        WirePeer first = open(server);
        open(server);
        WirePeer third = connect(server);
        third.send(WirePeer.upgradeRequest("/"));
        WireHead response = third.readResponse();
        assertEquals(503, response.status());
        assertEquals("1", response.header("Retry-After"));
        assertTrue(third.readsEndOfStream());
        Await.until("both connections registered", Duration.ofSeconds(5), () -> server.connections().size() == 2);

        first.sendClose(1000, "");
        first.readFrame();
        assertTrue(first.readsEndOfStream(), "FIN after the Close echo");
        first.close();                      // as a client does on the server's FIN
        Await.until("a slot is free", Duration.ofSeconds(5), () -> server.threads().size() == 2);   // accept + the second
        open(server).sendText("in");
    }

    private WebSocketServer echoServer() throws IOException {
        WebSocketServer server = start();
        server.events().subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()));
        return server;
    }

    /** A good client still gets through and is echoed. */
    private void assertServes(WebSocketServer server) throws IOException {
        try (WirePeer good = WirePeer.open(server.port(), "/")) {
            good.sendText("still here");
            assertEquals("still here", good.readFrame().text());
        }
    }
}
