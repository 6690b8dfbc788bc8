package dev.leanws.server;

import dev.leanws.http.HttpRequest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.testing.WireHead;
import dev.leanws.testing.WirePeer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Plain HTTP on the WebSocket port: the default 404, the handler, its failures and limits. */
class HttpHandlerTest extends ServerTestSupport {

    private static final String PAGE = "<!doctype html><title>chat</title>";

    private WebSocketServer pageServer() throws Exception {
        return start(b -> b.maxHttpBodySize(100).httpHandler(request -> switch (request.path()) {
            case "/" -> HttpResponse.html(200, PAGE).withHeader("Cache-Control", "no-store");
            case "/echo" -> HttpResponse.of(200, "application/octet-stream", request.body());
            case "/boom" -> throw new IllegalStateException("handler bug");
            default -> null;
        }));
    }

    @Test
    void withoutAHandlerPlainRequestsGet404() throws Exception {
        WebSocketServer server = start();
        WirePeer peer = connect(server);
        peer.send("GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n");
        WireHead response = peer.readResponse();
        assertEquals(404, response.status());
        assertEquals("close", response.header("Connection"));
        assertTrue(peer.readsEndOfStream());
    }

    @Test
    void servesAPageToTheJdkHttpClient() throws Exception {
        WebSocketServer server = pageServer();
        try (HttpClient http = HttpClient.newHttpClient()) {
            var response = http.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                    .build(), BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals(PAGE, response.body());
            assertEquals("text/html; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("no-store", response.headers().firstValue("Cache-Control").orElseThrow());
        }
    }

    @Test
    void headGetsTheHeadersWithoutTheBody() throws Exception {
        WebSocketServer server = pageServer();
        WirePeer peer = connect(server);
        peer.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
        String all = new String(peer.readToEnd(), StandardCharsets.ISO_8859_1);
        assertTrue(all.startsWith("HTTP/1.1 200 OK\r\n"), all);
        assertTrue(all.contains("Content-Length: " + PAGE.length() + "\r\n"), all);
        assertTrue(all.endsWith("\r\n\r\n"), "no body: " + all);
    }

    @Test
    void nullIs404AndAThrowingHandlerIs500() throws Exception {
        WebSocketServer server = pageServer();
        for (var c : new Object[][] {{"/missing", 404}, {"/boom", 500}}) {
            WirePeer peer = connect(server);
            peer.send("GET " + c[0] + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(c[1], peer.readResponse().status());
        }
        WirePeer peer = connect(server);
        peer.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(200, peer.readResponse().status());
    }

    @Test
    void readsAContentLengthBodyWithinTheLimit() throws Exception {
        AtomicReference<HttpRequest> seen = new AtomicReference<>();
        WebSocketServer server = start(b -> b.maxHttpBodySize(100).httpHandler(request -> {
            seen.set(request);
            return HttpResponse.of(204);
        }));
        WirePeer peer = connect(server);
        peer.send("POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello");
        peer.send(" world");
        assertEquals(204, peer.readResponse().status());
        assertEquals("POST", seen.get().method());
        assertArrayEquals("hello world".getBytes(StandardCharsets.US_ASCII), seen.get().body());

        for (var c : new Object[][] {
                {"Content-Length: 101\r\n", 413},
                {"Content-Length: 5\r\nContent-Length: 6\r\n", 400},
                {"Content-Length: -1\r\n", 400},
                {"Transfer-Encoding: chunked\r\n", 501}}) {
            WirePeer bad = connect(server);
            bad.send("POST /form HTTP/1.1\r\nHost: x\r\n" + c[0] + "\r\n");
            assertEquals(c[1], bad.readResponse().status(), (String) c[0]);
            assertTrue(bad.readsEndOfStream());
        }
    }

    @Test
    void theDefaultBodyLimitIs64KiB() throws Exception {
        AtomicReference<HttpRequest> seen = new AtomicReference<>();
        WebSocketServer server = start(b -> b.httpHandler(request -> {
            seen.set(request);
            return HttpResponse.of(204);
        }));
        WirePeer over = connect(server);
        over.send("POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 65537\r\n\r\n");
        assertEquals(413, over.readResponse().status());
        WirePeer at = connect(server);
        at.send("POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 65536\r\n\r\n" + "b".repeat(65536));
        assertEquals(204, at.readResponse().status());
        assertEquals(65536, seen.get().body().length);
    }

    @Test
    void aRequestWithWebSocketHeadersButNoUpgradeGets426NotTheHandler() throws Exception {
        WebSocketServer server = pageServer();
        WirePeer peer = connect(server);
        peer.send("GET / HTTP/1.1\r\nHost: x\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + WirePeer.KEY + "\r\n\r\n");
        WireHead response = peer.readResponse();
        assertEquals(426, response.status());
        assertEquals("websocket", response.header("Upgrade"));
    }
}
