package dev.leanws.cluster;

import java.io.IOException;

/**
 * A publish/subscribe engine that server nodes share: bytes published to a channel reach every
 * node subscribed to it. {@link ClusterTopics} needs nothing more, so another engine (NATS,
 * say) is one class implementing these five methods. {@link RedisBroker} is the one shipped.
 *
 * <pre>{@code
 * Broker broker = RedisBroker.create("redis://127.0.0.1:6379");
 * broker.start((channel, message) -> System.out.println(channel + ": " + message.length + " bytes"));
 * broker.subscribe("prices");
 * broker.publish("prices", bytes);      // every node subscribed to "prices" gets it, this one too
 * broker.close();
 * }</pre>
 *
 * <p>What an implementation promises:
 * <ul>
 *   <li><b>At most once.</b> A message reaches each subscribed node once or not at all; while
 *       the engine is unreachable, publishes are dropped (and counted), not queued.</li>
 *   <li><b>Subscriptions outlive outages.</b> After a reconnection the engine is subscribed to
 *       every channel it was asked for, without the caller doing anything.</li>
 *   <li><b>No waiting on the network.</b> {@code subscribe}, {@code unsubscribe} and
 *       {@code publish} are thread-safe and hand their work over (a buffered write at most);
 *       they never wait for the engine to answer or to come back.</li>
 *   <li><b>Ordered delivery per channel.</b> The listener is called on the broker's own thread,
 *       for one channel in publication order, and must not block for long.</li>
 * </ul>
 */
public interface Broker extends AutoCloseable {

    /** Receives what was published to the channels this node subscribed to. */
    @FunctionalInterface
    interface Listener {
        /**
         * @param channel the channel it was published to
         * @param message the bytes as published (the listener may keep them)
         */
        void onMessage(String channel, byte[] message);
    }

    /**
     * Connects and logs in, and from then on delivers to {@code listener}. Fails fast: a
     * configuration that cannot work (unreachable address, refused credentials) throws here,
     * within the connect timeout, with a message that names the cause.
     *
     * @throws IOException           if the engine cannot be reached or refuses the login
     * @throws IllegalStateException if started before
     */
    void start(Listener listener) throws IOException;

    /** Subscribes this node to a channel (again after each reconnection). Idempotent. */
    void subscribe(String channel);

    /** Unsubscribes this node from a channel. Idempotent. */
    void unsubscribe(String channel);

    /**
     * Publishes to a channel.
     *
     * @return false if the message was dropped (the engine is unreachable, or too much is
     *         waiting to be written to it); the implementation counts such losses
     */
    boolean publish(String channel, byte[] message);

    /** Disconnects and stops delivering; idempotent. */
    @Override
    void close();
}
