package dev.leanws.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.CloseCause;
import dev.leanws.CloseStatus;
import dev.leanws.codec.ProtocolException;
import dev.leanws.codec.ProtocolViolation;
import dev.leanws.session.CloseHandshake.Action;
import dev.leanws.session.CloseHandshake.Outcome;
import dev.leanws.session.CloseHandshake.Phase;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The close state machine as a table: every event in every phase, the action it asks for and
 * the phase it leads to; then the outcome of every way a connection can end.
 */
class CloseHandshakeTest {

    private static final CloseStatus BYE = CloseStatus.of(4000, "bye");
    private static final ProtocolException VIOLATION = new ProtocolException(ProtocolViolation.RESERVED_OPCODE);

    /** The events, by name. */
    private static final Map<String, Function<CloseHandshake, Action>> EVENTS = Map.of(
            "closeRequested", h -> h.closeRequested(CloseCause.LOCAL_CLOSE, BYE),
            "closeReceived", h -> h.closeReceived(CloseStatus.GOING_AWAY),
            "violation", h -> h.violation(VIOLATION),
            "abort", h -> h.abort(CloseCause.PONG_TIMEOUT, "no pong"),
            "ended", h -> {
                h.ended(null);
                return Action.NONE;
            });

    /** How to reach each phase from a new connection. */
    private static CloseHandshake in(Phase phase) {
        CloseHandshake h = new CloseHandshake();
        switch (phase) {
            case OPEN -> { }
            case CLOSE_SENT -> h.closeRequested(CloseCause.LOCAL_CLOSE, BYE);
            case HANDSHAKE_DONE -> h.closeReceived(CloseStatus.NORMAL);
            case FAILED -> h.violation(VIOLATION);
            case ENDED -> h.ended(null);
        }
        assertEquals(phase, h.phase());
        return h;
    }

    private record Row(Phase from, String event, Action action, Phase to) {
    }

    private static final List<Row> TABLE = List.of(
            new Row(Phase.OPEN, "closeRequested", Action.SEND_CLOSE, Phase.CLOSE_SENT),
            new Row(Phase.OPEN, "closeReceived", Action.ECHO_CLOSE, Phase.HANDSHAKE_DONE),
            new Row(Phase.OPEN, "violation", Action.SEND_CLOSE, Phase.FAILED),
            new Row(Phase.OPEN, "abort", Action.CLOSE_TRANSPORT, Phase.OPEN),
            new Row(Phase.OPEN, "ended", Action.NONE, Phase.ENDED),

            new Row(Phase.CLOSE_SENT, "closeRequested", Action.NONE, Phase.CLOSE_SENT),
            new Row(Phase.CLOSE_SENT, "closeReceived", Action.NONE, Phase.HANDSHAKE_DONE),
            new Row(Phase.CLOSE_SENT, "violation", Action.NONE, Phase.FAILED),
            new Row(Phase.CLOSE_SENT, "abort", Action.CLOSE_TRANSPORT, Phase.CLOSE_SENT),
            new Row(Phase.CLOSE_SENT, "ended", Action.NONE, Phase.ENDED),

            new Row(Phase.HANDSHAKE_DONE, "closeRequested", Action.NONE, Phase.HANDSHAKE_DONE),
            new Row(Phase.HANDSHAKE_DONE, "closeReceived", Action.NONE, Phase.HANDSHAKE_DONE),
            new Row(Phase.HANDSHAKE_DONE, "violation", Action.NONE, Phase.HANDSHAKE_DONE),
            new Row(Phase.HANDSHAKE_DONE, "abort", Action.CLOSE_TRANSPORT, Phase.HANDSHAKE_DONE),
            new Row(Phase.HANDSHAKE_DONE, "ended", Action.NONE, Phase.ENDED),

            new Row(Phase.FAILED, "closeRequested", Action.NONE, Phase.FAILED),
            new Row(Phase.FAILED, "closeReceived", Action.NONE, Phase.FAILED),
            new Row(Phase.FAILED, "violation", Action.NONE, Phase.FAILED),
            new Row(Phase.FAILED, "abort", Action.CLOSE_TRANSPORT, Phase.FAILED),
            new Row(Phase.FAILED, "ended", Action.NONE, Phase.ENDED),

            new Row(Phase.ENDED, "closeRequested", Action.NONE, Phase.ENDED),
            new Row(Phase.ENDED, "closeReceived", Action.NONE, Phase.ENDED),
            new Row(Phase.ENDED, "violation", Action.NONE, Phase.ENDED),
            new Row(Phase.ENDED, "abort", Action.NONE, Phase.ENDED),
            new Row(Phase.ENDED, "ended", Action.NONE, Phase.ENDED));

