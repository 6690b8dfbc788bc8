package dev.leanws.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.CloseCause;
import dev.leanws.CloseStatus;
import dev.leanws.WebSocketConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deadlines on a manual clock: the watchdog's decisions without sockets, threads or waiting. */
class ConnectionDeadlinesTest {

    private static final long MS = 1_000_000L;

    private final List<String> actions = new ArrayList<>();
    private boolean closing;
    private int looks;   // full checks: how often a tick looked at the connection

    private final ConnectionDeadlines.Actions fake = new ConnectionDeadlines.Actions() {
        @Override public void ping(ByteBuffer payload) { actions.add("ping"); }
        @Override public void close(CloseCause cause, CloseStatus status) { actions.add("close " + cause + " " + status); }
        @Override public void abort(CloseCause cause, String detail) { actions.add("abort " + cause); }
        @Override public boolean isClosed() { looks++; return false; }
        @Override public boolean isClosing() { return closing; }
    };

    /** Deadlines of a connection opened at 1000 ms whose reader then waits in read. */
    private ConnectionDeadlines deadlines(WebSocketConfig.Builder config) {
        ConnectionDeadlines d = new ConnectionDeadlines(config.build(), fake);
        d.start(1_000 * MS);
        d.beforeRead(1_000 * MS, false);
        return d;
    }

    private static WebSocketConfig.Builder keepAlive(long intervalMs, long pongMs) {
        return WebSocketConfig.builder().pingInterval(Duration.ofMillis(intervalMs)).pongTimeout(Duration.ofMillis(pongMs));
    }

    /** A read that returns at {@code t} ms, is processed at once, and the reader waits again. */
    private static void read(ConnectionDeadlines d, long t, boolean insideFrame, long framesBegun) {
        d.afterRead(t * MS);
        d.afterProcessing(t * MS, insideFrame, framesBegun);
        d.beforeRead(t * MS, insideFrame);
    }

    @Test
    void pingAfterSilenceThenAbortWhenNoPong() {
        ConnectionDeadlines d = deadlines(keepAlive(100, 50));
        d.tick(1_099 * MS);
        assertEquals(List.of(), actions);
        d.tick(1_100 * MS);
        assertEquals(List.of("ping"), actions);
        d.tick(1_149 * MS);
        assertEquals(List.of("ping"), actions, "only one ping outstanding; timeout not yet passed");
        d.tick(1_150 * MS);
        assertEquals(List.of("ping", "abort PONG_TIMEOUT"), actions);
    }

    @Test
    void anyReadClearsThePongDeadlineAndTheNextPingWaitsForSilence() {
        ConnectionDeadlines d = deadlines(keepAlive(100, 50));
        d.tick(1_100 * MS);
        read(d, 1_120, false, 0);        // the pong (or any byte)
        d.tick(1_200 * MS);
        assertEquals(List.of("ping"), actions);
        d.tick(1_220 * MS);
        assertEquals(List.of("ping", "ping"), actions);
    }

    @Test
    void keepAliveOffSendsNothing() {
        ConnectionDeadlines d = deadlines(keepAlive(0, 50));
        d.tick(100_000 * MS);
        assertEquals(List.of(), actions);
    }

    @Test
    void idleTimeoutCountsDataMessagesOnly() {
        ConnectionDeadlines d = deadlines(keepAlive(0, 50).idleTimeout(Duration.ofMillis(300)));
        read(d, 1_250, false, 1);        // pongs or pings arrive, but no message
        d.tick(1_299 * MS);
        d.afterRead(1_299 * MS);
        d.onMessage();
        d.afterProcessing(1_299 * MS, false, 2);
        d.beforeRead(1_299 * MS, false);
        d.tick(1_598 * MS);
        assertEquals(List.of(), actions);
        d.tick(1_599 * MS);
        assertEquals(List.of("close IDLE_TIMEOUT 1001 idle timeout"), actions);
    }

