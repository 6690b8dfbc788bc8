package dev.leanws.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Many idle connections, a few of them talking: the scale scenario of the performance issue,
 * which the shared load generator lacks. Opens {@code connections} WebSocket connections to a
 * running echo server (any of the bench's servers: it speaks plain RFC 6455), spread over the
 * source addresses 127.0.0.1..N, {@code handshakes} at a time; then for {@code duration}
 * seconds each connection sends one 32-byte binary message every {@code 100 / percent} seconds
 * (at a random offset, so {@code percent} % of the connections echo each second) and times its
 * echo. Reports the server's RSS before and after filling, handshakes per second while filling,
 * the echo round trips (p50/p99/p999/max) and the server's CPU time, from /proc/PID.
 *
 * <p>One virtual thread per client connection reads all the time (answering pings, so servers
 * with keep-alive keep the connection), the writes are under a per-connection lock. The client's
 * own memory does not matter here; the server's does.
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.leanws.bench.IdleScale PORT PID [connections] [sources] [percent] [duration-s] [deflate]
 * </pre>
 * (The hard limit of open files on the machine of the report is 20,000 per process: 19,000
 * connections is as far as one server goes there; see docs/benchmarks.md.)
 */
public final class IdleScale {

    private static final PrintStream OUT = System.out;
    private static final int PAYLOAD = 32;

    private IdleScale() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long pid = Long.parseLong(args[1]);
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int sources = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        double percent = args.length > 4 ? Double.parseDouble(args[4]) : 1.0;
        int durationS = args.length > 5 ? Integer.parseInt(args[5]) : 60;
        // "deflate": offer permessage-deflate as browsers do (the 32-byte echoes stay below any
        // compression threshold, so frames are plain; the server keeps its codec state).
        String extensions = args.length > 6 && args[6].equals("deflate")
                ? "Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover\r\n" : "";
        int inFlight = 128;

        Path proc = Path.of("/proc", Long.toString(pid));
        double rssBefore = rssMiB(proc);
        double cpuBefore = cpuSeconds(proc);
        List<Client> clients = new ArrayList<>(connections);
        Semaphore slots = new Semaphore(inFlight);
        AtomicInteger failed = new AtomicInteger();
        long fillStart = System.nanoTime();
        List<Thread> openers = new ArrayList<>(connections);
        Client[] opened = new Client[connections];
        for (int i = 0; i < connections; i++) {
            int n = i;
            slots.acquire();
            openers.add(Thread.ofVirtual().start(() -> {
                try {
                    InetAddress source = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (1 + n % sources)});
                    opened[n] = new Client(port, source, extensions);
                } catch (Exception e) {
                    failed.incrementAndGet();
                } finally {
                    slots.release();
                }
            }));
        }
        for (Thread t : openers) {
            t.join();
        }
        double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
        for (Client c : opened) {
            if (c != null) {
                clients.add(c);
            }
        }
        Thread.sleep(5_000);   // settle, as the shared harness does
        double rssFilled = rssMiB(proc);
        double cpuFilled = cpuSeconds(proc);

        long periodNanos = (long) (TimeUnit.SECONDS.toNanos(100) / percent);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(durationS);
        List<Thread> talkers = new ArrayList<>();
        for (Client c : clients) {
            long first = start + ThreadLocalRandom.current().nextLong(periodNanos);
            talkers.add(Thread.ofVirtual().start(() -> c.talk(first, periodNanos, end)));
        }
        for (Thread t : talkers) {
            t.join();
        }
        double rssAfter = rssMiB(proc);
        double cpuAfter = cpuSeconds(proc);

        long[] rtts = clients.stream().flatMapToLong(c -> Arrays.stream(c.rtts, 0, c.count)).sorted().toArray();
        long lost = clients.stream().mapToLong(c -> c.lost.sum()).sum();
        for (Client c : clients) {
            c.close();
        }
        int open = clients.size();
        OUT.printf("connections %d opened, %d failed, over %d source address(es)%n", open, failed.get(), sources);
        OUT.printf("filling: %.1f s, %.0f handshakes/s, server CPU %.2f s%n", fillSeconds, open / fillSeconds,
                cpuFilled - cpuBefore);
        OUT.printf("server RSS: %.1f MiB before, %.1f MiB idle, %.2f KiB per connection%n", rssBefore, rssFilled,
                (rssFilled - rssBefore) * 1024 / open);
        OUT.printf("talking %.1f %% per second for %d s: %d echoes, %d lost; round trip µs p50 %d, p99 %d, p999 %d,"
                + " max %d; server CPU %.2f s; RSS after %.1f MiB%n", percent, durationS, rtts.length, lost,
                at(rtts, 0.50), at(rtts, 0.99), at(rtts, 0.999), rtts.length == 0 ? 0 : rtts[rtts.length - 1] / 1000,
                cpuAfter - cpuFilled, rssAfter);
        OUT.printf("RESULT connections=%d failed=%d handshakes_per_s=%.0f rss_before_mib=%.1f rss_idle_mib=%.1f"
                + " kib_per_conn=%.2f echoes=%d lost=%d p50_us=%d p99_us=%d p999_us=%d%n", open, failed.get(),
                open / fillSeconds, rssBefore, rssFilled, (rssFilled - rssBefore) * 1024 / open, rtts.length, lost,
                at(rtts, 0.50), at(rtts, 0.99), at(rtts, 0.999));
    }

    private static long at(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1000;
    }

    private static double rssMiB(Path proc) throws IOException {
        for (String line : Files.readAllLines(proc.resolve("status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        throw new IOException("no VmRSS in " + proc);
    }

    /** utime + stime of the process, assuming 100 clock ticks per second (Linux's USER_HZ). */
    private static double cpuSeconds(Path proc) throws IOException {
        String stat = Files.readString(proc.resolve("stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    /** One client connection: a reader thread that answers pings and times echoes. */
    private static final class Client {
        final SocketChannel channel;
        final ReentrantLock writeLock = new ReentrantLock();
        final LongAdder lost = new LongAdder();
        long[] rtts = new long[8];
        int count;
        /** Echoes as {sequence number, arrival nanos}, from the reader to the talker. */
        private final LinkedBlockingQueue<long[]> echoes = new LinkedBlockingQueue<>();
        private long sequence;
        private final Thread reader;

        Client(int port, InetAddress source, String extensions) throws IOException {
            byte[] request = ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extensions + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            SocketChannel ch = SocketChannel.open();
            try {
                ch.bind(new InetSocketAddress(source, 0));
                ch.connect(new InetSocketAddress("127.0.0.1", port));
                ch.write(ByteBuffer.wrap(request));
                String head = RawUpgrade.readHead(ch);
                if (!head.startsWith("HTTP/1.1 101")) {   // e.g. a 503 past a server's connection cap
                    throw new IOException("refused: " + head.lines().findFirst().orElse(""));
                }
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            channel = ch;
            reader = Thread.ofVirtual().start(this::read);
        }

        /** Sends one message per period from {@code first} until {@code end}, timing each echo. */
        void talk(long first, long period, long end) {
            try {
                for (long at = first; at < end; at += period) {
                    long wait = at - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(Duration.ofNanos(wait));
                    }
                    long sent = System.nanoTime();
                    long seq = ++sequence;
                    write(0x2, ByteBuffer.allocate(PAYLOAD).putLong(0, seq).array());
                    long[] echoed;
                    long giveUp = sent + TimeUnit.SECONDS.toNanos(10);
                    do {   // an echo that came after an earlier message was given up is skipped
                        echoed = echoes.poll(Math.max(0, giveUp - System.nanoTime()), TimeUnit.NANOSECONDS);
                    } while (echoed != null && echoed[0] != seq);
                    if (echoed == null) {
                        lost.increment();
                        continue;
                    }
                    if (count == rtts.length) {
                        rtts = Arrays.copyOf(rtts, count * 2);
                    }
                    rtts[count++] = echoed[1] - sent;
                }
            } catch (IOException | InterruptedException e) {
                lost.increment();
            }
        }

        private void read() {
            ByteBuffer in = ByteBuffer.allocate(256);
            try {
                while (true) {
                    in.clear().limit(2);
                    readFully(in);
                    int opcode = in.get(0) & 0x0F;
                    int len = in.get(1) & 0x7F;
                    if (len >= 126) {
                        throw new IOException("long frame");
                    }
                    in.clear().limit(len);
                    readFully(in);
                    long now = System.nanoTime();
                    if (opcode == 0x9) {
                        byte[] payload = new byte[len];
                        in.flip().get(payload);
                        write(0xA, payload);
                    } else if (opcode == 0x2 && len >= 8) {
                        echoes.offer(new long[] {in.getLong(0), now});
                    } else if (opcode == 0x8) {
                        return;
                    }
                }
            } catch (Exception e) {
                // closed: the run is over, or the server dropped us (counted as lost by talk)
            }
        }

        private void readFully(ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                if (channel.read(b) < 0) {
                    throw new IOException("closed");
                }
            }
        }

        /** A masked frame (mask key 0: the payload goes as is; enough for a benchmark). */
        private void write(int opcode, byte[] payload) throws IOException {
            ByteBuffer frame = ByteBuffer.allocate(6 + payload.length);
            frame.put((byte) (0x80 | opcode)).put((byte) (0x80 | payload.length)).putInt(0).put(payload).flip();
            writeLock.lock();
            try {
                while (frame.hasRemaining()) {
                    channel.write(frame);
                }
            } finally {
                writeLock.unlock();
            }
        }

        void close() {
            try {
                channel.close();
                reader.join(Duration.ofSeconds(5));
            } catch (IOException | InterruptedException e) {
                // going away
            }
        }
    }
}
