package dev.leanws.runtime;

import dev.leanws.CloseStatus;
import dev.leanws.WebSocketConfig;
import java.nio.ByteBuffer;

/**
 * The deadlines of one connection, checked by the {@link Watchdog} every tick: a write that
 * makes no progress, a closing handshake the peer does not finish, a frame that stops halfway,
 * keep-alive (a ping after {@code pingInterval} of silence, then a pong within
 * {@code pongTimeout}), and the optional idle timeout (no data message for that long).
 *
 * <p>The reader thread records what it sees ({@link #onRead}, {@link #onMessage},
 * {@link #onPong}, {@link #setMidFrame}); the watchdog thread reads those volatile fields and
 * acts through {@link Actions}. Any inbound byte proves the peer alive, so a peer busy sending
 * a long frame is not dropped for a pong stuck behind it.
 */
final class ConnectionDeadlines implements Watchdog.Watched {

    /** What the deadlines may do to their connection. None of these block. */
    interface Actions {
        void ping(ByteBuffer payload);

        void close(int code, String reason);

        void abort(String reason);

        /** Nanotime since which the current write has made no progress, or 0. */
        long writeStalledSinceNanos();

        boolean isClosed();

        /** A Close frame was received or queued: only the close and write deadlines still apply. */
        boolean isClosing();
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Actions connection;
    private final long writeTimeout;
    private final long closeTimeout;
    private final long frameTimeout;
    private final long pingInterval;
    private final long pongTimeout;
    private final long idleTimeout;

    private volatile boolean midFrame;
    private volatile long lastReadNanos;
    private volatile long lastMessageNanos;
    private volatile long pingSentNanos;      // 0: no keep-alive ping outstanding
    private volatile long closeQueuedNanos;   // 0: no Close frame queued yet

    ConnectionDeadlines(WebSocketConfig config, Actions connection) {
        this.connection = connection;
        this.writeTimeout = config.writeTimeout().toNanos();
        this.closeTimeout = config.closeTimeout().toNanos();
        this.frameTimeout = config.frameTimeout().toNanos();
        this.pingInterval = config.pingInterval().toNanos();
        this.pongTimeout = config.pongTimeout().toNanos();
        this.idleTimeout = config.idleTimeout().toNanos();
    }

    /** The connection opened now. */
    void start(long now) {
        lastReadNanos = now;
        lastMessageNanos = now;
    }

    void onRead(long now) {
        lastReadNanos = now;
    }

    void onMessage(long now) {
        lastMessageNanos = now;
    }

    void onPong() {
        pingSentNanos = 0;
    }

    void setMidFrame(boolean inside) {
        if (midFrame != inside) {
            midFrame = inside;
        }
    }

    void onCloseQueued(long now) {
        closeQueuedNanos = now;
    }

    @Override
    public void tick(long now) {
        if (connection.isClosed()) {
            return;
        }
        long stalled = connection.writeStalledSinceNanos();
        if (stalled != 0 && now - stalled > writeTimeout) {
            connection.abort("write timeout: the peer stopped reading");
            return;
        }
        long closeQueued = closeQueuedNanos;
        if (closeQueued != 0) {
            if (now - closeQueued > closeTimeout) {
                connection.abort("close timeout");
            }
            return;
        }
        if (connection.isClosing()) {
            return;
        }
        long lastRead = lastReadNanos;
        if (midFrame && now - lastRead > frameTimeout) {
            connection.abort("frame timeout: no data for " + frameTimeout / 1_000_000 + " ms inside a frame");
            return;
        }
        if (pingInterval > 0) {
            long pingSent = pingSentNanos;
            if (pingSent != 0) {
                if (now - Math.max(pingSent, lastRead) > pongTimeout) {
                    connection.abort("pong timeout");
                    return;
                }
            } else if (now - lastRead >= pingInterval) {
                pingSentNanos = now;
                connection.ping(EMPTY);
            }
        }
        if (idleTimeout > 0 && now - lastMessageNanos >= idleTimeout) {
            connection.close(CloseStatus.GOING_AWAY.code(), "idle timeout");
        }
    }
}
