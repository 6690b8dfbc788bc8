package dev.leanws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.BackpressurePolicy;
import dev.leanws.ConnectionState;
import dev.leanws.WebSocket;
import dev.leanws.codec.Opcode;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.EventFilter;
import dev.leanws.event.OpenEvent;
import dev.leanws.testing.EventRecorder;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;
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
    private RawPeer stalled;
    private WebSocket stalledConnection;
    private RawPeer healthy;

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
        assertTrue(stalledConnection.bufferedAmount() > 0);
        assertHealthyEchoes("still served");
    }

    @Test
    void blockWaitsUpToTheWriteTimeoutThenClosesTheSlowConsumerWhileOthersAreServed() throws Exception {
        startWith(BackpressurePolicy.BLOCK);
        AtomicLong refusedAfter = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> senderFailed = new AtomicReference<>();
        Thread sender = Thread.ofVirtual().start(() -> {
            try {
                refusedAfter.set(fillUntilRefused(Duration.ZERO));
            } catch (Throwable t) {
                senderFailed.set(t);
            } finally {
                done.set(true);
            }
        });
        int roundTrips = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.get()) {   // the healthy peer is served while the sender is blocked
            assertTrue(System.nanoTime() < deadline, "the sender was neither refused nor failed within 30 s");
            assertHealthyEchoes("ping " + roundTrips++);
        }
        assertTrue(sender.join(Duration.ofSeconds(10)));
        if (senderFailed.get() != null) {
            throw new AssertionError("the sender failed", senderFailed.get());
        }
        assertTrue(roundTrips > 0);
        assertTrue(TimeUnit.NANOSECONDS.toMillis(refusedAfter.get()) >= 900,
                "the refused send blocked for the write timeout: " + refusedAfter.get());
        assertTrue(stalledConnection.state() != ConnectionState.OPEN, "then the slow consumer is closed");
        assertEquals(1006, events.skipTo(CloseEvent.class).code(), "its Close cannot be delivered: dropped");
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

        RawPeer.Frame close = stalled.readUntilClose();   // the peer wakes up and drains its backlog
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
    void aBlockedSendDoesNotWaitForAHandlerThatQueuedAReply() throws Exception {
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
        RawPeer peer = open(server);
        peer.sendText("go");
        try {
            assertTrue(holding.await(5, TimeUnit.SECONDS));
            long start = System.nanoTime();
            assertTrue(connection.get().send("y".repeat(600)), "refused: the peer was closed as a slow consumer");
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waited < 2_000, "the send waited " + waited + " ms for the handler to return");
            assertEquals("x".repeat(600), peer.readFrame().text());
            assertEquals("y".repeat(600), peer.readFrame().text());
        } finally {
            release.countDown();
        }
    }
}
