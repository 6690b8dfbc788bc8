package dev.leanws.server.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.WebSocket;
import dev.leanws.WebSocketConfig;
import dev.leanws.event.EventFilter;
import dev.leanws.testing.RawFrames;
import dev.leanws.testing.WirePeer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A peer floods the server with pings and reads none of the pongs. The pongs the server queues
 * must stay bounded: once the peer's receive window is full, the server's reader stops reading
 * (it writes the pongs itself), so the flood is throttled by TCP instead of piling up in memory.
 */
class PingFloodTest {

    private static final long BOUND = 1 << 20;
    /** A send larger than loopback's socket buffers can absorb, so its writer blocks. */
    private static final int STUCK = 16 << 20;
    private static final byte[] PING = RawFrames.frame().opcode(0x9).payload(new byte[125]).masked(0x0badf00d).build();

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void pongsToAPeerThatReadsNothingStayBounded() throws Exception {
        WebSocketConfig config = EchoServer.CONFIG.toBuilder().writeTimeout(Duration.ofSeconds(2)).build();
        try (EchoServer server = EchoServer.start(config)) {
            try (WirePeer peer = WirePeer.open(server.port(), "/")) {   // reads nothing
                WebSocket connection = server.theOnlyConnection();
                long peak = flood(peer, connection, 64L << 20);
                assertTrue(peak < BOUND, "the server queued " + peak + " bytes of pongs");
            }
            assertEquals(List.of(), server.problems());
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void pongsStayBoundedWhileAnotherThreadIsStuckWritingToThatPeer() throws Throwable {
        WebSocketConfig config = EchoServer.CONFIG.toBuilder().writeTimeout(Duration.ofSeconds(2)).build();
        try (EchoServer server = EchoServer.start(config)) {
            // a send from outside the connection's thread (a broadcast, a worker) that the peer never reads
            server.server().events().subscribe(EventFilter.opens(),
                    e -> Thread.ofVirtual().start(() -> e.connection().send(ByteBuffer.allocate(STUCK))));
            try (WirePeer peer = WirePeer.open(server.port(), "/")) {   // reads nothing
                WebSocket connection = server.theOnlyConnection();
                awaitStuck(connection);
                long peak = flood(peer, connection, STUCK + (32L << 20));
                assertTrue(peak < STUCK + BOUND, "the server queued " + peak + " bytes");
            }
            assertEquals(List.of(), server.problems());
        }
    }

    /** Waits (up to 5 s) until the message queued for the peer stops draining: its writer is stuck. */
    private static void awaitStuck(WebSocket connection) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long last = -1;
        long since = System.nanoTime();
        while (System.nanoTime() - since < TimeUnit.MILLISECONDS.toNanos(200)) {
            long now = connection.bufferedAmount();
            if (now != last || now == 0) {
                last = now;
                since = System.nanoTime();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the foreign send never got stuck: " + now + " bytes queued");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));   // polling with a deadline
        }
    }

    /**
     * Writes pings until the writes stall for 300 ms (TCP throttles the flood) or the server has
     * queued {@code stopAt} bytes; returns the most the server had queued. Fails if neither
     * happens within 10 s.
     */
    private static long flood(WirePeer peer, WebSocket connection, long stopAt) throws InterruptedException {
        AtomicLong written = new AtomicLong();
        Thread flooder = Thread.ofVirtual().start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    peer.send(PING);
                    written.addAndGet(PING.length);
                }
            } catch (IOException stopped) {
                // the socket was closed under the blocked write
            }
        });
        long peak = 0;
        long lastProgress = System.nanoTime();
        long lastWritten = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        boolean stalled = false;
        while (!stalled && System.nanoTime() < deadline && peak < stopAt) {
            peak = Math.max(peak, connection.bufferedAmount());
            if (written.get() != lastWritten) {
                lastWritten = written.get();
                lastProgress = System.nanoTime();
            } else {
                // the flood is throttled: the server stopped reading (or dropped the peer)
                stalled = System.nanoTime() - lastProgress > TimeUnit.MILLISECONDS.toNanos(300);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));   // sampling interval
        }
        flooder.interrupt();
        if (!stalled && peak < stopAt) {
            throw new AssertionError("the flood was never throttled in 10 s (" + written.get() + " bytes written)");
        }
        return peak;
    }
}
