package dev.leanws.server.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.WebSocketConfig;
import dev.leanws.testing.RawFrames;
import dev.leanws.testing.WireFrame;
import dev.leanws.testing.WireLog;
import dev.leanws.testing.WirePeer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Slow-loris peers: 20 clients that send their upgrade request one byte per second are cut at
 * the handshake deadline, while other clients keep being served without delay; and a frame
 * trickled slower than the frame deadline is cut too.
 */
class SlowlorisTest {

    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(2);
    private static final byte[] REQUEST = WirePeer.upgradeRequest("/").getBytes(StandardCharsets.US_ASCII);

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void handshakesAtOneBytePerSecondAreCutWhileOthersAreServed() throws Exception {
        WebSocketConfig config = EchoServer.CONFIG.toBuilder().handshakeTimeout(HANDSHAKE_TIMEOUT).build();
        try (EchoServer server = EchoServer.start(config)) {
            List<CompletableFuture<Long>> slow = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                slow.add(slowHandshake(server.port()));
            }
            long start = System.nanoTime();
            while (System.nanoTime() - start < HANDSHAKE_TIMEOUT.toNanos() - TimeUnit.MILLISECONDS.toNanos(500)) {
                long before = System.nanoTime();
                try (WirePeer peer = WirePeer.connect(server.port(), "/")) {
                    peer.send(peer.frame(RawFrames.text("served")));
                    assertTrue(peer.log().await(e -> e.stream().anyMatch(x -> x instanceof WireFrame), Duration.ofSeconds(5)));
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
                assertTrue(millis < 1000, "a normal client waited " + millis + " ms beside the slow ones");
            }
            for (CompletableFuture<Long> f : slow) {
                long cutAfter = f.get(10, TimeUnit.SECONDS);
                assertTrue(cutAfter >= HANDSHAKE_TIMEOUT.toMillis() - 100 && cutAfter < HANDSHAKE_TIMEOUT.toMillis() + 1500,
                        "a slow handshake was cut after " + cutAfter + " ms, deadline " + HANDSHAKE_TIMEOUT.toMillis());
            }
            assertEquals(List.of(), server.problems());
        }
    }

    /** Sends the request one byte per second until the server closes; completes with the milliseconds it took. */
    private static CompletableFuture<Long> slowHandshake(int port) throws IOException {
        WirePeer peer = WirePeer.connect(port);
        long start = System.nanoTime();
        CompletableFuture<Long> cut = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (peer) {
                peer.readToEnd();   // the server has nothing to say before the request ends
            } catch (IOException reset) {
                // closed by a reset: cut as well
            }
            cut.complete(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        });
        Thread.ofVirtual().start(() -> {
            try {
                peer.sendSlowly(REQUEST, Duration.ofSeconds(1));   // the attack's pace, not a wait for an outcome
            } catch (IOException closed) {
                // the server cut us
            }
        });
        return cut;
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aFrameTrickledSlowerThanTheFrameDeadlineIsCut() throws Throwable {
        WebSocketConfig config = EchoServer.CONFIG.toBuilder().frameTimeout(Duration.ofMillis(500)).build();
        try (EchoServer server = EchoServer.start(config); WirePeer peer = WirePeer.connect(server.port(), "/")) {
            byte[] frame = peer.frame(RawFrames.binary(new byte[100]));
            long sentBefore = peer.log().entries().stream().filter(e -> e instanceof WireLog.Sent).count();
            long start = System.nanoTime();
            for (int i = 0; i < frame.length && !WireLog.ended(peer.log().entries()); i++) {
                try {
                    peer.send(new byte[] {frame[i]});
                } catch (IOException cut) {
                    break;
                }
                if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(2)) {
                    break;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));   // the attack's pace
            }
            assertTrue(peer.log().await(WireLog::ended, Duration.ofMillis(100)),
                    "a frame begun 2 s ago is still open with a frame deadline of 500 ms");
            // On the log's own clock: from the frame's first byte to the server's Close (or end).
            var entries = peer.log().entries();
            long firstByte = entries.stream().filter(e -> e instanceof WireLog.Sent)
                    .mapToLong(WireLog.Entry::nanos).skip(sentBefore).findFirst().orElseThrow();
            long endedAfter = entries.stream().filter(e -> e instanceof WireLog.End || e instanceof WireFrame)
                    .mapToLong(WireLog.Entry::nanos).min().orElseThrow() - firstByte;
            assertTrue(endedAfter >= TimeUnit.MILLISECONDS.toNanos(450),
                    "cut after " + TimeUnit.NANOSECONDS.toMillis(endedAfter) + " ms, before its 500 ms deadline");
        }
    }
}
