package dev.leanws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.testing.RawFrames;
import dev.leanws.testing.WirePeer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11, F1 against a real heap: a server forked with a small heap (default {@code -Xmx64m})
 * is sent ten heaps' worth of partial messages (connections that each send the first 1 MiB of
 * a 16 MiB message and wait), while a canary connection echoes small messages. The canary's
 * round trips stay short, the server survives, and a fresh client connects once the attackers
 * leave. Loopback only; bounded by {@link Timeout}.
 *
 * <p>The same code produces the figures with {@code -Dleanws.hostile.heap=512m}
 * ({@code scripts/hostile-figures.sh}), which also turns on {@link #slowlorisFigure()}.
 */
class HeapExhaustionTest {

    private static final String HEAP = System.getProperty("leanws.hostile.heap", "64m");
    private static final int SCALE = Integer.getInteger("leanws.hostile.scale", 10);
    private static final boolean FIGURES = Boolean.getBoolean("leanws.hostile.figures");
    private static final int MIB = 1 << 20;

    @Test
    @Timeout(300)
    void tenHeapsOfPartialMessagesNeitherExhaustNorWedgeTheServer() throws Exception {
        try (ForkedServer server = ForkedServer.start(HEAP)) {
            int attackers = (int) (bytes(HEAP) * SCALE / MIB);
            Canary canary = new Canary(server.port());
            Thread canaryThread = Thread.ofPlatform().name("canary").start(canary);
            long attackStart = System.nanoTime();
            List<Socket> sockets = attack(server.port(), attackers);
            double attackSeconds = (System.nanoTime() - attackStart) / 1e9;
            canary.stop();
            canaryThread.join();
            assertTrue(server.isAlive(), "the server died:\n" + server.logTail());
            long[] during = server.stats();

            for (Socket s : sockets) {
                s.close();
            }
            long t0 = System.nanoTime();
            try (WirePeer fresh = WirePeer.open(server.port(), "/")) {
                fresh.sendText("fresh");
                assertEquals("fresh", fresh.readFrame().text());
            }
            double freshSeconds = (System.nanoTime() - t0) / 1e9;
            long[] after = server.stats();
            long rss = server.rssBytes();

            String figures = String.format(Locale.ROOT, "F1 -Xmx%s: %d connections x 1 MiB sent in %.1f s; canary %d round trips,"
                    + " worst %.0f ms (failures %d); budget %d MiB, used %d MiB during the attack; fresh client %.0f ms after;"
                    + " after: heap %d MiB, budget used %d bytes, RSS %d MiB",
                    HEAP, attackers, attackSeconds, canary.roundTrips.get(), canary.worstNanos.get() / 1e6,
                    canary.failures.get(), during[2] / MIB, during[1] / MIB, freshSeconds * 1000,
                    after[0] / MIB, after[1], rss / MIB);
            if (FIGURES) {
                System.out.println(figures);
            }
            assertEquals(0, canary.failures.get(), figures + "\n" + server.logTail());
            assertTrue(canary.roundTrips.get() > 0, figures);
            assertTrue(canary.worstNanos.get() < TimeUnit.SECONDS.toNanos(2), figures);
            assertTrue(freshSeconds < 5, figures);
            assertTrue(during[1] <= during[2], figures);
            assertTrue(server.isAlive(), figures + "\n" + server.logTail());
        }
    }

    /**
     * W1 against the forked server with defaults: 10,050 slow handshakes from 127.0.0.1 (one
     * byte per second), then the time a client from 127.0.0.2 takes to connect. Figures only
     * (it needs over 10,000 file descriptors).
     */
    @Test
    @Timeout(300)
    void slowlorisFigure() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(FIGURES, "figures run only");
        try (ForkedServer server = ForkedServer.start(HEAP)) {
            List<Socket> slow = new ArrayList<>();
            int refused = 0;
            for (int i = 0; i < 10_050; i++) {
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5000);
                    s.getOutputStream().write('G');
                    slow.add(s);
                } catch (IOException e) {
                    refused++;
                    s.close();
                }
            }
            // One more byte each per second, for as long as the measurement takes.
            Thread trickle = Thread.ofPlatform().daemon().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    for (Socket s : slow) {
                        try {
                            s.getOutputStream().write('E');
                        } catch (IOException closedByServer) {
                            // past the per-address cap: closed at once
                        }
                    }
                    try {
                        Thread.sleep(1000);   // the attack's pace, not a wait for a condition
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            long t0 = System.nanoTime();
            try (WirePeer fresh = WirePeer.connectFrom("127.0.0.2", server.port()).upgrade()) {
                fresh.sendText("fresh");
                assertEquals("fresh", fresh.readFrame().text());
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            trickle.interrupt();
            System.out.printf(Locale.ROOT, "slowloris: %d slow handshakes from 127.0.0.1 (%d refused at connect); "
                    + "a client from 127.0.0.2 connected and echoed in %.0f ms%n", slow.size(), refused, seconds * 1000);
            for (Socket s : slow) {
                s.close();
            }
            assertTrue(seconds < 2);
        }
    }

    /** Opens {@code count} connections that each send the first 1 MiB of a 16 MiB message; returns them, still open. */
    private static List<Socket> attack(int port, int count) throws InterruptedException {
        byte[] header = RawFrames.binary(new byte[0]).declaredLength(16L * MIB - 1).masked(WirePeer.MASK).build();
        byte[] chunk = new byte[64 * 1024];
        ConcurrentLinkedQueue<Socket> sockets = new ConcurrentLinkedQueue<>();
        Semaphore handshaking = new Semaphore(32);   // under the server's per-address cap of pending handshakes
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                Socket s = new Socket();
                sockets.add(s);
                try {
                    handshaking.acquire();
                    try {
                        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
                        s.setSoTimeout(10_000);
                        handshake(s);
                    } finally {
                        handshaking.release();
                    }
                    OutputStream out = s.getOutputStream();
                    out.write(header);
                    for (int sent = 0; sent < MIB; sent += chunk.length) {
                        out.write(chunk);
                    }
                    out.flush();
                } catch (IOException | InterruptedException e) {
                    // refused (1013 and closed) or reset: this attacker is done
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return new ArrayList<>(sockets);
    }

    private static void handshake(Socket s) throws IOException {
        s.getOutputStream().write(WirePeer.upgradeRequest("/").getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the handshake");
            }
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("refused: " + head);
        }
    }

    private static long bytes(String heap) {
        String h = heap.toLowerCase(Locale.ROOT);
        long unit = h.endsWith("g") ? 1L << 30 : h.endsWith("m") ? 1L << 20 : h.endsWith("k") ? 1L << 10 : 1;
        return Long.parseLong(h.replaceAll("[kmg]$", "")) * unit;
    }

    /** Echoes a small message over and over, recording the worst round trip, until stopped. */
    private static final class Canary implements Runnable {
        final AtomicLong worstNanos = new AtomicLong();
        final AtomicInteger roundTrips = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        private final int port;
        private volatile boolean stopped;

        Canary(int port) {
            this.port = port;
        }

        void stop() {
            stopped = true;
        }

        @Override
        public void run() {
            try (WirePeer peer = WirePeer.open(port, "/")) {
                while (!stopped) {
                    long t0 = System.nanoTime();
                    peer.sendText("canary " + roundTrips.get());
                    peer.readFrame();
                    long rtt = System.nanoTime() - t0;
                    worstNanos.accumulateAndGet(rtt, Math::max);
                    roundTrips.incrementAndGet();
                    Thread.sleep(Duration.ofMillis(20));   // the canary's pace, not a wait for a condition
                }
            } catch (IOException | InterruptedException e) {
                failures.incrementAndGet();
            }
        }
    }
}
