package dev.leanws.server.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import dev.leanws.CloseStatus;
import dev.leanws.WebSocketConfig;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.EventFilter;
import dev.leanws.testing.Fuzzer;
import dev.leanws.testing.RawFrames;
import dev.leanws.testing.WireFrame;
import dev.leanws.testing.WireLog;
import dev.leanws.testing.WirePeer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the whole server: each input is a new connection that sends a seeded random, damaged
 * or hostile stream ({@link Fuzzer}) in random pieces, then a Close and FIN. Every connection
 * must end (the server closes TCP within a deadline: no hang), without an error other than a
 * protocol violation (an internal error, 1011, fails), with a Close frame (if any) whose code
 * the RFC allows, and with a close event the RFC allows: 1002/1007/1009 (or 1006 after a
 * timeout) when the server ended it, the peer's valid code, 1005 or 1006 when the peer did. The memory the whole
 * JVM allocates per connection stays bounded. Four connections run at a time.
 *
 * <p>{@value #DEFAULT_CONNECTIONS} connections in a normal build; a dedicated run sets
 * {@code -Dleanws.fuzz.connections=200000} (and {@code -Dleanws.fuzz.seed=...}).
 */
class ServerFuzzTest {

    static final int DEFAULT_CONNECTIONS = 2000;
    private static final int WORKERS = 4;
    private static final Set<Integer> VIOLATIONS = Set.of(1002, 1007, 1009, 1006);

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)   // a long dedicated run takes minutes; a hang never ends
    void everyConnectionEndsWithAnAllowedCloseAndNothingLeaks() throws Exception {
        long seed = Fuzzer.seed(0xF022L);
        int connections = Fuzzer.iterations("leanws.fuzz.connections", DEFAULT_CONNECTIONS);
        WebSocketConfig config = EchoServer.CONFIG.toBuilder().maxFrameSize(64 << 10).maxMessageSize(128 << 10)
                .closeTimeout(Duration.ofSeconds(2)).frameTimeout(Duration.ofSeconds(2)).build();
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        Queue<CloseEvent> closes = new ConcurrentLinkedQueue<>();
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getTotalThreadAllocatedBytes();
        HeapPeak peak = HeapPeak.start();
        try (EchoServer server = EchoServer.start(config)) {
            server.server().events().subscribe(EventFilter.closes(), closes::add);
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                workers.add(Thread.ofVirtual().name("fuzz-" + w).start(() -> {
                    Fuzzer fuzzer = new Fuzzer(seed + worker);
                    for (int i = worker; i < connections && failures.size() < 10; i += WORKERS) {
                        String problem = oneConnection(server.port(), fuzzer);
                        if (problem != null) {
                            failures.add("seed=" + (seed + worker) + " worker=" + worker + " iteration=" + i / WORKERS + ": " + problem);
                        }
                    }
                }));
            }
            for (Thread t : workers) {
                t.join();
            }
            assertEquals(List.of(), List.copyOf(failures));
            assertEquals(List.of(), server.problems(), "connections released, no unexpected server errors");
        }
        long perConnection = (threads.getTotalThreadAllocatedBytes() - allocatedBefore) / connections;
        assertTrue(perConnection < 512 << 10, "allocated " + perConnection + " bytes per connection");
        assertTrue(peak.rise() < 256 << 20, "the old generation rose by " + peak.rise() + " bytes");
        assertEquals(connections, closes.size(), "one close event per connection");
        Set<Integer> seen = new java.util.TreeSet<>();
        for (CloseEvent e : closes) {
            seen.add(e.code());
            boolean allowed = e.remote()
                    ? CloseStatus.isValidOnWire(e.code()) || e.code() == 1005 || e.code() == 1006
                    : VIOLATIONS.contains(e.code());
            assertTrue(allowed, "close event " + e.code() + " " + e.reason() + (e.remote() ? " (remote)" : " (local)"));
        }
        assertTrue(seen.containsAll(Set.of(1000, 1002, 1007, 1009)), "the inputs reach every outcome: " + seen);
    }

    /** Sends one fuzzed stream, then Close and FIN; returns what went wrong, or null. */
    private static String oneConnection(int port, Fuzzer fuzzer) {
        byte[] stream = fuzzer.stream(true);
        List<byte[]> chunks = fuzzer.chunks(stream);
        try (WirePeer peer = WirePeer.connect(port, "/")) {
            try {
                for (byte[] chunk : chunks) {
                    peer.send(chunk);
                }
                peer.send(peer.frame(RawFrames.close(1000, "")));
                peer.shutdownOutput();
            } catch (IOException e) {
                // the server may close while we still send (after a Close in the stream): fine
            }
            WireLog.End end = peer.log().awaitEnd(Duration.ofSeconds(10));
            if (end == null) {
                return "the server did not end the connection within 10 s";
            }
            for (WireLog.Entry entry : peer.log().entries()) {
                if (entry instanceof WireFrame f && f.isClose() && f.payload().length >= 2) {
                    int code = f.closeCode();
                    if (!CloseStatus.isValidOnWire(code)) {
                        return "Close frame with code " + code;
                    }
                }
                if (entry instanceof WireFrame f && (f.masked() || f.rsv() != 0)) {
                    return "the server sent " + f;
                }
            }
            return null;
        } catch (IOException e) {
            return "connecting failed: " + e;
        }
    }
}
