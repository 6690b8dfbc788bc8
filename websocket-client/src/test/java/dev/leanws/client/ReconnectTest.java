package dev.leanws.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.ConnectionState;
import dev.leanws.WebSocketException;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.ErrorEvent;
import dev.leanws.event.EventFilter;
import dev.leanws.event.EventManager;
import dev.leanws.event.OpenEvent;
import dev.leanws.event.ReconnectEvent;
import dev.leanws.event.TextEvent;
import dev.leanws.testing.EventRecorder;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reconnection: after the server drops the connection the same handle reconnects from its own
 * thread, reports each attempt, refuses sends while disconnected, and stops when closed.
 */
class ReconnectTest {

    private static final Duration FAST = Duration.ofMillis(20);

    private final EventManager events = new EventManager();
    private final EventRecorder recorder = new EventRecorder(events);
    private EchoServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = EchoServer.start();
    }

    @AfterEach
    void stopServer() throws Exception {
        recorder.close();
        server.close();
    }

    private static ReconnectPolicy.Builder policy() {
        return ReconnectPolicy.builder().initialDelay(FAST).maxDelay(Duration.ofMillis(80)).jitter(0);
    }

    private ClientWebSocket connect(ReconnectPolicy policy, ClientOptions.Builder options) throws Exception {
        ClientWebSocket ws = WebSocketClient.connect(server.uri("/"), options.reconnect(policy).events(events).build());
        assertSame(ws, recorder.next(OpenEvent.class).connection());
        return ws;
    }

    @Test
    void reconnectsAfterTheServerDropsTheConnection() throws Exception {
        List<String> duringReconnect = new CopyOnWriteArrayList<>();
        ClientOptions.Builder options = ClientOptions.builder().subscribe(EventFilter.ofType(ReconnectEvent.class),
                e -> duringReconnect.add(e.connection().state() + " send=" + e.connection().send("lost")));
        ClientWebSocket ws = connect(policy().build(), options);
        String id = ws.id();
        ws.attributes().put("user", "ann");
        ws.send("before");
        assertEquals("before", recorder.next(TextEvent.class).text());

        server.dropAll();
        CloseEvent lost = recorder.next(CloseEvent.class);
        assertSame(ws, lost.connection());
        assertEquals(1006, lost.code());
        assertTrue(lost.remote());
        ReconnectEvent attempt = recorder.next(ReconnectEvent.class);
        assertSame(ws, attempt.connection());
        assertEquals(1, attempt.attempt());
        assertEquals(FAST, attempt.delay());
        assertTrue(attempt.lastFailure().orElseThrow().getMessage().contains("1006"), attempt.lastFailure().toString());
        assertSame(ws, recorder.next(OpenEvent.class).connection());

        assertEquals(List.of("CONNECTING send=false"), duringReconnect);
        assertEquals(id, ws.id());
        assertEquals("ann", ws.attributes().get("user"));
        assertEquals(ConnectionState.OPEN, ws.state());
        assertTrue(ws.send("after"));
        assertEquals("after", recorder.next(TextEvent.class).text());
        assertEquals(2, server.requests().size(), "one handshake per connection");

        ws.close();
        assertEquals(1000, recorder.next(CloseEvent.class).code());
        assertEquals(ConnectionState.CLOSED, ws.state());
        recorder.assertExhausted();
    }

    @Test
    void backsOffWhileTheServerIsDownAndComesBackWhenItListensAgain() throws Exception {
        ClientOptions.Builder options = ClientOptions.builder().subscribe(EventFilter.ofType(ReconnectEvent.class), e -> {
            if (e.attempt() == 3) {
                server.listenAgain();   // the server is back before the third attempt
            }
        });
        ClientWebSocket ws = connect(policy().build(), options);
        server.stopListening();
        server.dropAll();
        recorder.next(CloseEvent.class);
        ReconnectEvent first = recorder.next(ReconnectEvent.class);
        ReconnectEvent second = recorder.next(ReconnectEvent.class);
        ReconnectEvent third = recorder.next(ReconnectEvent.class);
        assertEquals(List.of(1, 2, 3), List.of(first.attempt(), second.attempt(), third.attempt()));
        assertEquals(List.of(FAST, FAST.multipliedBy(2), FAST.multipliedBy(4)),
                List.of(first.delay(), second.delay(), third.delay()));
        assertInstanceOf(ConnectException.class, second.lastFailure().orElseThrow());
        assertInstanceOf(ConnectException.class, third.lastFailure().orElseThrow());
        recorder.next(OpenEvent.class);
        assertTrue(ws.send("back"));
        assertEquals("back", recorder.next(TextEvent.class).text());
        ws.close();
        recorder.next(CloseEvent.class);
    }

    @Test
    void givesUpAfterMaxAttempts() throws Exception {
        ClientWebSocket ws = connect(policy().maxAttempts(2).build(), ClientOptions.builder());
        server.stopListening();
        server.dropAll();
        recorder.next(CloseEvent.class);
        assertEquals(1, recorder.next(ReconnectEvent.class).attempt());
        assertEquals(2, recorder.next(ReconnectEvent.class).attempt());
        ErrorEvent gaveUp = recorder.next(ErrorEvent.class);
        assertSame(ws, gaveUp.connection());
        assertInstanceOf(WebSocketException.class, gaveUp.cause());
        assertTrue(gaveUp.cause().getMessage().startsWith("gave up reconnecting after 2 attempts"), gaveUp.cause().getMessage());
        assertInstanceOf(ConnectException.class, gaveUp.cause().getCause());
        assertTrue(ws.awaitClosed(Duration.ofSeconds(5)));
        assertEquals(ConnectionState.CLOSED, ws.state());
        assertFalse(ws.send("nobody"));
        recorder.assertExhausted();
    }

    @Test
    void closeDuringBackoffStopsReconnectingAtOnce() throws Exception {
        ClientWebSocket ws = connect(ReconnectPolicy.builder().initialDelay(Duration.ofMinutes(1))
                .maxDelay(Duration.ofMinutes(1)).build(), ClientOptions.builder());
        server.dropAll();
        recorder.next(CloseEvent.class);
        recorder.next(ReconnectEvent.class);
        long start = System.nanoTime();
        ws.close();
        assertTrue((System.nanoTime() - start) / 1_000_000 < 2_000, "close() did not wait out the backoff");
        assertEquals(ConnectionState.CLOSED, ws.state());
        assertTrue(ws.awaitClosed(Duration.ZERO));
        assertEquals(1, server.requests().size(), "no second handshake");
        recorder.assertExhausted();
    }

    @Test
    void closeFromAReconnectHandlerStopsBeforeTheAttempt() throws Exception {
        ClientOptions.Builder options = ClientOptions.builder()
                .subscribe(EventFilter.ofType(ReconnectEvent.class), e -> e.connection().close());
        ClientWebSocket ws = connect(policy().build(), options);
        server.dropAll();
        recorder.next(CloseEvent.class);
        recorder.next(ReconnectEvent.class);
        assertTrue(ws.awaitClosed(Duration.ofSeconds(5)));
        assertEquals(1, server.requests().size());
        recorder.assertExhausted();
    }

    @Test
    void withoutAPolicyALostConnectionStaysClosed() throws Exception {
        ClientWebSocket ws = connect(ReconnectPolicy.disabled(), ClientOptions.builder());
        server.dropAll();
        assertEquals(1006, recorder.next(CloseEvent.class).code());
        assertTrue(ws.awaitClosed(Duration.ofSeconds(5)));
        assertEquals(ConnectionState.CLOSED, ws.state());
        recorder.assertExhausted();
    }

    @Test
    void optionHandlersOfTwoClientsOnOneManagerSeeOnlyTheirOwnClient() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        ClientOptions options = ClientOptions.builder().events(events)
                .subscribe(EventFilter.textMessages(), e -> seen.add(e.connection().id() + ":" + e.text()))
                .build();
        try (ClientWebSocket a = WebSocketClient.connect(server.uri("/"), options);
                ClientWebSocket b = WebSocketClient.connect(server.uri("/"), options)) {
            assertNotEquals(a.id(), b.id());
            a.send("x");
            assertEquals(a.id() + ":x", seen.poll(5, TimeUnit.SECONDS));
            b.send("y");
            assertEquals(b.id() + ":y", seen.poll(5, TimeUnit.SECONDS));
            assertEquals(3, events.subscriptionCount(), "the recorder plus one handler per client");
        }
        assertEquals(1, events.subscriptionCount(), "each client removed its handler when it closed");
        assertTrue(seen.isEmpty(), "no handler saw the other client's message: " + seen);   // both threads are done
    }
}