    @Test
    void midFrameStallIsAborted() {
        ConnectionDeadlines d = deadlines(keepAlive(0, 50).frameTimeout(Duration.ofMillis(200)));
        read(d, 1_000, true, 1);
        d.tick(1_199 * MS);
        assertEquals(List.of(), actions);
        d.tick(1_200 * MS);
        assertEquals(List.of("abort FRAME_TIMEOUT"), actions);
    }

    @Test
    void aFrameTrickledByteByByteIsCutAtTheDeadlineFromItsFirstByte() {
        ConnectionDeadlines d = deadlines(keepAlive(0, 50).frameTimeout(Duration.ofMillis(500)));
        for (long t = 1_000; t < 1_500; t += 100) {
            read(d, t, true, 1);           // a byte every 100 ms keeps the peer "alive"...
            d.tick(t * MS);                // ...but it is the same frame all along
        }
        assertEquals(List.of(), actions);
        d.tick(1_500 * MS);
        assertEquals(List.of("abort FRAME_TIMEOUT"), actions, "cut 500 ms after the frame's first byte");
    }

    @Test
    void eachNewFrameRestartsTheFrameDeadline() {
        ConnectionDeadlines d = deadlines(keepAlive(0, 50).frameTimeout(Duration.ofMillis(500)));
        for (int i = 0; i < 10; i++) {     // back-to-back frames, each read ending inside the next one
            long t = 1_000 + 300L * i;
            read(d, t, true, i + 1);
            d.tick((t + 299) * MS);
        }
        assertEquals(List.of(), actions);
        read(d, 5_000, false, 10);         // between frames: no frame deadline at all
        d.tick(60_000 * MS);
        assertEquals(List.of(), actions);
    }

    /** Issue F2: bytes that arrived while our handler ran are not the peer's delay. */
    @Test
    void timeInOurOwnHandlersIsNotBlamedOnThePeer() {
        ConnectionDeadlines d = deadlines(keepAlive(100, 50).frameTimeout(Duration.ofMillis(200))
                .idleTimeout(Duration.ofMillis(300)));
        d.afterRead(1_010 * MS);                   // a read ends inside a frame; a handler runs for 10 s
        d.onMessage();
        for (long t = 1_010; t <= 11_000; t += 50) {
            d.tick(t * MS);
        }
        assertEquals(List.of(), actions, "no frame, pong or idle deadline while the reader is busy");
        d.afterProcessing(11_000 * MS, true, 2);
        d.beforeRead(11_000 * MS, true);           // back in read: the frame's 200 ms start now
        d.tick(11_099 * MS);
        assertEquals(List.of("ping"), actions, "silence since the last read: a ping, nothing more");
        d.tick(11_200 * MS);
        assertEquals(List.of("ping", "abort FRAME_TIMEOUT"), actions);
    }

    @Test
    void frameWaitingTimeAccumulatesAcrossReadsOfTheSameFrame() {
        ConnectionDeadlines d = deadlines(keepAlive(0, 50).frameTimeout(Duration.ofMillis(200)));
        read(d, 1_000, true, 1);                   // the frame begins
        d.afterRead(1_150 * MS);                   // 150 ms of waiting, then a slow handler elsewhere in the read
        d.afterProcessing(5_000 * MS, true, 1);
        d.beforeRead(5_000 * MS, true);            // 50 ms of waiting left for this frame
        d.tick(5_049 * MS);
        assertEquals(List.of(), actions);
        d.tick(5_050 * MS);
        assertEquals(List.of("abort FRAME_TIMEOUT"), actions);
    }

    @Test
    void closeDeadlineRunsFromTheQueuedCloseAndOverridesKeepAlive() {
        ConnectionDeadlines d = deadlines(keepAlive(100, 50).closeTimeout(Duration.ofMillis(500)));
        closing = true;
        d.onCloseQueued(1_010 * MS);
        d.tick(1_509 * MS);
        assertEquals(List.of(), actions, "no ping while closing");
        d.tick(1_510 * MS);
        assertEquals(List.of("abort CLOSE_TIMEOUT"), actions);
    }

