package dev.leanws.event;

import dev.leanws.CloseCause;
import dev.leanws.CloseStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import dev.leanws.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

class EventManagerTest {

    private final EventManager events = new EventManager();
    private final WebSocket a = connection("a");
    private final WebSocket b = connection("b");

    private static WebSocket connection(String id) {
        WebSocket ws = mock(WebSocket.class);
        when(ws.id()).thenReturn(id);
        return ws;
    }

    @SuppressWarnings("unchecked")
    private static <T extends WsEvent> EventHandler<T> handler() {
        return mock(EventHandler.class);
    }

    @Test
    void filtersByKindMessageTypeAndConnection() throws Exception {
        EventHandler<TextEvent> texts = handler();
        EventHandler<MessageEvent> messages = handler();
        EventHandler<WsEvent> fromB = handler();
        EventHandler<CloseEvent> closesOfA = handler();
        events.subscribe(EventFilter.textMessages(), texts);
        events.subscribe(EventFilter.messages(), messages);
        events.subscribe(EventFilter.connection("b"), fromB);
        events.subscribe(EventFilter.closes().and(EventFilter.connection("a")), closesOfA);

        TextEvent textA = new TextEvent(a, "hi");
        BinaryEvent binB = new BinaryEvent(b, ByteBuffer.allocate(1));
        CloseEvent closeA = new CloseEvent(a, CloseCause.PEER_CLOSE, CloseStatus.NORMAL, true, true);
        CloseEvent closeB = new CloseEvent(b, CloseCause.SERVER_SHUTDOWN, CloseStatus.GOING_AWAY, false, true);
        OpenEvent openA = new OpenEvent(a);
        for (WsEvent e : List.of(openA, textA, binB, closeA, closeB)) {
            events.dispatch(e);
        }

        verify(texts).handle(textA);
        verifyNoMoreInteractions(texts);
        verify(messages).handle(textA);
        verify(messages).handle(binB);
        verifyNoMoreInteractions(messages);
        verify(fromB).handle(binB);
        verify(fromB).handle(closeB);
        verifyNoMoreInteractions(fromB);
        verify(closesOfA).handle(closeA);
        verifyNoMoreInteractions(closesOfA);
    }

    @Test
    void handlersRunInSubscriptionOrder() throws Exception {
        EventHandler<WsEvent> first = handler();
        EventHandler<WsEvent> second = handler();
        events.subscribe(EventFilter.all(), first);
        events.subscribe(EventFilter.all(), second);
        OpenEvent open = new OpenEvent(a);
        events.dispatch(open);
        InOrder order = inOrder(first, second);
        order.verify(first).handle(open);
        order.verify(second).handle(open);
    }

    @Test
    void closingASubscriptionStopsDelivery() throws Exception {
        EventHandler<OpenEvent> h = handler();
        Subscription s = events.subscribe(EventFilter.opens(), h);
        assertTrue(s.isActive());
        s.close();
        s.close();
        assertFalse(s.isActive());
        assertEquals(0, events.subscriptionCount());
        events.dispatch(new OpenEvent(a));
        verify(h, never()).handle(org.mockito.ArgumentMatchers.any());
    }

    @Test
    void aThrowingHandlerIsIsolated() throws Exception {
        List<String> seen = new ArrayList<>();
        events.subscribe(EventFilter.all(), e -> { throw new IllegalStateException("boom"); });
        events.subscribe(EventFilter.all(), e -> { throw new AssertionError("assertion in a handler"); });
        events.subscribe(EventFilter.all(), e -> seen.add(e.connection().id()));
        events.dispatch(new OpenEvent(a));
        events.dispatch(new OpenEvent(b));
        assertEquals(List.of("a", "b"), seen);
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
