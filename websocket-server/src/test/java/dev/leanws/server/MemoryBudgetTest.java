package dev.leanws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.CloseCause;
import dev.leanws.SendFailedException;
import dev.leanws.WebSocket;
import dev.leanws.event.EventFilter;
import dev.leanws.testing.Await;
import dev.leanws.testing.RawFrames;
import dev.leanws.testing.WireFrame;
import dev.leanws.testing.WirePeer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, F1: the server-wide memory budget. Peers that each send the start of a large
 * message and wait cannot make the server hold more than the budget; those whose growth would
 * cross it are closed with 1013, and small messages keep flowing meanwhile.
 */
class MemoryBudgetTest extends ServerTestSupport {

    private static final int BUDGET = 1 << 20;

    @Test
    void partialMessagesPastTheBudgetAreClosedWith1013WhileSmallMessagesFlow() throws Exception {
        WebSocketServer server = start(b -> b.memoryBudget(BUDGET));
        server.events().subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()));
        AtomicInteger pressure = new AtomicInteger();
        server.events().subscribe(EventFilter.closes(), e -> {
            if (e.cause() == CloseCause.MEMORY_PRESSURE && e.code() == 1013 && !e.remote()) {
                pressure.incrementAndGet();
            }
        });
        WirePeer canary = open(server);
        // 16 peers each declare a 4 MiB message and send its first 256 KiB: 4 MiB in all, 4x the budget.
        byte[] start = RawFrames.binary(new byte[256 * 1024]).declaredLength(4 << 20).masked(WirePeer.MASK).build();
        List<WirePeer> attackers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            WirePeer attacker = open(server);
            attackers.add(attacker);
            attacker.send(start);
        }
        // At most 4 can hold 256 KiB each within 1 MiB: every other one is refused.
        Await.until("12 peers closed for memory pressure", Duration.ofSeconds(10), () -> pressure.get() >= 12);
        assertTrue(server.memory().used() <= BUDGET, server.memory().toString());
        int refusedSeen = 0;
        for (WirePeer attacker : attackers) {
            attacker.readTimeout(java.time.Duration.ofMillis(200));
            try {
                WireFrame close = attacker.readUntilClose();
                assertEquals(1013, close.closeCode());
                refusedSeen++;
            } catch (java.net.SocketTimeoutException holding) {
                // one of the few within the budget
            }
        }
        assertTrue(refusedSeen >= 12, refusedSeen + " peers read 1013");

        // The budget is full, and small messages still flow.
        for (int i = 0; i < 20; i++) {
            long t0 = System.nanoTime();
            canary.sendText("canary " + i);
            assertEquals("canary " + i, canary.readFrame().text());
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1), "canary round trip");
        }

        // Once the peers are gone, so is what they held.
        for (WirePeer attacker : attackers) {
            attacker.close();
        }
        Await.until("the budget emptied", Duration.ofSeconds(10), () -> server.memory().used() == 0);
    }

    @Test
    void aSendTheBudgetCannotTakeFailsAndTheConnectionStays() throws Exception {
        WebSocketServer server = start(b -> b.memoryBudget(BUDGET));
        WirePeer peer = open(server);
        Await.until("open", Duration.ofSeconds(5), () -> server.connections().size() == 1);
        WebSocket ws = server.connections().get(0);
        CompletableFuture<Void> big = ws.sendAsync(ByteBuffer.allocate(2 * BUDGET));
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> big.get(5, TimeUnit.SECONDS));
        assertInstanceOf(SendFailedException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("memory budget"), e.getCause().getMessage());
        assertTrue(ws.send("still here"));
        assertEquals("still here", peer.readFrame().text());
        assertEquals(0, server.memory().used());
    }
}
