package dev.leanws.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.CloseCause;
import dev.leanws.CloseStatus;
import dev.leanws.WebSocket;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventManagerTest {

    private final EventManager events = new EventManager();
    private final WebSocket a = connection("a");
    private final WebSocket b = connection("b");

    /** A connection that only has an id: all that filters and events ask of it here. */
    private static WebSocket connection(String id) {
        return (WebSocket) Proxy.newProxyInstance(WebSocket.class.getClassLoader(), new Class<?>[] {WebSocket.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "id" -> id;
                    case "toString" -> "connection " + id;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName() + " on a fake connection");
                });
    }

    @Test
    void filtersByKindMessageTypeAndConnection() {
        List<WsEvent> texts = new ArrayList<>();
        List<WsEvent> messages = new ArrayList<>();
        List<WsEvent> fromB = new ArrayList<>();
        List<WsEvent> closesOfA = new ArrayList<>();
        events.subscribe(EventFilter.textMessages(), texts::add);
        events.subscribe(EventFilter.messages(), messages::add);
        events.subscribe(EventFilter.connection("b"), fromB::add);
        events.subscribe(EventFilter.closes().and(EventFilter.connection("a")), closesOfA::add);

        TextEvent textA = new TextEvent(a, "hi");
        BinaryEvent binB = new BinaryEvent(b, ByteBuffer.allocate(1));
        CloseEvent closeA = new CloseEvent(a, CloseCause.PEER_CLOSE, CloseStatus.NORMAL, true, true);
        CloseEvent closeB = new CloseEvent(b, CloseCause.SERVER_SHUTDOWN, CloseStatus.GOING_AWAY, false, true);
        OpenEvent openA = new OpenEvent(a);
        for (WsEvent e : List.of(openA, textA, binB, closeA, closeB)) {
            events.dispatch(e);
        }

        assertEquals(List.of(textA), texts);
        assertEquals(List.of(textA, binB), messages);
        assertEquals(List.of(binB, closeB), fromB);
        assertEquals(List.of(closeA), closesOfA);
    }

    @Test
    void handlersRunInSubscriptionOrder() {
        List<String> calls = new ArrayList<>();
        events.subscribe(EventFilter.all(), e -> calls.add("first"));
        events.subscribe(EventFilter.all(), e -> calls.add("second"));
        events.dispatch(new OpenEvent(a));
        assertEquals(List.of("first", "second"), calls);
    }

    @Test
    void closingASubscriptionStopsDelivery() {
        List<WsEvent> seen = new ArrayList<>();
        Subscription s = events.subscribe(EventFilter.opens(), seen::add);
        assertTrue(s.isActive());
        s.close();
        s.close();
        assertFalse(s.isActive());
        assertEquals(0, events.subscriptionCount());
        events.dispatch(new OpenEvent(a));
        assertEquals(List.of(), seen);
    }

    /** A failure reaches the hook with its event, and the other handlers still run. */
    @Test
    void aThrowingHandlerIsIsolatedAndReported() {
        List<String> seen = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        List<WsEvent> failedOn = new ArrayList<>();
        events.onHandlerFailure((event, failure) -> {
            failedOn.add(event);
            failures.add(failure);
        });
        events.subscribe(EventFilter.all(), e -> { throw new IllegalStateException("boom"); });
        events.subscribe(EventFilter.all(), e -> { throw new AssertionError("assertion in a handler"); });
        events.subscribe(EventFilter.all(), e -> seen.add(e.connection().id()));
        OpenEvent openA = new OpenEvent(a);
        events.dispatch(openA);
        events.dispatch(new OpenEvent(b));
        assertEquals(List.of("a", "b"), seen);
        assertEquals(4, failures.size());
        assertInstanceOf(IllegalStateException.class, failures.get(0));
        assertInstanceOf(AssertionError.class, failures.get(1));
        assertSame(openA, failedOn.get(0));
    }

    /** A hook that itself throws does not break dispatch either (its failure goes to the log). */
    @Test
    void anEventRecorderTurnsAHandlerFailureIntoATestFailure() {
        EventRecorder recorder = new EventRecorder(events);
        events.subscribe(EventFilter.opens(), e -> { throw new AssertionError("expected 2 but was 1"); });
        events.dispatch(new OpenEvent(a));
        recorder.next(OpenEvent.class);
        AssertionError failure = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, recorder::close);
        assertEquals("expected 2 but was 1", failure.getCause().getMessage());
    }

    @Test
    void aHandlerMayUnsubscribeItselfDuringDispatch() {
        List<String> seen = new ArrayList<>();
        Subscription[] self = new Subscription[1];
        self[0] = events.subscribe(EventFilter.all(), e -> { seen.add("once"); self[0].close(); });
        events.dispatch(new OpenEvent(a));
        events.dispatch(new OpenEvent(a));
        assertEquals(List.of("once"), seen);
    }

    @Test
    void negateAndAnyOfAndPredicates() {
        EventFilter<TextEvent> shortText = EventFilter.textMessages().and(e -> e.text().length() < 3);
        assertTrue(shortText.accepts(new TextEvent(a, "hi")));
        assertFalse(shortText.accepts(new TextEvent(a, "hello")));
        assertFalse(shortText.accepts(new OpenEvent(a)));
        assertTrue(shortText.negate().accepts(new TextEvent(a, "hello")));
        EventFilter<WsEvent> openOrClose = EventFilter.anyOf(EventFilter.opens(), EventFilter.closes());
        assertTrue(openOrClose.accepts(new OpenEvent(a)));
        assertTrue(openOrClose.accepts(new CloseEvent(a, CloseCause.PEER_CLOSE, CloseStatus.NORMAL, true, true)));
        assertFalse(openOrClose.accepts(new PongEvent(a, ByteBuffer.allocate(0))));
    }
}
