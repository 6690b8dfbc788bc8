package dev.leanws.client;

import dev.leanws.runtime.Watchdog;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * The deadlines of one connection attempt: first the connect timeout, then the handshake
 * timeout. No timer thread: the shared {@link Watchdog} ticks it and, once the current phase's
 * deadline passes, closes whatever is guarded (the channel, later the transport), which makes
 * the attempt's blocked connect, write or read fail at once. {@link #explain} then turns that
 * failure into a {@link SocketTimeoutException} naming the phase.
 *
 * <p>The same close serves {@link #cancel()}: the application closed the client while an
 * attempt was under way.
 */
final class HandshakeDeadline implements Watchdog.Watched, AutoCloseable {

    /** A phase and its deadline, swapped as one so a tick never mixes two phases. */
    private record Phase(String name, long deadlineNanos, long timeoutMillis) {
    }

    private final Watchdog watchdog;
    private volatile Phase phase;
    private volatile AutoCloseable guarded;
    private volatile String expired;     // why it fired, or null
    private volatile boolean cancelled;
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
        if (expired != null || cancelled) {
            closeQuietly(resource);
        }
    }

    @Override
    public void tick(long nowNanos) {
        Phase p = phase;
        if (p != null && expired == null && !cancelled && nowNanos - p.deadlineNanos() >= 0) {
            expired = p.name() + " timed out after " + p.timeoutMillis() + " ms";
            closeQuietly(guarded);
        }
    }

    /** Ends the attempt from another thread: the guarded resource is closed. */
    void cancel() {
        cancelled = true;
        closeQuietly(guarded);
    }

    /** Whether the deadline passed or the attempt was cancelled: nothing more may be tried. */
    boolean isOver() {
        return expired != null || cancelled;
    }

    /** The failure to report for {@code e}, which may be the consequence of this deadline or a cancel. */
    IOException explain(IOException e) {
        if (expired != null) {
            SocketTimeoutException timeout = new SocketTimeoutException(expired);
            timeout.initCause(e);
            return timeout;
        }
        if (cancelled) {
            InterruptedIOException stopped = new InterruptedIOException("connection attempt cancelled: the client was closed");
            stopped.initCause(e);
            return stopped;
        }
        return e;
    }

    /** Throws the timeout or the cancellation if one happened (e.g. just as the attempt succeeded). */
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
