package dev.leanws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.BackpressurePolicy;
import dev.leanws.CloseCause;
import dev.leanws.SendFailedException;
import dev.leanws.ConnectionState;
import dev.leanws.WebSocket;
import dev.leanws.codec.Opcode;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.EventFilter;
import dev.leanws.event.OpenEvent;
import dev.leanws.testing.Await;
import dev.leanws.testing.WireFrame;
import dev.leanws.testing.WirePeer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A peer that stops reading: the other peers and broadcasts are not held up, and each
 * backpressure policy fires as documented.
 */
class BackpressureTest extends ServerTestSupport {

    private static final int CHUNK = 32 * 1024;
    private static final long BUDGET = 64 * 1024;

    private WebSocketServer server;
    private EventRecorder events;
    private WirePeer stalled;
    private WebSocket stalledConnection;
    private WirePeer healthy;

    private void startWith(BackpressurePolicy policy) throws Exception {
        server = start(b -> b.config(QUIET.toBuilder().maxOutboundBytes(BUDGET).backpressurePolicy(policy)
                .writeTimeout(Duration.ofSeconds(1)).closeTimeout(Duration.ofSeconds(5)).build()));
        server.events().subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()));
        events = record(server);
        stalled = open(server);
        stalledConnection = events.next(OpenEvent.class).connection();
        healthy = open(server);
        events.next(OpenEvent.class);
    }

    /**
     * Sends chunks to the stalled peer until every send has been refused for {@code streak}
     * (a refusal can come while the kernel's buffers still absorb what the writer is about to
     * write; once they are full, every send is refused); returns how long the slowest refused
     * send took.
     */
    private long fillUntilRefused(Duration streak) {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long slowest = 0;
        long streakStart = 0;
        while (true) {
            long start = System.nanoTime();
            if (start > deadline) {
                throw new AssertionError("the stalled peer's sends were not refused for " + streak);
            }
            if (stalledConnection.send(chunk)) {
                streakStart = 0;
                slowest = 0;
                continue;
            }
            long now = System.nanoTime();
            slowest = Math.max(slowest, now - start);
            if (streakStart == 0) {
                streakStart = start;
            }
            if (now - streakStart >= streak.toNanos()) {
                return slowest;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));   // pace the retries
        }
    }

    private void assertHealthyEchoes(String text) throws Exception {
        healthy.sendText(text);
        assertEquals(text, healthy.readFrame().text());
    }

    @Test
    void broadcastNeverWaitsAndSkipsAStalledPeer() throws Exception {
        startWith(BackpressurePolicy.BLOCK);
        // Small next to the budget: the healthy peer's frame in flight never puts it over.
        ByteBuffer message = ByteBuffer.allocate(8 * 1024);
        long slowestNanos = 0;
        int skippedInARow = 0;
        for (int i = 0; i < 10_000 && skippedInARow < 20; i++) {
            long start = System.nanoTime();
            int takers = server.broadcast(message);
            slowestNanos = Math.max(slowestNanos, System.nanoTime() - start);
            assertEquals(Opcode.BINARY.code(), healthy.readFrame().opcode());   // in lockstep: never behind
            assertTrue(takers >= 1, "the healthy peer always takes it");
            skippedInARow = takers == 1 ? skippedInARow + 1 : 0;
        }
        assertEquals(20, skippedInARow, "once the kernel's buffers are full, the stalled peer is skipped");
        assertTrue(TimeUnit.NANOSECONDS.toMillis(slowestNanos) < 500, "a broadcast never waits: " + slowestNanos);
        assertEquals(ConnectionState.OPEN, stalledConnection.state(), "BLOCK skips in a broadcast, it does not close");
        // (Its queue may have drained meanwhile: the kernel grows a socket's buffers over time.)
        assertHealthyEchoes("still served");
    }

    /**
     * BLOCK never makes another thread wait for this peer: a send from outside the connection's
     * own handlers is refused at once past the budget; the write timeout then drops the peer.
     */
    @Test
    void blockRefusesAForeignSenderAtOnceThenTheWriteTimeoutDropsTheSlowConsumer() throws Exception {
        startWith(BackpressurePolicy.BLOCK);
        long refusedAfter = fillUntilRefused(Duration.ofMillis(200));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(refusedAfter) < 500, "refused without waiting: " + refusedAfter);
        CompletableFuture<Void> refused = stalledConnection.sendAsync(ByteBuffer.allocate(CHUNK));
        ExecutionException failure = assertThrows(ExecutionException.class, () -> refused.get(1, TimeUnit.SECONDS));
        assertInstanceOf(SendFailedException.class, failure.getCause());
        assertHealthyEchoes("served while the other peer is stuck");
        CloseEvent close = events.skipTo(CloseEvent.class);
        assertEquals(CloseCause.WRITE_TIMEOUT, close.cause(), close.toString());
        assertEquals(1006, close.code(), "its Close cannot be delivered: dropped");
        assertHealthyEchoes("still served");
    }

    @Test
    void failRefusesAtOnceAndKeepsTheConnection() throws Exception {
        startWith(BackpressurePolicy.FAIL);
        long refusedAfter = fillUntilRefused(Duration.ofMillis(200));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(refusedAfter) < 500, "refused without waiting: " + refusedAfter);
        assertEquals(ConnectionState.OPEN, stalledConnection.state());
        assertTrue(stalledConnection.bufferedAmount() > 0);
        assertHealthyEchoes("served");
    }

    @Test
    void closeSends1008AfterTheQueuedDataOnceThePeerReads() throws Exception {
        startWith(BackpressurePolicy.CLOSE);
        fillUntilRefused(Duration.ZERO);
        assertEquals(ConnectionState.CLOSING, stalledConnection.state());
        assertFalse(stalledConnection.send("refused after the close"));
        assertHealthyEchoes("served");

        WireFrame close = stalled.readUntilClose();   // the peer wakes up and drains its backlog
        assertEquals(1008, close.closeCode());
        assertEquals("slow consumer", close.closeReason());
        stalled.sendClose(1008, "");
        assertTrue(stalled.readsEndOfStream());
        stalled.close();                    // as a client does on the server's FIN
        CloseEvent closed = events.skipTo(CloseEvent.class);
        assertEquals(1008, closed.code());
        assertFalse(closed.remote());
    }

    /**
     * A reply a handler queued on the connection's own thread waits for the reader's flush, which
     * comes when the handler returns. Another thread's send that finds the budget full must not
     * wait for that handler (and then close a peer that reads fine as a "slow consumer"): it
     * starts a writer.
     */
    @Test
    void aForeignSendDoesNotWaitForAHandlerThatQueuedAReply() throws Exception {
        WebSocketServer server = start(b -> b.config(QUIET.toBuilder().maxOutboundBytes(1024)
                .backpressurePolicy(BackpressurePolicy.BLOCK).writeTimeout(Duration.ofSeconds(5)).build()));
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<WebSocket> connection = new AtomicReference<>();
        server.events().subscribe(EventFilter.textMessages(), e -> {
            e.connection().send("x".repeat(600));   // queued until this handler returns
            connection.set(e.connection());
            holding.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
            }
        });
        WirePeer peer = open(server);
        peer.sendText("go");
        try {
            assertTrue(holding.await(5, TimeUnit.SECONDS));
            // The foreign send starts a writer, which writes the handler's queued reply too:
            // nothing waits for the handler to return.
            assertTrue(connection.get().send("y".repeat(300)));
            assertEquals("x".repeat(600), peer.readFrame().text());
            assertEquals("y".repeat(300), peer.readFrame().text());
            Await.until("the queue drains while the handler runs", Duration.ofSeconds(5),
                    () -> connection.get().bufferedAmount() == 0);
            assertTrue(connection.get().send("z".repeat(600)), "the budget is free again");
            assertEquals("z".repeat(600), peer.readFrame().text());
        } finally {
            release.countDown();
        }
    }

    /** sendAsync completes once the message is written; the peer has it by then or soon after. */
    @Test
    void sendAsyncCompletesWhenTheWholeMessageIsWritten() throws Exception {
        startWith(BackpressurePolicy.BLOCK);
        ByteBuffer big = ByteBuffer.allocate(32 << 20);
        CompletableFuture<Void> written = healthyConnection().sendAsync(big);
        assertFalse(written.isDone(), "32 MiB do not fit the kernel's buffers before the peer reads some");
        assertEquals(big.capacity(), healthy.readFrame().payload().length);
        written.get(5, TimeUnit.SECONDS);
        CompletableFuture<Void> small = healthyConnection().sendAsync("hi");
        small.get(5, TimeUnit.SECONDS);
        assertEquals("hi", healthy.readFrame().text());
    }

    private WebSocket healthyConnection() {
        return server.connections().stream().filter(c -> c != stalledConnection).findFirst().orElseThrow();
    }
}