    @Test
    void everyEventInEveryPhase() {
        assertEquals(Phase.values().length * EVENTS.size(), TABLE.size(), "the table covers every pair");
        List<String> wrong = new ArrayList<>();
        for (Row row : TABLE) {
            CloseHandshake h = in(row.from());
            Action action = EVENTS.get(row.event()).apply(h);
            if (action != row.action() || h.phase() != row.to()) {
                wrong.add(row + " but got " + action + " -> " + h.phase());
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void onlyTheFirstAbortCounts() {
        CloseHandshake h = new CloseHandshake();
        assertEquals(Action.CLOSE_TRANSPORT, h.abort(CloseCause.FRAME_TIMEOUT, "slow"));
        assertEquals(Action.NONE, h.abort(CloseCause.ABORTED, "app"));
        assertEquals(Action.NONE, h.closeRequested(CloseCause.SERVER_SHUTDOWN, CloseStatus.GOING_AWAY),
                "no Close frame on a connection that is being dropped");
        Outcome o = h.ended(new IOException("socket closed"));
        assertEquals(CloseCause.FRAME_TIMEOUT, o.cause());
        assertEquals(1006, o.status().code());
        assertEquals("frame timeout: slow", o.status().reason());
        assertTrue(o.remote());
        assertFalse(o.clean());
    }

    @Test
    void outcomeOfEveryEnding() {
        record Ending(String name, Function<CloseHandshake, Outcome> steps, Outcome expected) {
        }
        CloseStatus abnormal = CloseStatus.ABNORMAL;
        List<Ending> endings = List.of(
                new Ending("we close, the peer answers", h -> {
                    h.closeRequested(CloseCause.LOCAL_CLOSE, BYE);
                    h.closeReceived(CloseStatus.of(4000, ""));
                    return h.ended(null);
                }, new Outcome(CloseCause.LOCAL_CLOSE, BYE, false, true)),
                new Ending("idle timeout, the peer answers", h -> {
                    h.closeRequested(CloseCause.IDLE_TIMEOUT, CloseStatus.GOING_AWAY);
                    h.closeReceived(CloseStatus.GOING_AWAY);
                    return h.ended(null);
                }, new Outcome(CloseCause.IDLE_TIMEOUT, CloseStatus.GOING_AWAY, false, true)),
                new Ending("the peer closes, we echo", h -> {
                    h.closeReceived(BYE);
                    return h.ended(null);
                }, new Outcome(CloseCause.PEER_CLOSE, BYE, true, true)),
                new Ending("the peer closes without a code", h -> {
                    h.closeReceived(CloseStatus.NO_STATUS);
                    return h.ended(null);
                }, new Outcome(CloseCause.PEER_CLOSE, CloseStatus.NO_STATUS, true, true)),
                new Ending("the peer closes, then our close request loses the race", h -> {
                    h.closeReceived(BYE);
                    h.closeRequested(CloseCause.LOCAL_CLOSE, CloseStatus.NORMAL);
                    return h.ended(null);
                }, new Outcome(CloseCause.PEER_CLOSE, BYE, true, true)),
                new Ending("the application's close is never answered", h -> {
                    h.closeRequested(CloseCause.LOCAL_CLOSE, BYE);
                    h.abort(CloseCause.CLOSE_TIMEOUT, "");
                    return h.ended(null);
                }, new Outcome(CloseCause.CLOSE_TIMEOUT, new CloseStatus(1006, "close timeout"), false, false)),
                new Ending("shutdown is never answered: still a shutdown", h -> {
                    h.closeRequested(CloseCause.SERVER_SHUTDOWN, CloseStatus.GOING_AWAY);
                    h.abort(CloseCause.CLOSE_TIMEOUT, "");
                    return h.ended(null);
                }, new Outcome(CloseCause.SERVER_SHUTDOWN, new CloseStatus(1006, "close timeout"), false, false)),
                new Ending("a violation", h -> {
                    h.violation(VIOLATION);
                    return h.ended(null);
                }, new Outcome(CloseCause.PROTOCOL_VIOLATION, VIOLATION.closeStatus(), true, false)),
                new Ending("the peer hangs up", h -> h.ended(null),
                        new Outcome(CloseCause.PEER_DISCONNECTED,
                                new CloseStatus(1006, "peer disconnected: connection closed by the peer without a Close frame"),
                                true, false)),
                new Ending("the network fails", h -> h.ended(new IOException("Connection reset")),
                        new Outcome(CloseCause.IO_ERROR, new CloseStatus(1006, "io error: Connection reset"), true, false)),
                new Ending("the application aborts", h -> {
                    h.abort(CloseCause.ABORTED, "");
                    return h.ended(new IOException("Socket closed"));
                }, new Outcome(CloseCause.ABORTED, new CloseStatus(1006, "aborted"), false, false)),
                new Ending("a drop after the handshake completed is still clean", h -> {
                    h.closeReceived(BYE);
                    h.abort(CloseCause.CLOSE_TIMEOUT, "no FIN");
                    return h.ended(null);
                }, new Outcome(CloseCause.PEER_CLOSE, BYE, true, true)));
        for (Ending e : endings) {
            assertEquals(e.expected(), e.steps().apply(new CloseHandshake()), e.name());
        }
        assertEquals(abnormal.code(), 1006);
    }

    @Test
    void theEchoOfACloseCarriesItsCodeOnlyAndAnEmptyCloseIsEchoedEmpty() {
        CloseHandshake h = new CloseHandshake();
        h.closeReceived(BYE);
        assertEquals(new CloseStatus(4000, ""), h.state().sent());
        CloseHandshake empty = new CloseHandshake();
        empty.closeReceived(CloseStatus.NO_STATUS);
        assertEquals(null, empty.state().sent());
    }

    /** Racing threads: exactly one of them gets to send the Close frame. */
    @Test
    void concurrentCloseRequestsAndThePeersCloseQueueExactlyOneCloseFrame() throws Exception {
        for (int round = 0; round < 200; round++) {
            CloseHandshake h = new CloseHandshake();
            AtomicInteger closeFrames = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                boolean peer = t == 0;
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    Action a = peer ? h.closeReceived(BYE) : h.closeRequested(CloseCause.LOCAL_CLOSE, CloseStatus.NORMAL);
                    if (a == Action.SEND_CLOSE || a == Action.ECHO_CLOSE) {
                        closeFrames.incrementAndGet();
                    }
                }));
            }
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(1, closeFrames.get(), "round " + round);
            assertEquals(Phase.HANDSHAKE_DONE, h.phase(), "the peer's Close ends the handshake whoever was first");
        }
    }
}
