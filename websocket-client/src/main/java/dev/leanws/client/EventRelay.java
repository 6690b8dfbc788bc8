package dev.leanws.client;

import dev.leanws.WebSocket;
import dev.leanws.WebSocketException;
import dev.leanws.event.BinaryEvent;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.ErrorEvent;
import dev.leanws.event.EventHandler;
import dev.leanws.event.EventManager;
import dev.leanws.event.OpenEvent;
import dev.leanws.event.PongEvent;
import dev.leanws.event.ReconnectEvent;
import dev.leanws.event.TextEvent;
import dev.leanws.event.WsEvent;

/**
 * Passes the events of one runtime connection on to the application's {@link EventManager},
 * with the client's stable handle as their {@code connection()}: across reconnects the
 * application sees one connection, whose id and attributes do not change, and a handler's
 * {@code e.connection().send(...)} always goes to whichever connection is current.
 *
 * <p>Runs on the connection's thread, so the order is kept. Also notes what the client needs
 * afterwards: when the open event has been dispatched, and why the connection ended.
 */
final class EventRelay implements EventHandler<WsEvent> {

    private final WebSocket handle;
    private final EventManager target;
    private final Runnable afterOpen;
    private volatile Throwable error;
    private volatile CloseEvent close;

    /**
     * @param handle    what the relayed events name as their connection
     * @param target    where they go
     * @param afterOpen run once the open event has been dispatched to {@code target}
     */
    EventRelay(WebSocket handle, EventManager target, Runnable afterOpen) {
        this.handle = handle;
        this.target = target;
        this.afterOpen = afterOpen;
    }

    @Override
    public void handle(WsEvent event) {
        WsEvent relayed = switch (event) {
            case OpenEvent e -> new OpenEvent(handle);
            case TextEvent e -> new TextEvent(handle, e.text());
            case BinaryEvent e -> new BinaryEvent(handle, e.data());
            case PongEvent e -> new PongEvent(handle, e.payload());
            case CloseEvent e -> new CloseEvent(handle, e.code(), e.reason(), e.remote());
            case ErrorEvent e -> new ErrorEvent(handle, e.cause());
            case ReconnectEvent e -> new ReconnectEvent(handle, e.attempt(), e.delay(), e.lastFailure());
        };
        if (relayed instanceof ErrorEvent e) {
            error = e.cause();
        } else if (relayed instanceof CloseEvent e) {
            close = e;
        }
        try {
            target.dispatch(relayed);
        } finally {
            if (relayed instanceof OpenEvent) {
                afterOpen.run();
            }
        }
    }

    /** Why the connection ended: the error it reported, else its close code and reason. */
    Throwable lossCause() {
        Throwable e = error;
        if (e != null) {
            return e;
        }
        CloseEvent c = close;
        return c == null ? new WebSocketException("connection ended")
                : new WebSocketException("connection closed by " + (c.remote() ? "the server" : "the client")
                        + " with " + c.code() + (c.reason().isEmpty() ? "" : " (" + c.reason() + ")"));
    }
}
