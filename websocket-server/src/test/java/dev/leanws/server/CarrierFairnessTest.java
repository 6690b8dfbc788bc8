package dev.leanws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.event.EventFilter;
import dev.leanws.testing.Await;
import dev.leanws.testing.RawFrames;
import dev.leanws.testing.WirePeer;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Busy connections share the carriers: more connections than the virtual-thread scheduler has
 * carriers, each with a long backlog of messages that cost CPU, do not keep a quiet connection
 * from being answered until they are done (virtual threads are not time-sliced; the reader
 * yields after a slice of work, see CarrierShare). Asserted by order, not by time: the quiet
 * connection's echo must come back while most of the backlog is still unprocessed.
 */
class CarrierFairnessTest extends ServerTestSupport {

    private static final int BACKLOG = 2_000;
    private static final long WORK_NANOS = 250_000;

    @Test
    void aQuietConnectionIsAnsweredWhileBusyOnesHoldEveryCarrier() throws Exception {
        int carriers = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
                Runtime.getRuntime().availableProcessors());
        AtomicInteger handled = new AtomicInteger();
        AtomicBoolean stopWorking = new AtomicBoolean();
        WebSocketServer server = start();
        server.events().subscribe(EventFilter.textMessages(), e -> {
            if (e.text().equals("busy")) {
                handled.incrementAndGet();
                long until = System.nanoTime() + WORK_NANOS;
                while (!stopWorking.get() && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            } else {
                e.connection().send(e.text());
            }
        });
        WirePeer quiet = open(server);
        List<WirePeer> busy = new ArrayList<>();
        for (int i = 0; i <= carriers; i++) {
            busy.add(open(server));
        }
        int total = busy.size() * BACKLOG;
        for (WirePeer peer : busy) {
            ByteArrayOutputStream backlog = new ByteArrayOutputStream();
            for (int i = 0; i < BACKLOG; i++) {
                backlog.writeBytes(peer.frame(RawFrames.text("busy")));
            }
            peer.send(backlog.toByteArray());
        }
        Await.until("the busy connections started", Duration.ofSeconds(10), () -> handled.get() > 0);

        quiet.sendText("still there?");
        assertEquals("still there?", quiet.readFrame().text());
        int handledWhenAnswered = handled.get();
        stopWorking.set(true);

        assertTrue(handledWhenAnswered < total / 2, "the quiet connection waited until " + handledWhenAnswered
                + " of " + total + " busy messages were handled on " + carriers + " carriers");
    }
}
