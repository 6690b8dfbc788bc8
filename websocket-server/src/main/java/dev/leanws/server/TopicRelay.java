package dev.leanws.server;

import java.nio.ByteBuffer;

/**
 * Carries a server's {@link Topics} beyond this process: what is published here goes out, what
 * other nodes published comes in through the {@link Topics.Link} that
 * {@link Topics#attach(TopicRelay)} returns. The {@code websocket-cluster} module's
 * {@code ClusterTopics} is one over a message broker (Redis pub/sub).
 *
 * <pre>{@code
 * Topics.Link link = server.topics().attach(new TopicRelay() {
 *     public void interestChanged(String topic) { ... compare server.topics().subscriberCount(topic) > 0 with what the broker has ... }
 *     public void published(String topic, ByteBuffer payload, boolean text) { broker.send(topic, payload, text); }
 *     public void broadcast(ByteBuffer payload, boolean text) { broker.send(ALL, payload, text); }
 * });
 * // on a message from the broker: link.deliver(topic, payload, text);  (local subscribers only)
 * link.detach();
 * }</pre>
 *
 * <p>The methods are called on the thread that subscribes, unsubscribes, publishes or
 * broadcasts (a connection's handler, any application thread), so they must return quickly and
 * never wait for the network: queue the work.
 */
public interface TopicRelay {

    /**
     * The topic gained its first local subscriber or lost its last one. Level-triggered: calls
     * for one topic may arrive in any order from concurrent threads, so read the state now
     * ({@code topics.subscriberCount(topic) > 0}) instead of trusting the order of calls.
     */
    void interestChanged(String topic);

    /**
     * A message published on this node (after its local delivery); not called for what the
     * relay itself delivers through {@link Topics.Link#deliver}.
     *
     * @param payload the message (UTF-8 when {@code text}); read-only, shared: copy what you keep
     */
    void published(String topic, ByteBuffer payload, boolean text);

    /**
     * An unfiltered {@link WebSocketServer#broadcast(String)} or
     * {@link WebSocketServer#broadcast(ByteBuffer)} made on this node (after its local delivery).
     *
     * @param payload as in {@link #published}
     */
    void broadcast(ByteBuffer payload, boolean text);
}