    @Test
    void stalledWriteIsAbortedAfterTheWriteTimeoutEvenWhileTheReaderIsBusy() {
        ConnectionDeadlines d = deadlines(keepAlive(0, 50).writeTimeout(Duration.ofMillis(300)));
        d.afterRead(1_000 * MS);
        d.writeStall.arm(1_000 * MS, 300 * MS);
        d.tick(1_299 * MS);
        assertEquals(List.of(), actions);
        d.tick(1_300 * MS);
        assertEquals(List.of("abort WRITE_TIMEOUT"), actions);
    }

    /** The documented defaults, as behaviour: ping after 30 s of silence, pong within 10 s. */
    @Test
    void defaultKeepAliveIsAPingAfter30SecondsAndA10SecondPongTimeout() {
        ConnectionDeadlines d = deadlines(WebSocketConfig.builder());
        d.tick(30_999 * MS);
        assertEquals(List.of(), actions);
        d.tick(31_000 * MS);
        assertEquals(List.of("ping"), actions);
        d.tick(40_999 * MS);
        assertEquals(List.of("ping"), actions);
        d.tick(41_000 * MS);
        assertEquals(List.of("ping", "abort PONG_TIMEOUT"), actions);
    }

    @Test
    void defaultFrameTimeoutIs30Seconds() {
        ConnectionDeadlines d = deadlines(WebSocketConfig.builder().pingInterval(Duration.ZERO));
        read(d, 1_000, true, 1);
        d.tick(30_999 * MS);
        assertEquals(List.of(), actions);
        d.tick(31_000 * MS);
        assertEquals(List.of("abort FRAME_TIMEOUT"), actions);
    }

    @Test
    void defaultCloseTimeoutIs5Seconds() {
        ConnectionDeadlines d = deadlines(WebSocketConfig.builder());
        closing = true;
        d.onCloseQueued(1_000 * MS);
        d.tick(5_999 * MS);
        assertEquals(List.of(), actions);
        d.tick(6_000 * MS);
        assertEquals(List.of("abort CLOSE_TIMEOUT"), actions);
    }

    @Test
    void defaultWriteTimeoutIs30SecondsAndThereIsNoDefaultIdleTimeout() {
        WebSocketConfig defaults = WebSocketConfig.defaults();
        assertEquals(Duration.ofSeconds(30), defaults.writeTimeout());
        ConnectionDeadlines d = deadlines(WebSocketConfig.builder().pingInterval(Duration.ZERO));
        d.writeStall.arm(1_000 * MS, defaults.writeTimeout().toNanos());
        d.tick(30_999 * MS);
        assertEquals(List.of(), actions);
        d.tick(31_000 * MS);
        assertEquals(List.of("abort WRITE_TIMEOUT"), actions);
        actions.clear();
        ConnectionDeadlines idle = deadlines(WebSocketConfig.builder().pingInterval(Duration.ZERO));
        idle.tick(100_000_000 * MS);
        assertTrue(actions.isEmpty(), "no idle timeout by default");
    }

    @Test
    void aTickBeforeTheEarliestDeadlineLooksAtNothing() {
        ConnectionDeadlines d = deadlines(keepAlive(100, 50));
        for (long t = 1_000; t < 1_100; t += 10) {
            d.tick(t * MS);
        }
        assertEquals(0, looks, "ten thousands of idle connections are ticked 20 times a second");
        d.tick(1_100 * MS);
        assertEquals(List.of("ping"), actions);
        assertEquals(1, looks);
    }

    @Test
    void aKeepAliveMovedLaterCostsOneFullCheckAndADeadlineArmedAfterItIsStillSeen() {
        ConnectionDeadlines d = deadlines(keepAlive(100, 50));
        read(d, 1_050, false, 0);                 // keep-alive now due at 1_150
        d.tick(1_100 * MS);                       // the old due time: one full check, nothing to do
        d.tick(1_110 * MS);
        assertEquals(1, looks);
        assertEquals(List.of(), actions);
        d.writeStall.arm(1_110 * MS, 5 * MS);     // a write stalls: due at 1_115, before the keep-alive
        d.tick(1_114 * MS);
        assertEquals(List.of(), actions);
        d.tick(1_115 * MS);
        assertEquals(List.of("abort WRITE_TIMEOUT"), actions);
    }
}
