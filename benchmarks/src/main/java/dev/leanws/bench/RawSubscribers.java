package dev.leanws.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Raw WebSocket subscribers for {@link ClusterLatency}: each connects, subscribes to a topic by
 * sending its name as a text frame, then reads fixed-size binary frames on one of a few selector
 * threads (platform threads, apart from the servers' virtual-thread carriers). A frame's payload
 * starts with the publisher's {@code System.nanoTime()} and a phase byte; the receipt time is
 * taken once per {@code read}, so every frame of one read shares it.
 */
final class RawSubscribers implements AutoCloseable {

    static final int PAYLOAD = 64;
    static final int FRAME = PAYLOAD + 2;           // server frames are unmasked: 2-byte header
    static final int PHASE_AT = 8;                  // payload: [nanoTime 8][phase 1][padding]
    static final byte WARMUP = 0;
    static final byte MEASURED = 1;
    static final byte BURST = 2;

    private final List<Sub> subs = new ArrayList<>();
    private final List<Selector> selectors = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    /** One subscriber's receipts; written by its selector thread only. */
    static final class Sub {
        final SocketChannel channel;
        final ByteBuffer in = ByteBuffer.allocate(16 * 1024);
        final long[] latencies;
        volatile int measured;       // published as the count: the main thread reads latencies[0, measured)
        volatile long burst;
        volatile long lastBurstNanos;
        volatile boolean failed;

        Sub(SocketChannel channel, int capacity) {
            this.channel = channel;
            this.latencies = new long[capacity];
        }
    }

    /** Connects {@code n} subscribers to {@code topic} on {@code port}; room for {@code capacity} measured receipts each. */
    RawSubscribers(int port, String topic, int n, int capacity, int selectorThreads) throws IOException {
        for (int i = 0; i < selectorThreads; i++) {
            selectors.add(Selector.open());
        }
        byte[] name = topic.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < n; i++) {
            SocketChannel ch = RawUpgrade.open(port, "");
            ByteBuffer frame = ByteBuffer.allocate(6 + name.length);
            frame.put((byte) 0x81).put((byte) (0x80 | name.length)).putInt(0).put(name).flip();   // mask key 0
            ch.write(frame);
            ch.configureBlocking(false);
            Sub sub = new Sub(ch, capacity);
            subs.add(sub);
            // Registering while the selector thread is not started yet: no wakeup dance needed.
            ch.register(selectors.get(i % selectorThreads), SelectionKey.OP_READ, sub);
        }
        for (int i = 0; i < selectorThreads; i++) {
            Selector s = selectors.get(i);
            threads.add(Thread.ofPlatform().name("subscribers-" + i).daemon().start(() -> loop(s)));
        }
    }

    private void loop(Selector selector) {
        try {
            while (!closed) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    read((Sub) key.attachment(), key);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                System.err.println("subscriber selector failed: " + e);
            }
        }
    }

    private static void read(Sub sub, SelectionKey key) {
        ByteBuffer in = sub.in;
        int n;
        try {
            n = sub.channel.read(in);
        } catch (IOException e) {
            n = -1;
        }
        long now = System.nanoTime();
        if (n < 0) {
            sub.failed = true;
            key.cancel();
            return;
        }
        in.flip();
        int measured = sub.measured;
        long burst = sub.burst;
        while (in.remaining() >= FRAME) {
            int p = in.position();
            if (in.get(p) != (byte) 0x82 || in.get(p + 1) != PAYLOAD) {
                sub.failed = true;   // not our 64-byte binary frame: the figures would be wrong
                key.cancel();
                return;
            }
            long sent = in.getLong(p + 2);
            byte phase = in.get(p + 2 + PHASE_AT);
            if (phase == MEASURED && measured < sub.latencies.length) {
                sub.latencies[measured++] = now - sent;
            } else if (phase == BURST) {
                burst++;
            }
            in.position(p + FRAME);
        }
        in.compact();
        if (burst != sub.burst) {
            sub.lastBurstNanos = now;
            sub.burst = burst;
        }
        sub.measured = measured;
    }

    /** Measured receipts of all subscribers so far. */
    long measured() {
        long sum = 0;
        for (Sub s : subs) {
            sum += s.measured;
        }
        return sum;
    }

    /** Burst receipts of all subscribers so far. */
    long burst() {
        long sum = 0;
        for (Sub s : subs) {
            sum += s.burst;
        }
        return sum;
    }

    /** When the last burst frame arrived, over all subscribers. */
    long lastBurstNanos() {
        long last = Long.MIN_VALUE;
        for (Sub s : subs) {
            if (s.burst > 0) {
                last = Math.max(last, s.lastBurstNanos);
            }
        }
        return last;
    }

    boolean anyFailed() {
        return subs.stream().anyMatch(s -> s.failed);
    }

    /** Every measured latency, sorted (read once the counts have stopped moving). */
    long[] sortedLatencies() {
        long[] all = new long[(int) measured()];
        int at = 0;
        for (Sub s : subs) {
            int m = s.measured;
            System.arraycopy(s.latencies, 0, all, at, m);
            at += m;
        }
        Arrays.sort(all, 0, at);
        return at == all.length ? all : Arrays.copyOf(all, at);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        for (Selector s : selectors) {
            s.wakeup();
        }
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Sub s : subs) {
            s.channel.close();
        }
        for (Selector s : selectors) {
            s.close();
        }
    }

}
