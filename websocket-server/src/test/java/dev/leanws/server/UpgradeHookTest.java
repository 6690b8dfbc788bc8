package dev.leanws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.http.HttpRequest;
import dev.leanws.Attributes;
import dev.leanws.AttributeKey;
import dev.leanws.event.OpenEvent;
import dev.leanws.testing.Await;
import dev.leanws.testing.WireHead;
import dev.leanws.testing.WirePeer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The upgrade hook: what it sees, accepting with attributes and headers, rejecting, failing. */
class UpgradeHookTest extends ServerTestSupport {

    private static final AttributeKey<String> USER = AttributeKey.of("user", String.class);
    private static final AttributeKey<String> ROLE = AttributeKey.of("role", String.class);

    @Test
    void seesMethodPathQueryHeadersAndRemoteAddress() throws Exception {
        AtomicReference<HttpRequest> seen = new AtomicReference<>();
        WebSocketServer server = start(b -> b.upgradeHook(request -> {
            seen.set(request);
            return UpgradeDecision.accept();
        }));
        WirePeer peer = closeLater(WirePeer.open(server.port(), "/rooms/1?token=a%20b&flag", "Cookie: sid=42",
                "X-Multi: one", "X-Multi: two"));
        HttpRequest request = seen.get();
        assertEquals("GET", request.method());
        assertEquals("/rooms/1?token=a%20b&flag", request.target());
        assertEquals("/rooms/1", request.path());
        assertEquals("token=a%20b&flag", request.query().orElseThrow());
        assertEquals("a b", request.queryParameter("token").orElseThrow());
        assertEquals("", request.queryParameter("flag").orElseThrow());
        assertTrue(request.queryParameter("absent").isEmpty());
        assertEquals("sid=42", request.header("cookie").orElseThrow());
        assertEquals(List.of("one", "two"), request.headers().all("x-multi"));
        assertEquals(Map.of("token", List.of("a b"), "flag", List.of("")), request.queryParameters());
        assertEquals(new InetSocketAddress("127.0.0.1", peer.localPort()), request.remoteAddress());
        assertEquals(0, request.body().length);
    }

    @Test
    void acceptsWithAttributesAndExtraResponseHeaders() throws Exception {
        WebSocketServer server = start(b -> b.upgradeHook(request ->
                UpgradeDecision.accept().with(USER, "ada").with(ROLE, "admin").withHeader("Set-Cookie", "sid=1")));
        EventRecorder events = record(server);
        WirePeer peer = connect(server);
        peer.send(WirePeer.upgradeRequest("/"));
        WireHead response = peer.readResponse();
        assertEquals(101, response.status());
        assertEquals("sid=1", response.header("Set-Cookie"));
        assertNotNull(response.header("Sec-WebSocket-Accept"));
        Attributes attributes = events.next(OpenEvent.class).connection().attributes();
        assertEquals("ada", attributes.get(USER).orElseThrow());
        assertEquals("admin", attributes.get(ROLE).orElseThrow());
    }

    @Test
    void rejectsWithAnyStatusHeadersAndBody() throws Exception {
        WebSocketServer server = start(b -> b.upgradeHook(request -> request.header("Authorization").isPresent()
                ? UpgradeDecision.accept()
                : UpgradeDecision.reject(HttpResponse.text(401, "log in first").withHeader("WWW-Authenticate", "Bearer"))));
        WirePeer peer = connect(server);
        peer.send(WirePeer.upgradeRequest("/"));
        WireHead response = peer.readResponse();
        assertEquals(401, response.status());
        assertEquals("Bearer", response.header("WWW-Authenticate"));
        assertEquals("log in first", response.body());
        assertTrue(peer.readsEndOfStream());
        assertTrue(server.connections().isEmpty());
        closeLater(WirePeer.open(server.port(), "/", "Authorization: Bearer x"));
        Await.until("the authorized connection opens", Duration.ofSeconds(5), () -> server.connections().size() == 1);
    }

    @Test
    void aThrowingOrNullHookGets500AndTheServerKeepsServing() throws Exception {
        WebSocketServer server = start(b -> b.upgradeHook(request -> switch (request.path()) {
            case "/throw" -> throw new IllegalStateException("hook bug");
            case "/null" -> null;
            default -> UpgradeDecision.accept();
        }));
        for (String path : List.of("/throw", "/null")) {
            WirePeer peer = connect(server);
            peer.send(WirePeer.upgradeRequest(path));
            assertEquals(500, peer.readResponse().status(), path);
            assertTrue(peer.readsEndOfStream());
        }
        closeLater(WirePeer.open(server.port(), "/"));
    }

    @Test
    void aHookThatBlocksPastTheHandshakeTimeoutIsInterruptedAndItsConnectionClosed() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        WebSocketServer server = start(b -> b
                .config(QUIET.toBuilder().handshakeTimeout(Duration.ofMillis(300)).build())
                .upgradeHook(request -> {
                    if (request.path().equals("/slow")) {
                        try {
                            new CountDownLatch(1).await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            interrupted.countDown();
                            throw e;
                        }
                    }
                    return UpgradeDecision.accept();
                }));
        WirePeer peer = connect(server);
        peer.send(WirePeer.upgradeRequest("/slow"));
        assertTrue(peer.readsEndOfStream(), "closed at the deadline, with no response");
        assertTrue(interrupted.await(5, TimeUnit.SECONDS));
        closeLater(WirePeer.open(server.port(), "/"));
    }

    @Test
    void allowOriginsAcceptsListedOriginsOnly() throws Exception {
        WebSocketServer server = start(b -> b.allowOrigins("https://good.example")
                .upgradeHook(request -> UpgradeDecision.accept().with(USER, "checked")));
        EventRecorder events = record(server);
        closeLater(WirePeer.open(server.port(), "/", "Origin: https://good.example"));
        assertEquals("checked", events.next(OpenEvent.class).connection().attributes().get(USER).orElseThrow());
        for (String origin : List.of("Origin: https://evil.example", "X-No-Origin: 1")) {
            WirePeer peer = connect(server);
            peer.send(WirePeer.upgradeRequest("/", origin));
            assertEquals(403, peer.readResponse().status(), origin);
        }
    }

    @Test
    void decisionsRefuseHeadersTheHandshakeOwns() {
        assertThrows(IllegalArgumentException.class, () -> UpgradeDecision.accept().withHeader("Sec-WebSocket-Protocol", "x"));
        assertThrows(IllegalArgumentException.class, () -> UpgradeDecision.accept().withHeader("Upgrade", "h2c"));
        assertThrows(IllegalArgumentException.class, () -> UpgradeDecision.accept().withHeader("X-Bad", "a\r\nInjected: 1"));
        assertThrows(IllegalArgumentException.class, () -> HttpResponse.of(200).withHeader("Content-Length", "5"));
        assertThrows(IllegalArgumentException.class, () -> HttpResponse.of(101));
    }
}
