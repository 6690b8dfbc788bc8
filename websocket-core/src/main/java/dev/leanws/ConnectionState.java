package dev.leanws;

/**
 * Where a connection is in its life (RFC 6455 §4 and §7).
 *
 * <pre>
 *  CONNECTING --handshake ok--> OPEN --close sent or received--> CLOSING --TCP closed--> CLOSED
 *       \________________________ failure ______________________________________________/
 * </pre>
 */
public enum ConnectionState {
    /** The opening handshake is in progress. */
    CONNECTING,
    /** Messages flow both ways. */
    OPEN,
    /** A Close frame was sent or received; no more data is sent. */
    CLOSING,
    /** The TCP connection is closed; the close event has been (or is being) dispatched. */
    CLOSED
}
