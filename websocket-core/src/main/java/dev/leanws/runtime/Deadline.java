package dev.leanws.runtime;

/**
 * A moment after which something must happen: the one deadline primitive of the runtime, used
 * for the opening handshakes ({@link HandshakeGuard}), for every deadline of an open connection
 * ({@link ConnectionDeadlines}: close, frame, ping, pong, idle) and for stalled writes. It
 * holds a time: arming is two volatile writes (plus, for a deadline of a group, a volatile read
 * of the group's {@link Watermark} and a CAS only when the new time is earlier than it) and
 * checking a volatile read, so thousands of connections can re-arm theirs on every read at no
 * cost, and the {@link Watchdog} thread checks them every tick.
 *
 * <p>Times are {@link System#nanoTime()} values, compared by subtraction (they may wrap).
 */
public final class Deadline {

    /**
     * The earliest moment any deadline of a group may pass, so that a check of the whole group
     * can stop at one comparison while it is ahead ({@link ConnectionDeadlines}). Arming a
     * deadline lowers it (after the deadline is written); the checker resets it and lowers it
     * again from every armed deadline (after the reset), so one of the two always sees the other.
     */
    interface Watermark {
        void lower(long at);
    }

    private final Watermark watermark;
    private volatile boolean armed;
    private volatile long at;

    /** A deadline on its own. */
    public Deadline() {
        this(null);
    }

    /** A deadline that lowers {@code watermark} whenever it is armed ({@code null}: none). */
    Deadline(Watermark watermark) {
        this.watermark = watermark;
    }

    /** Passes {@code timeoutNanos} after {@code nowNanos}. */
    public void arm(long nowNanos, long timeoutNanos) {
        at = nowNanos + timeoutNanos;
        armed = true;
        if (watermark != null) {
            watermark.lower(nowNanos + timeoutNanos);
        }
    }

    /** Moves an armed deadline earlier (never later) to {@code timeoutNanos} after {@code nowNanos}; arms it if disarmed. */
    public void armNoLaterThan(long nowNanos, long timeoutNanos) {
        long candidate = nowNanos + timeoutNanos;
        if (!armed || candidate - at < 0) {
            arm(nowNanos, timeoutNanos);
        }
    }

    /** Lowers {@code w} to this deadline if it is armed (the checker's recount). */
    void lowerIfArmed(Watermark w) {
        if (armed) {
            w.lower(at);
        }
    }

    /** Never passes until armed again. */
    public void disarm() {
        armed = false;
    }

    public boolean isArmed() {
        return armed;
    }

    /** Whether it is armed and {@code nowNanos} is at or after it. */
    public boolean passed(long nowNanos) {
        return armed && nowNanos - at >= 0;
    }

    /** Nanoseconds left at {@code nowNanos} (negative once passed); meaningful only while armed. */
    public long remaining(long nowNanos) {
        return at - nowNanos;
    }
}
