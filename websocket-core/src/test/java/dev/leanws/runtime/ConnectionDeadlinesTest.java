package dev.leanws.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    private long writeStalledSince;
    private boolean closing;

    private final ConnectionDeadlines.Actions fake = new ConnectionDeadlines.Actions() {
        @Override public void ping(ByteBuffer payload) { actions.add("ping"); }
        @Override public void close(int code, String reason) { actions.add("close " + code + " " + reason); }
        @Override public void abort(String reason) { actions.add("abort " + reason); }
        @Override public long writeStalledSinceNanos() { return writeStalledSince; }
        @Override public boolean isClosed() { return false; }
        @Override public boolean isClosing() { return closing; }
    };

    private ConnectionDeadlines deadlines(WebSocketConfig.Builder config) {
        ConnectionDeadlines d = new ConnectionDeadlines(config.build(), fake);
        d.start(1_000 * MS);
        return d;
    }

    private static WebSocketConfig.Builder keepAlive(long intervalMs, long pongMs) {
        return WebSocketConfig.builder().pingInterval(Duration.ofMillis(intervalMs)).pongTimeout(Duration.ofMillis(pongMs));
    }

    @Test
    void pingAfterSilenceThenAbortWhenNoPong() {
        ConnectionDeadlines d = deadlines(keepAlive(100, 50));
        d.tick(1_099 * MS);
        assertEquals(List.of(), actions);
        d.tick(1_100 * MS);
        assertEquals(List.of("ping"), actions);
        d.tick(1_150 * MS);
        assertEquals(List.of("ping"), actions, "only one ping outstanding; timeout not yet passed");
        d.tick(1_151 * MS);
        assertEquals(List.of("ping", "abort pong timeout"), actions);
    }

    @Test
    void pongClearsTheDeadlineAndTheNextPingWaitsForSilence() {
        ConnectionDeadlines d = deadlines(keepAlive(100, 50));
        d.tick(1_100 * MS);
        d.onRead(1_120 * MS);
        d.onPong();
        d.tick(1_200 * MS);
        assertEquals(List.of("ping"), actions);
        d.tick(1_220 * MS);
        assertEquals(List.of("ping", "ping"), actions);
    }

    @Test
    void inboundBytesPostponeThePongDeadline() {
        ConnectionDeadlines d = deadlines(keepAlive(100, 50));
        d.tick(1_100 * MS);
        d.onRead(1_140 * MS);          // a long frame is still arriving
        d.tick(1_180 * MS);
        assertEquals(List.of("ping"), actions);
        d.tick(1_191 * MS);
        assertEquals(List.of("ping", "abort pong timeout"), actions);
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
        d.onRead(1_250 * MS);          // pongs or pings arrive, but no message
        d.tick(1_299 * MS);
        d.onMessage(1_299 * MS);
        d.tick(1_500 * MS);
        assertEquals(List.of(), actions);
        d.tick(1_599 * MS);
        assertEquals(List.of("close 1001 idle timeout"), actions);
    }

    @Test
    void midFrameStallIsAborted() {
        ConnectionDeadlines d = deadlines(keepAlive(0, 50).frameTimeout(Duration.ofMillis(200)));
        d.afterRead(1_000 * MS, true, 1);
        d.tick(1_200 * MS);
        assertEquals(List.of(), actions);
        d.tick(1_201 * MS);
        assertEquals(1, actions.size());
        assertEquals(true, actions.get(0).startsWith("abort frame timeout"));
    }

    @Test
    void aFrameTrickledByteByByteIsCutAtTheDeadlineFromItsFirstByte() {
        ConnectionDeadlines d = deadlines(keepAlive(0, 50).frameTimeout(Duration.ofMillis(500)));
        for (long t = 1_000; t <= 1_500; t += 100) {
            d.onRead(t * MS);                      // a byte every 100 ms keeps the peer "alive"...
            d.afterRead(t * MS, true, 1);          // ...but it is the same frame all along
            d.tick(t * MS);
        }
        assertEquals(List.of(), actions);
        d.onRead(1_501 * MS);
        d.afterRead(1_501 * MS, true, 1);
        d.tick(1_501 * MS);
        assertEquals(1, actions.size(), "cut 500 ms after the frame's first byte, whatever arrived since");
    }

    @Test
    void eachNewFrameRestartsTheFrameDeadline() {
        ConnectionDeadlines d = deadlines(keepAlive(0, 50).frameTimeout(Duration.ofMillis(500)));
        for (int i = 0; i < 10; i++) {             // back-to-back frames, each read ending inside the next one
            long t = 1_000 + 300L * i;
            d.afterRead(t * MS, true, i + 1);
            d.tick((t + 299) * MS);
        }
        assertEquals(List.of(), actions);
        d.afterRead(5_000 * MS, false, 10);       // between frames: no frame deadline at all
        d.tick(60_000 * MS);
        assertEquals(List.of(), actions);
    }

    @Test
    void closeDeadlineRunsFromTheQueuedCloseAndOverridesKeepAlive() {
        ConnectionDeadlines d = deadlines(keepAlive(100, 50).closeTimeout(Duration.ofMillis(500)));
        closing = true;
        d.onCloseQueued(1_010 * MS);
        d.tick(1_510 * MS);
        assertEquals(List.of(), actions, "no ping while closing");
        d.tick(1_511 * MS);
        assertEquals(List.of("abort close timeout"), actions);
    }

    @Test
    void stalledWriteIsAbortedAfterTheWriteTimeout() {
        ConnectionDeadlines d = deadlines(keepAlive(0, 50).writeTimeout(Duration.ofMillis(300)));
        writeStalledSince = 1_000 * MS;
        d.tick(1_300 * MS);
        assertEquals(List.of(), actions);
        d.tick(1_301 * MS);
        assertEquals(List.of("abort write timeout: the peer stopped reading"), actions);
    }

    /** The documented defaults, as behaviour: ping after 30 s of silence, pong within 10 s. */
    @Test
    void defaultKeepAliveIsAPingAfter30SecondsAndA10SecondPongTimeout() {
        ConnectionDeadlines d = deadlines(WebSocketConfig.builder());
        d.tick(30_999 * MS);
        assertEquals(List.of(), actions);
        d.tick(31_000 * MS);
        assertEquals(List.of("ping"), actions);
        d.tick(41_000 * MS);
        assertEquals(List.of("ping"), actions);
        d.tick(41_001 * MS);
        assertEquals(List.of("ping", "abort pong timeout"), actions);
    }

    @Test
    void defaultFrameTimeoutIs30Seconds() {
        ConnectionDeadlines d = deadlines(WebSocketConfig.builder().pingInterval(Duration.ZERO));
        d.afterRead(1_000 * MS, true, 1);
        d.tick(31_000 * MS);
        assertEquals(List.of(), actions);
        d.tick(31_001 * MS);
        assertEquals(1, actions.size());
        assertEquals(true, actions.get(0).startsWith("abort frame timeout"), actions.toString());
    }

    @Test
    void defaultCloseTimeoutIs5Seconds() {
        ConnectionDeadlines d = deadlines(WebSocketConfig.builder());
        closing = true;
        d.onCloseQueued(1_000 * MS);
        d.tick(6_000 * MS);
        assertEquals(List.of(), actions);
        d.tick(6_001 * MS);
        assertEquals(List.of("abort close timeout"), actions);
    }

    @Test
    void defaultWriteTimeoutIs30SecondsAndThereIsNoDefaultIdleTimeout() {
        ConnectionDeadlines d = deadlines(WebSocketConfig.builder().pingInterval(Duration.ZERO));
        writeStalledSince = 1_000 * MS;
        d.tick(31_000 * MS);
        assertEquals(List.of(), actions);
        d.tick(31_001 * MS);
        assertEquals(List.of("abort write timeout: the peer stopped reading"), actions);
        writeStalledSince = 0;
        actions.clear();
        ConnectionDeadlines idle = deadlines(WebSocketConfig.builder().pingInterval(Duration.ZERO));
        idle.tick(100_000_000 * MS);
        assertEquals(List.of(), actions, "no idle timeout by default");
    }
}
