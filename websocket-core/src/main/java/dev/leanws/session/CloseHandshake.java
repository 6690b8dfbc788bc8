package dev.leanws.session;

import dev.leanws.CloseCause;
import dev.leanws.CloseStatus;
import dev.leanws.codec.ProtocolException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The life of one connection from open to closed (RFC 6455 §7), as one state machine without
 * I/O: the only place that knows whether the closing handshake started, who started it, the
 * codes sent and received, why the connection is being dropped, and how it finally ended.
 * Every runtime thread reports to it (the reader, the application's threads, the watchdog) and
 * asks it what to do; each transition is one compare-and-set of an immutable {@link State}, so
 * concurrent reports are ordered and the first one wins.
 *
 * <pre>
 *                 closeRequested                 closeReceived
 *   OPEN ------------------------------> CLOSE_SENT -----------> HANDSHAKE_DONE
 *     |  \______ closeReceived (echo) ____________________________/^      |
 *     |  \______ violation (Close with its code) ---> FAILED              |
 *     |                                                 |                 |
 *     +--- abort (any time before ENDED: drop TCP) ------+-----------------+--> ended --> ENDED
 * </pre>
 *
 * <ul>
 *   <li>{@link #closeRequested}: we start closing (application, idle timeout, shutdown, slow
 *       consumer); only in {@code OPEN} does it say to queue our Close.</li>
 *   <li>{@link #closeReceived}: the peer's Close; in {@code OPEN} it says to echo it.</li>
 *   <li>{@link #violation}: the peer broke the protocol; in {@code OPEN} we send a Close with
 *       the violation's code; either way no more input is read.</li>
 *   <li>{@link #abort}: drop the connection without (finishing) the handshake; the first cause
 *       is kept.</li>
 *   <li>{@link #ended}: TCP is closed; the outcome ({@link #outcome()}) is final.</li>
 * </ul>
 */
public final class CloseHandshake {

    /** Where the connection is. */
    public enum Phase {
        /** Messages flow both ways. */
        OPEN,
        /** Our Close is queued; the peer's is awaited. */
        CLOSE_SENT,
        /** Both Close frames were exchanged (either order): the closing handshake is complete. */
        HANDSHAKE_DONE,
        /** The peer broke the protocol; our Close (if we could still send one) carries the violation's code. */
        FAILED,
        /** TCP is closed; nothing changes any more. */
        ENDED
    }

    /** What the caller must do after a report. */
    public enum Action {
        /** Nothing: the report changed nothing, or there is nothing to send. */
        NONE,
        /** Queue our Close frame with the status given to the report. */
        SEND_CLOSE,
        /** Queue the echo of the peer's Close. */
        ECHO_CLOSE,
        /** Close the transport now (an abort that was the first to end the connection). */
        CLOSE_TRANSPORT
    }

    /**
     * The whole state, immutable.
     *
     * @param phase       where the connection is
     * @param localCause  why we started closing (null unless we did)
     * @param sent        the status of our Close frame, once queued (an echo included)
     * @param received    the status of the peer's Close, once received
     * @param peerFirst   whether the peer's Close came before ours
     * @param violation   the peer's protocol violation, if it failed the connection
     * @param abortCause  why the connection was dropped (null unless it was)
     * @param abortDetail words for the drop, e.g. the I/O error's message
     */
    public record State(Phase phase, CloseCause localCause, CloseStatus sent, CloseStatus received,
            boolean peerFirst, ProtocolException violation, CloseCause abortCause, String abortDetail) {

        static final State INITIAL = new State(Phase.OPEN, null, null, null, false, null, null, null);

        State phase(Phase next) {
            return new State(next, localCause, sent, received, peerFirst, violation, abortCause, abortDetail);
        }
    }

    /**
     * How the connection ended, for its close event.
     *
     * @param cause  why it ended (see {@link CloseCause})
     * @param status the closing handshake's status, or 1006 with words when there was none
     * @param remote whether the peer started the end (its Close, its violation, its disconnect)
     * @param clean  whether the closing handshake completed
     */
    public record Outcome(CloseCause cause, CloseStatus status, boolean remote, boolean clean) {
    }

    private final AtomicReference<State> state = new AtomicReference<>(State.INITIAL);

    /** The current state. */
    public State state() {
        return state.get();
    }

    public Phase phase() {
        return state.get().phase();
    }

    /**
     * We start closing.
     *
     * @return {@link Action#SEND_CLOSE} if the caller must queue our Close with {@code status};
     *         {@link Action#NONE} if closing started before (by either side) or the connection failed
     */
    public Action closeRequested(CloseCause cause, CloseStatus status) {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(status, "status");
        while (true) {
            State s = state.get();
            if (s.phase() != Phase.OPEN || s.abortCause() != null) {
                return Action.NONE;
            }
            State next = new State(Phase.CLOSE_SENT, cause, status, null, false, null, null, null);
            if (state.compareAndSet(s, next)) {
                return Action.SEND_CLOSE;
            }
        }
    }

    /**
     * The peer's Close arrived ({@link CloseStatus#NO_STATUS} when it had no code).
     *
     * @return {@link Action#ECHO_CLOSE} when the peer closed first and we must answer
     */
    public Action closeReceived(CloseStatus status) {
        Objects.requireNonNull(status, "status");
        while (true) {
            State s = state.get();
            State next;
            Action action;
            switch (s.phase()) {
                case OPEN -> {
                    // RFC 6455 §5.5.1: echo the code; an empty Close is answered with an empty one.
                    CloseStatus echo = status.code() == CloseStatus.NO_STATUS.code() ? null : new CloseStatus(status.code(), "");
                    next = new State(Phase.HANDSHAKE_DONE, null, echo, status, true, null, s.abortCause(), s.abortDetail());
                    action = Action.ECHO_CLOSE;
                }
                case CLOSE_SENT -> {
                    next = new State(Phase.HANDSHAKE_DONE, s.localCause(), s.sent(), status, false, null,
                            s.abortCause(), s.abortDetail());
                    action = Action.NONE;
                }
                default -> {
                    return Action.NONE;   // bytes after the handshake or a failure are not ours to judge
                }
            }
            if (state.compareAndSet(s, next)) {
                return action;
            }
        }
    }

    /**
     * The peer broke the protocol.
     *
     * @return {@link Action#SEND_CLOSE} if the caller must queue a Close with the violation's
     *         status (we had not sent one yet)
     */
    public Action violation(ProtocolException violation) {
        Objects.requireNonNull(violation, "violation");
        while (true) {
            State s = state.get();
            if (s.phase() != Phase.OPEN && s.phase() != Phase.CLOSE_SENT) {
                return Action.NONE;
            }
            boolean send = s.phase() == Phase.OPEN;
            State next = new State(Phase.FAILED, s.localCause(), send ? violation.closeStatus() : s.sent(), null, false,
                    violation, s.abortCause(), s.abortDetail());
            if (state.compareAndSet(s, next)) {
                return send ? Action.SEND_CLOSE : Action.NONE;
            }
        }
    }

    /**
     * The connection is to be dropped without (finishing) the closing handshake: a deadline
     * passed, the application aborted, I/O failed.
     *
     * @param detail words for the close event's reason, e.g. an exception's message
     * @return {@link Action#CLOSE_TRANSPORT} if this is the first abort (the caller closes the
     *         transport); {@link Action#NONE} if it was dropped before or has ended
     */
    public Action abort(CloseCause cause, String detail) {
        Objects.requireNonNull(cause, "cause");
        while (true) {
            State s = state.get();
            if (s.phase() == Phase.ENDED || s.abortCause() != null) {
                return Action.NONE;
            }
            State next = new State(s.phase(), s.localCause(), s.sent(), s.received(), s.peerFirst(), s.violation(),
                    cause, detail == null ? "" : detail);
            if (state.compareAndSet(s, next)) {
                return Action.CLOSE_TRANSPORT;
            }
        }
    }

    /**
     * TCP is closed. Without a completed handshake, a failure or an abort before, this is the
     * peer's disconnect ({@code error == null}) or an I/O failure.
     *
     * @return the final outcome (the same on every later call)
     */
    public Outcome ended(Throwable error) {
        while (true) {
            State s = state.get();
            if (s.phase() == Phase.ENDED) {
                return outcome(s);
            }
            State next = s.phase(Phase.ENDED);
            if (s.abortCause() == null && s.phase() != Phase.HANDSHAKE_DONE && s.phase() != Phase.FAILED) {
                next = error == null
                        ? new State(Phase.ENDED, s.localCause(), s.sent(), s.received(), s.peerFirst(), s.violation(),
                                CloseCause.PEER_DISCONNECTED, "connection closed by the peer without a Close frame")
                        : new State(Phase.ENDED, s.localCause(), s.sent(), s.received(), s.peerFirst(), s.violation(),
                                CloseCause.IO_ERROR, String.valueOf(error.getMessage()));
            }
            if (state.compareAndSet(s, next)) {
                return outcome(next);
            }
        }
    }

    /** Whether no more frames will be read: the handshake completed or the connection failed (or ended). */
    public boolean isReadingDone() {
        Phase p = state.get().phase();
        return p == Phase.HANDSHAKE_DONE || p == Phase.FAILED || p == Phase.ENDED;
    }

    /** Whether closing started in any way (a Close either way, a failure, an abort), or the connection ended. */
    public boolean isClosing() {
        State s = state.get();
        return s.phase() != Phase.OPEN || s.abortCause() != null;
    }

    /** How the connection ended; only meaningful once {@link #ended} was called. */
    public Outcome outcome() {
        return outcome(state.get());
    }

    private static Outcome outcome(State s) {
        if (s.violation() != null) {
            CloseStatus status = s.violation().closeStatus();
            if (s.violation().violation() == dev.leanws.codec.ProtocolViolation.MEMORY_BUDGET) {
                // Our limit, not the peer's breach: the server could not hold more for now (1013).
                return new Outcome(CloseCause.MEMORY_PRESSURE, status, false, false);
            }
            return new Outcome(CloseCause.PROTOCOL_VIOLATION, status, true, false);
        }
        if (s.received() != null && s.sent() != null || s.received() != null && s.peerFirst()) {
            // The closing handshake completed (an empty Close is echoed empty: sent may be null).
            return s.peerFirst()
                    ? new Outcome(CloseCause.PEER_CLOSE, s.received(), true, true)
                    : new Outcome(s.localCause(), s.sent(), false, true);
        }
        CloseCause abort = s.abortCause() != null ? s.abortCause() : CloseCause.PEER_DISCONNECTED;
        CloseStatus dropped = new CloseStatus(CloseStatus.ABNORMAL.code(), reason(abort, s.abortDetail()));
        if (s.localCause() != null) {
            // We started closing and the peer never answered: the reason we closed stays the cause,
            // except that an unanswered close() of the application is a close timeout.
            CloseCause cause = s.localCause() == CloseCause.LOCAL_CLOSE && abort == CloseCause.CLOSE_TIMEOUT
                    ? CloseCause.CLOSE_TIMEOUT : s.localCause();
            return new Outcome(cause, dropped, false, false);
        }
        return new Outcome(abort, dropped, abort.isPeersFault(), false);
    }

    /** The 1006 reason: the cause in words, then the detail (at most what a Close frame could carry). */
    private static String reason(CloseCause cause, String detail) {
        String words = cause.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        String text = detail == null || detail.isEmpty() ? words : words + ": " + detail;
        return text.length() <= CloseStatus.MAX_REASON_BYTES ? text : text.substring(0, CloseStatus.MAX_REASON_BYTES);
    }

    @Override
    public String toString() {
        return "close handshake " + state.get();
    }
}
