package dev.leanws.event;

/**
 * Receives the events its filter accepts, on the connection's own thread, in order. An exception
 * it throws is logged and does not affect other handlers or the connection.
 *
 * @param <T> the event type
 */
@FunctionalInterface
public interface EventHandler<T extends WsEvent> {
    void handle(T event) throws Exception;
}
