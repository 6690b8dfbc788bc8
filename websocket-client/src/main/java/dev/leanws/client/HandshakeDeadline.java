package dev.leanws.client;

import dev.leanws.runtime.Watchdog;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The deadlines of one connection attempt: first the connect timeout, then the handshake
 * timeout. No timer thread: the shared {@link Watchdog} ticks it and, once the current phase's
 * deadline passes, closes whatever is guarded (the channel, later the transport), which makes
 * the attempt's blocked connect, write or read fail at once. {@link #explain} then turns that
 * failure into a {@link SocketTimeoutException} naming the phase.
 *
 * <p>The same close serves {@link #cancel()}: the application closed the client while an
 * attempt was under way.
 *
 * <p>The attempt ends once, through one compare-and-set: the deadline passes, the attempt is
 * cancelled, or {@link #disarm()} records its success. So a handshake that completes just as
 * the deadline passes is either returned (and no longer watched) or reported as a timeout, never
 * returned with its socket closed by a late tick.
 */
final class HandshakeDeadline implements Watchdog.Watched, AutoCloseable {

    private static final String DISARMED = "disarmed";
    private static final String CANCELLED = "cancelled";

    /** A phase and its deadline, swapped as one so a tick never mixes two phases. */
    private record Phase(String name, long deadlineNanos, long timeoutMillis) {
    }

    private final Watchdog watchdog;
    private volatile Phase phase;
    private volatile AutoCloseable guarded;
    /** How the attempt ended: null while it runs, then DISARMED, CANCELLED or the timeout's message. */
    private final AtomicReference<String> ended = new AtomicReference<>();
    private boolean registered;          // the attempt's thread only

    HandshakeDeadline(Watchdog watchdog) {
        this.watchdog = watchdog;
    }

    /** Starts a phase ("connect", "handshake") that must end within {@code timeout} from now. */
    void start(String name, Duration timeout) {
        phase = new Phase(name, System.nanoTime() + timeout.toNanos(), timeout.toMillis());
        if (!registered) {
            registered = true;
            watchdog.register(this);
        }
    }

    /** What to close when the deadline passes or the attempt is cancelled; closed at once if it already was. */
    void guard(AutoCloseable resource) {
        guarded = resource;
        if (isOver()) {
            closeQuietly(resource);
        }
    }

    @Override
    public void tick(long nowNanos) {
        Phase p = phase;
        if (p != null && nowNanos - p.deadlineNanos() >= 0
                && ended.compareAndSet(null, p.name() + " timed out after " + p.timeoutMillis() + " ms")) {
            closeQuietly(guarded);
        }
    }

    /** Ends the attempt from another thread: the guarded resource is closed, unless the attempt already succeeded. */
    void cancel() {
        if (ended.compareAndSet(null, CANCELLED)) {
            closeQuietly(guarded);
        }
    }

    /**
     * The attempt succeeded: nothing may cut it from now on.
     *
     * @return false if the deadline passed or a cancel came first (then {@link #explain} says which)
     */
    boolean disarm() {
        return ended.compareAndSet(null, DISARMED) || DISARMED.equals(ended.get());
    }

    /** Whether the deadline passed or the attempt was cancelled: nothing more may be tried. */
    boolean isOver() {
        String why = ended.get();
        return why != null && !DISARMED.equals(why);
    }

    /** The failure to report for {@code e}, which may be the consequence of this deadline or a cancel. */
    IOException explain(IOException e) {
        String why = ended.get();
        if (why == null || DISARMED.equals(why)) {
            return e;
        }
        if (CANCELLED.equals(why)) {
            InterruptedIOException stopped = new InterruptedIOException("connection attempt cancelled: the client was closed");
            stopped.initCause(e);
            return stopped;
        }
        SocketTimeoutException timeout = new SocketTimeoutException(why);
        timeout.initCause(e);
        return timeout;
    }

    /** Throws the timeout or the cancellation if one happened. */
    void check() throws IOException {
        if (isOver()) {
            throw explain(new IOException("connection attempt ended"));
        }
    }

    @Override
    public void close() {
        watchdog.unregister(this);
    }

    private static void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception ignored) {
            // closing is all we can do; the blocked call reports the failure
        }
    }
}
