package dev.leanws;

/**
 * Why a connection ended, as a value a {@code switch} can use: the first thing that ended it or
 * started its closing. The {@link dev.leanws.event.CloseEvent} carries it with the close status
 * and whether the closing handshake completed.
 *
 * <pre>{@code
 * server.events().subscribe(EventFilter.closes(), e -> {
 *     switch (e.cause()) {
 *         case LOCAL_CLOSE, PEER_CLOSE -> { }                                  // a normal goodbye
 *         case PONG_TIMEOUT, IDLE_TIMEOUT, PEER_DISCONNECTED -> log.info("{} went away", e.connection().id());
 *         case PROTOCOL_VIOLATION -> log.warn("{} broke the protocol: {}", e.connection().id(), e.status());
 *         case SLOW_CONSUMER, WRITE_TIMEOUT -> log.warn("{} does not read", e.connection().id());
 *         default -> log.info("{} ended: {} {}", e.connection().id(), e.cause(), e.status());
 *     }
 * });
 * }</pre>
 */
public enum CloseCause {
    /** The application closed the connection ({@code close(...)}) and the peer answered. */
    LOCAL_CLOSE(false),
    /** The peer started the closing handshake and we answered. */
    PEER_CLOSE(true),
    /** The peer broke RFC 6455; we closed with the code the violation calls for (1002, 1007, 1009...). */
    PROTOCOL_VIOLATION(true),
    /** The application's {@code close(...)} was not answered by the peer within the close timeout. */
    CLOSE_TIMEOUT(true),
    /** No pong (or any byte) came within the pong timeout after a keep-alive ping. */
    PONG_TIMEOUT(true),
    /** No data message arrived within the idle timeout; we closed with 1001. */
    IDLE_TIMEOUT(false),
    /** A frame stopped arriving halfway and did not complete within the frame timeout. */
    FRAME_TIMEOUT(true),
    /** A write to the peer made no progress within the write timeout: the peer stopped reading. */
    WRITE_TIMEOUT(true),
    /** The outbound budget was exceeded under a policy that closes slow consumers; we closed with 1008. */
    SLOW_CONSUMER(true),
    /** The server is stopping; we closed with 1001. */
    SERVER_SHUTDOWN(false),
    /** The application dropped the connection without a closing handshake ({@code abort()}). */
    ABORTED(false),
    /** The peer closed TCP without a closing handshake. */
    PEER_DISCONNECTED(true),
    /** Reading or writing failed (connection reset, broken pipe, TLS failure...). */
    IO_ERROR(true),
    /** The server-wide memory budget could not take what the peer sent; we closed with 1013 or 1009. */
    MEMORY_PRESSURE(false),
    /** A fault in the library itself; we closed with 1011. */
    INTERNAL_ERROR(false);

    private final boolean peersFault;

    CloseCause(boolean peersFault) {
        this.peersFault = peersFault;
    }

    /**
     * Whether this cause lies with the peer or the network (a violation, a timeout waiting for
     * it, a disconnect), as opposed to a decision on our side (the application's close, a
     * shutdown, an idle policy) or our own fault.
     */
    public boolean isPeersFault() {
        return peersFault;
    }
}
