package dev.leanws;

/**
 * What a send does when the connection's outbound buffer already holds
 * {@link WebSocketConfig#maxOutboundBytes()} bytes that the peer has not yet taken.
 *
 * <p>A message is always accepted while the buffer is empty, so one message larger than the
 * budget can still be sent; the budget bounds what piles up behind a slow reader.
 */
public enum BackpressurePolicy {
    /**
     * The sender waits until the buffer drains below the budget, at most
     * {@link WebSocketConfig#writeTimeout()}; past that the slow consumer is closed with 1008 and
     * the send returns {@code false}. A handler sending on its own connection's thread writes
     * directly instead of waiting. Broadcasts never wait: they skip a connection that is over
     * budget (see {@code WebSocketServer.broadcast}).
     */
    BLOCK,
    /** The send returns {@code false} at once and the message is dropped; the connection stays open. */
    FAIL,
    /** The connection is closed with 1008 (policy violation) and the send returns {@code false}. */
    CLOSE
}
