package dev.leanws.testing.conformance;

import dev.leanws.testing.WireFrame;
import dev.leanws.testing.WireLog;
import dev.leanws.testing.WirePeer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Plays one {@link Case} over an open {@link WirePeer} and judges the implementation at the
 * other end the way Autobahn|Testsuite does: the events it produced against the expected ones
 * (OK, or NON-STRICT), who started the closing handshake, whether both Close frames were
 * exchanged, the close code, and that the implementation's TCP connection ends after the
 * handshake. The same runner serves both sides: as a client it tests a server (which must
 * close TCP first, RFC 6455 §7.1.1); as a server it tests a client (the suite sends FIN first
 * and the client must then close).
 *
 * <p>The suite closes as soon as the expected events have arrived (or can no longer arrive):
 * the closing handshake is the barrier after which nothing more may come, so no case waits
 * "a bit" to see whether something else shows up. Only pauses a case prescribes are waited
 * out, and they end early when the implementation closes.
 */
public final class CaseRunner {

    /** How long the implementation gets to send its Close frame, and then to end TCP. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

    private final WirePeer peer;
    private final Duration closeWait;
    private final double pauseScale;
    private final WireLog log;
    private final Expectation expect;
    private final List<Step> steps;
    private final Map<Frame, byte[]> encoded = new IdentityHashMap<>();
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final List<String> notes = new ArrayList<>();
    private long suiteCloseNanos = -1;
    private boolean closePending;

    private CaseRunner(Case.Script script, WirePeer peer, Duration closeWait, double pauseScale) {
        this.peer = peer;
        this.closeWait = closeWait;
        this.pauseScale = pauseScale;
        this.log = peer.log();
        this.expect = script.expectation();
        this.steps = script.steps();
    }

    /** Runs {@code c} on a peer whose opening handshake is done; closes the peer. */
    public static Outcome run(Case c, WirePeer peer) throws IOException {
        return run(c, peer, CLOSE_WAIT, 1.0);
    }

    /**
     * {@link #run(Case, WirePeer)} with another wait for the implementation's Close and end of
     * TCP, and the prescribed pauses scaled (for the runner's own tests against a toy server).
     */
    static Outcome run(Case c, WirePeer peer, Duration closeWait, double pauseScale) throws IOException {
        try (peer) {
            CaseRunner runner = new CaseRunner(c.script().get(), peer, closeWait, pauseScale);
            try {
                runner.runSteps();
            } catch (IOException e) {
                runner.notes.add("write failed: " + e.getMessage());
            }
            runner.closingHandshake();
            return Judge.judge(runner.expect, Transcript.of(runner.log.entries(), peer.side()),
                    runner.suiteCloseNanos, runner.notes);
        }
    }

    private boolean implementationClosed() {
        return WireLog.closedOrEnded(log.entries());
    }

    private void runSteps() throws IOException {
        for (Step step : steps) {
            if (implementationClosed()) {
                notes.add("script cut short: the implementation closed");
                break;
            }
            switch (step) {
                case Step.Send s -> {
                    if (s.chop() > 0 || s.sync()) {
                        flush();
                        peer.send(encode(s.frame()), s.chop());
                    } else {
                        pending.writeBytes(encode(s.frame()));
                    }
                }
                case Step.Close c -> {
                    pending.writeBytes(encode(c.frame()));
                    closePending = true;
                }
                case Step.SendPart p -> {
                    flush();
                    byte[] all = encode(p.frame());
                    int header = all.length - p.frame().payload().length;
                    peer.send(Arrays.copyOfRange(all, p.from() == 0 ? 0 : header + p.from(), header + p.to()));
                }
                case Step.Pause p -> {
                    flush();
                    if (log.await(WireLog::closedOrEnded, Duration.ofNanos((long) (p.duration().toNanos() * pauseScale)))) {
                        notes.add("closed during a pause");
                        return;
                    }
                    if (p.marker() != null) {
                        log.mark(p.marker());
                    }
                }
                case Step.Exchange x -> {
                    flush();
                    int before = Transcript.messages(log.entries());
                    for (int i = 1; i <= x.count(); i++) {
                        peer.send(encode(x.frame()));
                        int wanted = before + i;
                        if (!log.await(e -> Transcript.messages(e) >= wanted || WireLog.closedOrEnded(e), expect.patience())) {
                            notes.add("no echo for exchange " + i);
                            return;
                        }
                    }
                }
            }
        }
        flush();
    }

    private byte[] encode(Frame frame) {
        return encoded.computeIfAbsent(frame, f -> peer.frame(f.builder()));
    }

    private void flush() throws IOException {
        if (pending.size() > 0) {
            byte[] bytes = pending.toByteArray();
            pending.reset();
            long before = log.now();   // an answer can be logged before the write returns
            peer.send(bytes);
            if (closePending && suiteCloseNanos < 0) {
                suiteCloseNanos = before;
            }
            closePending = false;
        }
    }

    /** Closes as the case says, echoes the implementation's Close, and waits for the end of TCP. */
    private void closingHandshake() throws IOException {
        if (expect.suiteCloses() && suiteCloseNanos < 0) {
            log.await(this::settled, expect.patience());
            if (!implementationClosed()) {
                sendClose(Frame.close(1000));
            }
        }
        log.await(WireLog::closedOrEnded, closeWait);
        WireFrame close = log.closeFrame();
        if (close != null && suiteCloseNanos < 0) {
            // Echo it, as an endpoint must (RFC 6455 §5.5.1): with its code, or empty if it had none.
            sendClose(close.payload().length < 2 ? Frame.of(Frame.CLOSE, new byte[0]) : Frame.close(close.closeCode()));
        }
        if (peer.side() == WirePeer.Side.SERVER) {
            shutdownQuietly();   // a server ends TCP first; the client must then close
        }
        log.awaitEnd(closeWait);
    }

    private void sendClose(Frame close) {
        try {
            long before = log.now();
            peer.send(encode(close));
            suiteCloseNanos = before;
        } catch (IOException e) {
            notes.add("could not send Close: " + e.getMessage());
        }
    }

    private void shutdownQuietly() {
        try {
            peer.shutdownOutput();
        } catch (IOException e) {
            notes.add("shutdown failed: " + e.getMessage());
        }
    }

    /** Whether the expected events are in, can no longer come, or the implementation closed. */
    private boolean settled(List<WireLog.Entry> entries) {
        if (WireLog.closedOrEnded(entries)) {
            return true;
        }
        List<Event> events = Transcript.of(entries, peer.side()).events();
        return !isPrefix(events, expect.ok()) && (expect.nonStrict() == null || !isPrefix(events, expect.nonStrict()))
                || events.equals(expect.ok());
    }

    private static boolean isPrefix(List<Event> events, List<Event> expected) {
        return events.size() <= expected.size() && events.equals(expected.subList(0, events.size()));
    }

    /** Milliseconds, for the report. */
    static String millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos) + "ms";
    }
}
