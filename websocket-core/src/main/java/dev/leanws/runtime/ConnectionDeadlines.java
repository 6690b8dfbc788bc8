package dev.leanws.runtime;

import dev.leanws.CloseCause;
import dev.leanws.CloseStatus;
import dev.leanws.WebSocketConfig;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * The deadlines of one open connection, checked by the {@link Watchdog} every tick, each a
 * {@link Deadline}: a write that makes no progress, a closing handshake the peer does not
 * finish, a frame that stops halfway, keep-alive (a ping after {@code pingInterval} of silence,
 * then a pong within {@code pongTimeout}), and the optional idle timeout (no data message for
 * that long).
 *
 * <p>A deadline blames the peer only for the peer's slowness, never for time our own handlers
 * spent: the frame, pong and idle deadlines only run while the reader is blocked in
 * {@code read} waiting for the peer ({@link #beforeRead}/{@link #afterRead}). Bytes that sit
 * in the kernel while a handler runs are not the peer's delay. A frame must arrive within
 * {@code frameTimeout} of read-waiting time from its first byte, so a peer trickling one byte
 * at a time cannot hold a frame (and the memory behind it) open forever.
 *
 * <p>The reader thread reports what it does ({@link #beforeRead}, {@link #afterRead},
 * {@link #onMessage}, {@link #onPong}); the watchdog thread reads the deadlines and acts through
 * {@link Actions}.
 */
final class ConnectionDeadlines implements Watchdog.Watched, Deadline.Watermark {

    /** What the deadlines may do to their connection. None of these block. */
    interface Actions {
        void ping(ByteBuffer payload);

        /** Starts the closing handshake (idle timeout). */
        void close(CloseCause cause, CloseStatus status);

        /** Drops the connection without a closing handshake. */
        void abort(CloseCause cause, String detail);

        boolean isClosed();

        /** Closing started (a Close either way, a failure): only the close and write deadlines still apply. */
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

    /** Armed while a write is under way and made no progress since: the write timeout. */
    final Deadline writeStall = new Deadline(this);
    private final Deadline close = new Deadline(this);
    private final Deadline frame = new Deadline(this);
    private final Deadline ping = new Deadline(this);
    private final Deadline pong = new Deadline(this);
    private final Deadline idle = new Deadline(this);

    /**
     * No deadline can pass before this ({@link #NONE}: none is armed), so a tick before it is
     * one comparison: the watchdog checks every connection 20 times a second, and with tens of
     * thousands of idle ones the full check (six deadline objects and the connection's state,
     * each a cache miss) was most of an idle server's CPU. Often earlier than need be (a
     * keep-alive deadline moves later on every read without raising it): then one full check
     * recounts it.
     */
    private volatile long earliest = NONE;
    private static final long NONE = Watchdog.NEVER;
    private volatile Watchdog.Due slot;
    private static final VarHandle EARLIEST;

    static {
        try {
            EARLIEST = MethodHandles.lookup().findVarHandle(ConnectionDeadlines.class, "earliest", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile boolean reading;       // the reader is blocked in read()
    private long frameWaited;               // reader thread only: read-waiting time of the current frame
    private long framesBegunSeen;           // reader thread only
    private long readStart;                 // reader thread only
    private boolean messageSeen;            // reader thread only: a message was dispatched in this read

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
        if (pingInterval > 0) {
            ping.arm(now, pingInterval);
        }
        if (idleTimeout > 0) {
            idle.arm(now, idleTimeout);
        }
    }

    /** The reader is about to block in read; {@code insideFrame}: a frame is partly received. */
    void beforeRead(long now, boolean insideFrame) {
        readStart = now;
        if (insideFrame) {
            frame.arm(now, frameTimeout - frameWaited);
        }
        reading = true;
    }

    /**
     * A read returned (and its bytes are about to be processed): any byte proves the peer
     * alive, so the keep-alive clock restarts and a pong is no longer awaited. (A keep-alive
     * ping is only sent while the reader waits in read, so its pong deadline runs only then.)
     */
    void afterRead(long now) {
        reading = false;
        frame.disarm();
        frameWaited += now - readStart;
        if (pingInterval > 0) {
            ping.arm(now, pingInterval);
            pong.disarm();
        }
    }

    /**
     * After a read was processed: whether a frame is still partly received, and how many frames
     * have begun so far. A frame that began in this read starts its own waiting time; a message
     * handled in this read restarts the idle time from now, when its handlers are done.
     */
    void afterProcessing(long now, boolean insideFrame, long framesBegun) {
        if (!insideFrame || framesBegun != framesBegunSeen) {
            frameWaited = 0;
        }
        framesBegunSeen = framesBegun;
        if (messageSeen) {
            messageSeen = false;
            idle.arm(now, idleTimeout);
        }
    }

    /** A data message is being dispatched (reader thread). */
    void onMessage() {
        if (idleTimeout > 0) {
            messageSeen = true;
        }
    }

    void onPong() {
        pong.disarm();
    }

    void onCloseQueued(long now) {
        close.arm(now, closeTimeout);
    }

    /**
     * Where the watchdog keeps this connection's due time: lowered with {@link #earliest}, so
     * the watchdog's walk, which reads only its slot, never looks too late. Null until
     * registered (the registration ticks it once, which recounts).
     */
    void watchedThrough(Watchdog.Due slot) {
        this.slot = slot;
        // The registration's first tick may already have set the slot, and a deadline armed
        // between that tick and now lowered only earliest (lower() saw no slot yet). lower()
        // writes earliest then reads slot; this writes slot then reads earliest: one of the
        // two sees the other.
        long e = earliest;
        if (e != NONE) {
            slot.lower(e);
        }
    }

    @Override
    public void lower(long at) {
        long candidate = at == NONE ? at - 1 : at;   // 1 ns early (wrapping to MAX_VALUE), never late
        while (true) {
            long e = earliest;
            if (e != NONE && candidate - e >= 0) {
                return;
            }
            if (EARLIEST.compareAndSet(this, e, candidate)) {
                Watchdog.Due s = slot;
                if (s != null) {
                    s.lower(candidate);
                }
                return;
            }
        }
    }

    /** @return {@link #earliest} after the tick: when the watchdog should look again ({@link Watchdog#NEVER}: nothing armed) */
    @Override
    public long tick(long now) {
        long e = earliest;
        if (e == NONE || now - e < 0) {
            return e;
        }
        check(now);
        // Recount: reset first, then lower from every armed deadline; an arm racing with this
        // lowers it itself after writing its deadline (see Deadline.Watermark).
        earliest = NONE;
        writeStall.lowerIfArmed(this);
        close.lowerIfArmed(this);
        frame.lowerIfArmed(this);
        ping.lowerIfArmed(this);
        pong.lowerIfArmed(this);
        idle.lowerIfArmed(this);
        return earliest;
    }

    private void check(long now) {
        if (connection.isClosed()) {
            return;
        }
        if (writeStall.passed(now)) {
            connection.abort(CloseCause.WRITE_TIMEOUT, "the peer read nothing for " + writeTimeout / 1_000_000 + " ms");
            return;
        }
        if (close.passed(now)) {
            connection.abort(CloseCause.CLOSE_TIMEOUT, "no Close from the peer within " + closeTimeout / 1_000_000 + " ms");
            return;
        }
        if (connection.isClosing() || !reading) {
            return;   // a reader busy in our own handlers is not the peer's delay
        }
        if (frame.passed(now)) {
            connection.abort(CloseCause.FRAME_TIMEOUT, "a frame took longer than " + frameTimeout / 1_000_000 + " ms");
            return;
        }
        if (pong.passed(now)) {
            connection.abort(CloseCause.PONG_TIMEOUT, "no pong within " + pongTimeout / 1_000_000 + " ms");
            return;
        }
        if (ping.passed(now) && !pong.isArmed()) {
            pong.arm(now, pongTimeout);
            ping.disarm();
            connection.ping(EMPTY);
        }
        if (idle.passed(now)) {
            idle.disarm();
            connection.close(CloseCause.IDLE_TIMEOUT, CloseStatus.GOING_AWAY.withReason("idle timeout"));
        }
    }
}
