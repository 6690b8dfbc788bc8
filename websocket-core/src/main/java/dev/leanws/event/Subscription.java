package dev.leanws.event;

/**
 * A handler's registration with an {@link EventManager}; {@link #close()} removes it. Closing
 * twice does nothing. After {@code close()} returns, the handler is not called for events
 * dispatched later (a dispatch already under way on another thread may still reach it).
 */
public interface Subscription extends AutoCloseable {

    /** Whether the handler still receives events. */
    boolean isActive();

    /** Unsubscribes. */
    @Override
    void close();
}
