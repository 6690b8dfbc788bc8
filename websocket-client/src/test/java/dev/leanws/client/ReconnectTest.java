package dev.leanws.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.AttributeKey;
import dev.leanws.ConnectionState;
import dev.leanws.WebSocketException;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.ErrorEvent;
import dev.leanws.event.EventFilter;
import dev.leanws.event.EventManager;
import dev.leanws.event.OpenEvent;
import dev.leanws.event.TextEvent;
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
    private final BlockingQueue<ReconnectEvent> attempts = new LinkedBlockingQueue<>();
    private static final AttributeKey<String> USER = AttributeKey.of("user", String.class);
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

    private WebSocketClient connect(ReconnectPolicy policy, ClientConfig.Builder options) throws Exception {
        ClientConfig config = options.reconnect(policy).events(events).build();
        java.util.function.Consumer<ReconnectEvent> listener = config.reconnectListener();
        config = config.toBuilder().onReconnect(e -> {
            listener.accept(e);
            attempts.add(e);
        }).build();
        WebSocketClient ws = WebSocketClient.connect(server.uri("/"), config);
        assertSame(ws, recorder.next(OpenEvent.class).connection());
        return ws;
    }

    private ReconnectEvent nextAttempt() throws InterruptedException {
        ReconnectEvent e = attempts.poll(10, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no reconnection attempt within 10 s");
        }
        return e;
    }

    @Test
    void reconnectsAfterTheServerDropsTheConnection() throws Exception {
        List<String> duringReconnect = new CopyOnWriteArrayList<>();
        ClientConfig.Builder options = ClientConfig.builder().onReconnect(e -> duringReconnect.add(e.client().state() + " send=" + e.client().send("lost")));
        WebSocketClient ws = connect(policy().build(), options);
        String id = ws.id();
        ws.attributes().set(USER, "ann");
        ws.send("before");
        assertEquals("before", recorder.next(TextEvent.class).text());

        server.dropAll();
        CloseEvent lost = recorder.next(CloseEvent.class);
        assertSame(ws, lost.connection());
        assertEquals(1006, lost.code());
        assertTrue(lost.remote());
        ReconnectEvent attempt = nextAttempt();
        assertSame(ws, attempt.client());
        assertEquals(1, attempt.attempt());
        assertEquals(FAST, attempt.delay());
        assertTrue(attempt.lastFailure().orElseThrow().getMessage().contains("1006"), attempt.lastFailure().toString());
        assertSame(ws, recorder.next(OpenEvent.class).connection());

        assertEquals(List.of("CONNECTING send=false"), duringReconnect);
        assertEquals(id, ws.id());
        assertEquals("ann", ws.attributes().get(USER).orElseThrow());
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
        ClientConfig.Builder options = ClientConfig.builder().onReconnect(e -> {
            if (e.attempt() == 3) {
                try {
                    server.listenAgain();   // the server is back before the third attempt
                } catch (java.io.IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            }
        });
        WebSocketClient ws = connect(policy().build(), options);
        server.stopListening();
        server.dropAll();
        recorder.next(CloseEvent.class);
        ReconnectEvent first = nextAttempt();
        ReconnectEvent second = nextAttempt();
        ReconnectEvent third = nextAttempt();
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
        WebSocketClient ws = connect(policy().maxAttempts(2).build(), ClientConfig.builder());
        server.stopListening();
        server.dropAll();
        recorder.next(CloseEvent.class);
        assertEquals(1, nextAttempt().attempt());
        assertEquals(2, nextAttempt().attempt());
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
        WebSocketClient ws = connect(ReconnectPolicy.builder().initialDelay(Duration.ofMinutes(1))
                .maxDelay(Duration.ofMinutes(1)).build(), ClientConfig.builder());
        server.dropAll();
        recorder.next(CloseEvent.class);
        nextAttempt();
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
        ClientConfig.Builder options = ClientConfig.builder()
                .onReconnect(e -> e.client().close());
        WebSocketClient ws = connect(policy().build(), options);
        server.dropAll();
        recorder.next(CloseEvent.class);
        nextAttempt();
        assertTrue(ws.awaitClosed(Duration.ofSeconds(5)));
        assertEquals(1, server.requests().size());
        recorder.assertExhausted();
    }

    @Test
    void withoutAPolicyALostConnectionStaysClosed() throws Exception {
        WebSocketClient ws = connect(ReconnectPolicy.disabled(), ClientConfig.builder());
        server.dropAll();
        assertEquals(1006, recorder.next(CloseEvent.class).code());
        assertTrue(ws.awaitClosed(Duration.ofSeconds(5)));
        assertEquals(ConnectionState.CLOSED, ws.state());
        recorder.assertExhausted();
    }

    @Test
    void optionHandlersOfTwoClientsOnOneManagerSeeOnlyTheirOwnClient() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        ClientConfig options = ClientConfig.builder().events(events)
                .subscribe(EventFilter.textMessages(), e -> seen.add(e.connection().id() + ":" + e.text()))
                .build();
        try (WebSocketClient a = WebSocketClient.connect(server.uri("/"), options);
                WebSocketClient b = WebSocketClient.connect(server.uri("/"), options)) {
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
