package dev.leanws.server;

import dev.leanws.CloseStatus;
import dev.leanws.CloseCause;
import dev.leanws.AttributeKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.ConnectionState;
import dev.leanws.UpgradeConfig;
import dev.leanws.WebSocket;
import dev.leanws.codec.Opcode;
import dev.leanws.ProtocolViolationException;
import dev.leanws.event.BinaryEvent;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.ErrorEvent;
import dev.leanws.event.EventFilter;
import dev.leanws.event.MessageEvent;
import dev.leanws.event.OpenEvent;
import dev.leanws.event.PongEvent;
import dev.leanws.event.Subscription;
import dev.leanws.event.TextEvent;
import dev.leanws.event.WsEvent;
import dev.leanws.testing.Await;
import dev.leanws.testing.RawFrames;
import dev.leanws.testing.Recorder;
import dev.leanws.testing.WireFrame;
import dev.leanws.testing.WirePeer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Events end to end: every kind with its data, filters, unsubscribe, isolation, threading. */
class EventsTest extends ServerTestSupport {

    private static final AttributeKey<String> USER = AttributeKey.of("user", String.class);

    @Test
    void everyKindOfEventArrivesWithItsData() throws Exception {
        WebSocketServer server = start(b -> b
                .upgrade(UpgradeConfig.builder().subprotocols(List.of("chat.v1")).build())
                .upgradeHook(request -> UpgradeDecision.accept().with(USER, request.queryParameter("user").orElseThrow())));
        EventRecorder events = record(server);
        WirePeer peer = closeLater(WirePeer.open(server.port(), "/chat?user=ada", "Sec-WebSocket-Protocol: chat.v1"));

        WebSocket connection = events.next(OpenEvent.class).connection();
        assertTrue(connection.id().startsWith("s-"), connection.id());
        assertEquals(peer.localPort(), connection.remoteAddress().getPort());
        assertEquals("chat.v1", connection.subprotocol().orElseThrow());
        assertEquals(List.of(), connection.extensions());
        assertEquals("ada", connection.attributes().get(USER).orElseThrow());
        assertEquals("/chat", connection.request().path());
        assertEquals("ada", connection.request().queryParameter("user").orElseThrow());
        assertEquals("chat.v1", connection.request().header("sec-websocket-protocol").orElseThrow());
        assertEquals(server.port(), connection.localAddress().getPort());
        assertEquals(ConnectionState.OPEN, connection.state());
        assertEquals(List.of(connection), server.connections());

        peer.sendText("héllo");
        TextEvent text = events.next(TextEvent.class);
        assertEquals("héllo", text.text());
        assertEquals(connection, text.connection());

        peer.sendBinary(new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, events.next(BinaryEvent.class).bytes());

        peer.sendPing("are you there");
        WireFrame pong = peer.readFrame();
        assertEquals(Opcode.PONG.code(), pong.opcode());
        assertEquals("are you there", pong.text());

        peer.sendPong("unsolicited".getBytes(StandardCharsets.UTF_8));
        assertEquals("unsolicited", StandardCharsets.UTF_8.decode(events.next(PongEvent.class).payload()).toString());

        peer.sendClose(1000, "done");
        assertEquals(1000, peer.readFrame().closeCode());
        assertTrue(peer.readsEndOfStream());
        peer.close();                       // as a client does on the server's FIN
        CloseEvent close = events.next(CloseEvent.class);
        assertEquals(new CloseEvent(connection, CloseCause.PEER_CLOSE, CloseStatus.of(1000, "done"), true, true), close);
        assertEquals(ConnectionState.CLOSED, connection.state());
        events.assertExhausted();
    }

    @Test
    void aViolationIsReportedAsAnErrorBeforeTheClose() throws Exception {
        WebSocketServer server = start();
        EventRecorder events = record(server);
        WirePeer peer = open(server);
        events.next(OpenEvent.class);
        peer.send(RawFrames.text("unmasked").build());
        assertInstanceOf(ProtocolViolationException.class, events.next(ErrorEvent.class).cause());
        peer.close();
        assertEquals(1002, events.next(CloseEvent.class).code());
    }

