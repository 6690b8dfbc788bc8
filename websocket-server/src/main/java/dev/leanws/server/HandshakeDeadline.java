package dev.leanws.server;

import dev.leanws.runtime.Transport;
import dev.leanws.runtime.Watchdog;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The deadline of one opening handshake (reading the head, the hook or HTTP handler, writing
 * the answer), enforced by the shared {@link Watchdog} rather than a timer thread: when it
 * passes, the transport is closed, which fails a blocked read or write at once, and the thread
 * is interrupted, which frees a hook blocked in a call of its own.
 *
 * <p>{@link #disarm()} and the watchdog race through one CAS, so a handshake either completes
 * before its deadline or is cut by it, never both.
 */
final class HandshakeDeadline implements Watchdog.Watched {

    private static final int ARMED = 0;
    private static final int DISARMED = 1;
    private static final int EXPIRED = 2;

    private final Transport transport;
    private final Thread thread;
    private final AtomicInteger state = new AtomicInteger(ARMED);
    private volatile long deadlineNanos;

    private HandshakeDeadline(Transport transport, Thread thread, long deadlineNanos) {
        this.transport = transport;
        this.thread = thread;
        this.deadlineNanos = deadlineNanos;
    }

    /** Arms a deadline {@code timeoutNanos} from now for the calling thread's handshake. */
    static HandshakeDeadline start(Transport transport, long timeoutNanos) {
        HandshakeDeadline d = new HandshakeDeadline(transport, Thread.currentThread(), System.nanoTime() + timeoutNanos);
        Watchdog.shared().register(d);
        return d;
    }

    /** Moves the deadline earlier (never later): to {@code timeoutNanos} from now. */
    void shortenTo(long timeoutNanos) {
        long candidate = System.nanoTime() + timeoutNanos;
        if (candidate - deadlineNanos < 0) {
            deadlineNanos = candidate;
        }
    }

    /** Stops watching; {@link #expired()} then tells whether the watchdog cut the handshake first. */
    void disarm() {
        Watchdog.shared().unregister(this);
        state.compareAndSet(ARMED, DISARMED);
    }

    /** Whether the deadline passed and the handshake was cut. */
    boolean expired() {
        return state.get() == EXPIRED;
    }

    @Override
    public void tick(long nowNanos) {
        if (nowNanos - deadlineNanos > 0 && state.compareAndSet(ARMED, EXPIRED)) {
            Watchdog.shared().unregister(this);
            transport.close();
            thread.interrupt();
        }
    }

    @Override
    public String toString() {
        return "handshake deadline of " + thread.getName();
    }
}
