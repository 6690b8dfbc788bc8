package dev.leanws.runtime;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The deadline of everything before a connection opens, on either side: the client's connect
 * and handshake, the server's request head, upgrade hook and answer, and the short linger after
 * a refusal. Each phase has a name and a {@link Deadline}; the {@link Watchdog} checks it and,
 * once it passes, closes what is guarded (the channel, then the transport) and interrupts the
 * guarded thread, which makes a blocked connect, read or write fail at once and frees a hook
 * blocked in a call of its own. {@link #explain} then turns the failure into a
 * {@link SocketTimeoutException} naming the phase.
 *
 * <p>The attempt ends once, through one compare-and-set: the deadline passes, the attempt is
 * cancelled ({@link #cancel()}, e.g. the client was closed meanwhile), or {@link #disarm()}
 * records its success. So a handshake that completes just as the deadline passes is either
 * reported as done (and no longer watched) or as a timeout, never both.
 *
 * <pre>{@code
 * try (HandshakeGuard guard = new HandshakeGuard(watchdog)) {
 *     guard.start("handshake", config.handshakeTimeout());
 *     guard.guard(transport);
 *     ... blocking reads and writes ...
 *     if (!guard.disarm()) throw guard.explain(new IOException("handshake ended"));
 * } catch (IOException e) {
 *     throw guard.explain(e);
 * }
 * }</pre>
 */
public final class HandshakeGuard implements Watchdog.Watched, AutoCloseable {

    private static final String DISARMED = "disarmed";
    private static final String CANCELLED = "cancelled";

    private final Watchdog watchdog;
    private final Deadline deadline = new Deadline();
    private volatile String phase = "handshake";
    private volatile long timeoutMillis;
    private volatile AutoCloseable guarded;
    private volatile Thread thread;
    /** How the attempt ended: null while it runs, then DISARMED, CANCELLED or the timeout's message. */
    private final AtomicReference<String> ended = new AtomicReference<>();
    private boolean registered;          // the attempt's thread only

    public HandshakeGuard(Watchdog watchdog) {
        this.watchdog = watchdog;
    }

    /** Starts a phase ("connect", "handshake", ...) that must end within {@code timeout} from now. */
    public void start(String name, Duration timeout) {
        phase = name;
        timeoutMillis = timeout.toMillis();
        deadline.arm(System.nanoTime(), timeout.toNanos());
        if (!registered) {
            registered = true;
            watchdog.register(this);
        }
    }

    /** Moves the current phase's deadline earlier (never later): to {@code timeout} from now. */
    public void shortenTo(Duration timeout) {
        deadline.armNoLaterThan(System.nanoTime(), timeout.toNanos());
    }

    /** What to close when the deadline passes or the attempt is cancelled; closed at once if it already was. */
    public void guard(AutoCloseable resource) {
        guarded = resource;
        if (isOver()) {
            closeQuietly(resource);
        }
    }

    /** Also interrupt {@code t} when the deadline passes (a hook blocked in a call of its own). */
    public void interrupt(Thread t) {
        thread = t;
    }

    /** Checked at every tick: a guard lives for one attempt, and its deadline may be moved by another thread. */
    @Override
    public long tick(long nowNanos) {
        if (deadline.passed(nowNanos) && ended.compareAndSet(null, phase + " timed out after " + timeoutMillis + " ms")) {
            watchdog.unregister(this);
            closeQuietly(guarded);
            Thread t = thread;
            if (t != null) {
                t.interrupt();
            }
        }
        return nowNanos;
    }

    /** Ends the attempt from another thread: the guarded resource is closed, unless the attempt already succeeded. */
    public void cancel() {
        if (ended.compareAndSet(null, CANCELLED)) {
            closeQuietly(guarded);
        }
    }

    /**
     * The attempt succeeded: nothing may cut it from now on.
     *
     * @return false if the deadline passed or a cancel came first (then {@link #explain} says which)
     */
    public boolean disarm() {
        boolean done = ended.compareAndSet(null, DISARMED) || DISARMED.equals(ended.get());
        if (done) {
            deadline.disarm();
        }
        return done;
    }

    /** Whether the deadline passed or the attempt was cancelled: nothing more may be tried. */
    public boolean isOver() {
        String why = ended.get();
        return why != null && !DISARMED.equals(why);
    }

    /** Whether the deadline (not a cancel) ended the attempt. */
    public boolean timedOut() {
        return isOver() && !CANCELLED.equals(ended.get());
    }

    /** The failure to report for {@code e}, which may be the consequence of this deadline or a cancel. */
    public IOException explain(IOException e) {
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
    public void check() throws IOException {
        if (isOver()) {
            throw explain(new IOException("connection attempt ended"));
        }
    }

    /** Stops watching (the watchdog forgets it); call once the attempt is over, whatever happened. */
    @Override
    public void close() {
        watchdog.unregister(this);
        // A late tick must not interrupt the thread once it has moved on to other work.
        thread = null;
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

    @Override
    public String toString() {
        return "handshake guard (" + phase + ")";
    }
}