    @Test
    void filtersChooseByKindAndConnection() throws Exception {
        WebSocketServer server = start();
        EventRecorder events = record(server);
        WirePeer a = open(server);
        String idA = events.next(OpenEvent.class).connection().id();
        WirePeer b = open(server);
        events.next(OpenEvent.class);

        Recorder<TextEvent> textsOfA = closeLater(new Recorder<>());
        Recorder<BinaryEvent> binaries = closeLater(new Recorder<>());
        server.events().subscribe(EventFilter.textMessages().and(EventFilter.connection(idA)), textsOfA::accept);
        server.events().subscribe(EventFilter.binaryMessages(), binaries::accept);

        b.sendText("from b");
        a.sendBinary(new byte[] {7});
        a.sendText("from a");
        TextEvent text = textsOfA.next(TextEvent.class);
        assertEquals("from a", text.text());
        assertEquals(idA, text.connection().id());
        assertEquals(7, binaries.next(BinaryEvent.class).bytes()[0]);
        for (int i = 0; i < 3; i++) {
            events.skipTo(MessageEvent.class);   // b's text and a's messages, in whatever order the two threads go
        }
        textsOfA.assertExhausted();
        binaries.assertExhausted();
    }

    @Test
    void unsubscribedHandlersGetNothingMore() throws Exception {
        WebSocketServer server = start();
        Recorder<TextEvent> handler = closeLater(new Recorder<>());
        Subscription subscription = server.events().subscribe(EventFilter.textMessages(), handler::accept);
        EventRecorder events = record(server);   // after the handler: it sees each event after the handler would
        WirePeer peer = open(server);
        peer.sendText("one");
        events.skipTo(TextEvent.class);
        subscription.close();
        assertFalse(subscription.isActive());
        peer.sendText("two");
        assertEquals("two", events.next(TextEvent.class).text());
        assertEquals("one", handler.next(TextEvent.class).text());
        handler.assertExhausted();
    }

    /** A throwing handler: the others and the connection go on, and the failure reaches the hook. */
    @Test
    void aThrowingHandlerIsIsolatedFromOtherHandlersAndTheConnection() throws Exception {
        WebSocketServer server = start();
        List<WsEvent> failedOn = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        server.events().onHandlerFailure((event, failure) -> {
            failedOn.add(event);
            failures.add(failure);
        });
        server.events().subscribe(EventFilter.all(), e -> { throw new IllegalStateException("handler bug"); });
        server.events().subscribe(EventFilter.textMessages(), e -> e.connection().send("echo " + e.text()));
        WirePeer peer = open(server);
        for (String m : List.of("one", "two")) {
            peer.sendText(m);
            assertEquals("echo " + m, peer.readFrame().text());
        }
        Await.until("open, one and two reach the failure hook", () -> failures.size() == 3);
        assertEquals(List.of(OpenEvent.class, TextEvent.class, TextEvent.class),
                failedOn.stream().map(Object::getClass).toList());
        failures.forEach(f -> assertEquals("handler bug", f.getMessage()));
        assertEquals(1, server.connections().size());
        assertTrue(server.connections().get(0).isOpen());
    }

    @Test
    void oneConnectionsHandlersRunInOrderOnItsOwnThread() throws Exception {
        WebSocketServer server = start();
        List<String> threads = new CopyOnWriteArrayList<>();
        List<String> texts = new CopyOnWriteArrayList<>();
        server.events().subscribe(EventFilter.all(), e -> threads.add(Thread.currentThread().getName()));
        server.events().subscribe(EventFilter.textMessages(), e -> texts.add(e.text()));
        EventRecorder events = record(server);
        WirePeer peer = open(server);
        String id = events.next(OpenEvent.class).connection().id();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sent.add("m" + i);
            peer.sendText("m" + i);
        }
        for (int i = 0; i < 200; i++) {
            events.next(TextEvent.class);
        }
        assertEquals(sent, texts);
        assertEquals(List.of("leanws-conn-" + id), threads.stream().distinct().toList());
    }

    @Test
    void aSlowHandlerOnOneConnectionDoesNotDelayAnother() throws Exception {
        WebSocketServer server = start();
        CountDownLatch release = new CountDownLatch(1);
        server.events().subscribe(EventFilter.textMessages(), e -> {
            // The answer carries the outcome, so the test sees it on the wire at once.
            boolean released = !e.text().equals("block") || release.await(10, TimeUnit.SECONDS);
            e.connection().send((released ? "echo " : "never released: ") + e.text());
        });
        WirePeer slow = open(server);
        WirePeer fast = open(server);
        slow.sendText("block");
        fast.sendText("quick");
        assertEquals("echo quick", fast.readFrame().text());
        release.countDown();
        assertEquals("echo block", slow.readFrame().text());
    }
}
