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
 * {@link #onPong}, {@link #afterRead}); the watchdog thread reads those volatile fields and
 * acts through {@link Actions}. Any inbound byte proves the peer alive, so a peer busy sending
 * a long frame is not dropped for a pong stuck behind it; but a frame must be complete within
 * {@code frameTimeout} of its first byte, so a peer trickling one byte at a time cannot hold a
 * frame (and the memory behind it) open forever.
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

    private volatile long frameStartNanos;    // 0: between frames
    private long framesBegunSeen;             // reader thread only
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

    /**
     * After a read was processed: whether a frame is still partly received, and how many frames
     * have begun so far. A frame that began in this read restarts the frame deadline.
     */
    void afterRead(long now, boolean insideFrame, long framesBegun) {
        if (!insideFrame) {
            if (frameStartNanos != 0) {
                frameStartNanos = 0;
            }
        } else if (framesBegun != framesBegunSeen || frameStartNanos == 0) {
            frameStartNanos = now;
        }
        framesBegunSeen = framesBegun;
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
        long frameStart = frameStartNanos;
        if (frameStart != 0 && now - frameStart > frameTimeout) {
            connection.abort("frame timeout: a frame took longer than " + frameTimeout / 1_000_000 + " ms");
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
