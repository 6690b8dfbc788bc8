package dev.leanws.server.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.runtime.Watchdog;
import dev.leanws.testing.Await;
import dev.leanws.testing.ThreadsAndSockets;
import dev.leanws.testing.RawFrames;
import dev.leanws.testing.WireFrame;
import dev.leanws.testing.WireHead;
import dev.leanws.testing.WireLog;
import dev.leanws.testing.WirePeer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 10,000 connect/disconnect cycles, four at a time, every way a client can leave: closing the
 * socket before any request, after half a request, after the handshake with a closing handshake,
 * with a reset, or with FIN and no Close. Afterwards the server holds no connection, no
 * connection or writer thread is left in the JVM's thread dump, no deadline is still watched,
 * the process has no more file descriptors than before, and the server still answers.
 */
class ConnectionChurnTest {

    private static final int CYCLES = 10_000;
    private static final int WORKERS = 8;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void tenThousandCyclesLeakNoThreadOrSocket() throws Exception {
        try (EchoServer server = EchoServer.start(EchoServer.CONFIG)) {
            cycle(server.port(), 2);   // warm up: the accept thread and the watchdog exist from here on
            Await.until("warm-up connection released", () -> server.server().connections().isEmpty());
            int fdsBefore = ThreadsAndSockets.openFileDescriptors();
            int watchedBefore = Watchdog.shared().size();
            Queue<String> failures = new ConcurrentLinkedQueue<>();
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                workers.add(Thread.ofVirtual().start(() -> {
                    for (int i = worker; i < CYCLES && failures.size() < 5; i += WORKERS) {
                        try {
                            cycle(server.port(), i);
                        } catch (IOException | RuntimeException e) {
                            failures.add("cycle " + i + ": " + e);
                        }
                    }
                }));
            }
            for (Thread t : workers) {
                t.join();
            }
            assertEquals(List.of(), List.copyOf(failures));
            assertEquals(List.of(), server.problems(), "connections released, no unexpected server errors");
            Await.until("no connection or writer thread left", () -> threads("leanws-conn-").isEmpty() && threads("leanws-writer-").isEmpty());
            Await.until("no deadline left", () -> Watchdog.shared().size() <= watchedBefore);
            if (fdsBefore >= 0) {
                Await.until("file descriptors back to " + fdsBefore, () -> ThreadsAndSockets.openFileDescriptors() <= fdsBefore);
            }
            try (WirePeer peer = WirePeer.connect(server.port(), "/")) {
                peer.send(peer.frame(RawFrames.text("still here")));
                assertTrue(peer.log().await(e -> e.stream().anyMatch(x -> x instanceof WireFrame), Duration.ofSeconds(5)));
            }
        }
    }

    /** One connection, ended in one of five ways chosen by {@code i}. */
    private static void cycle(int port, int i) throws IOException {
        try (WirePeer peer = WirePeer.connect(port)) {
            int way = i % 5;
            if (way == 0) {
                return;   // gone before any request
            }
            String request = WirePeer.upgradeRequest("/");
            if (way == 1) {
                peer.send(request.substring(0, 40));
                return;   // gone after half a request
            }
            peer.send(request);
            WireHead response = peer.readResponse();
            if (response.status() != 101) {
                throw new IOException("no 101: " + response.startLine());
            }
            switch (way) {
                case 2 -> {   // closing handshake, then the server's FIN
                    peer.sendClose(1000);
                    WireFrame echo = peer.readFrame();
                    if (!echo.isClose() || echo.closeCode() != 1000 || !peer.readsEndOfStream()) {
                        throw new IOException("expected the Close echo then end of stream, got " + echo);
                    }
                }
                case 3 -> peer.reset();
                default -> {   // FIN without Close: the server ends too
                    peer.shutdownOutput();
                    peer.readToEnd();
                }
            }
        }
    }

    private static List<String> threads(String prefix) {
        try {
            return ThreadsAndSockets.threadsNamed(prefix);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
