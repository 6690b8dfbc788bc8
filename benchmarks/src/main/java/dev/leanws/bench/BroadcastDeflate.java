package dev.leanws.bench;

import dev.leanws.DeflateConfig;
import dev.leanws.WebSocketConfig;
import dev.leanws.server.WebSocketServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;

/**
 * Broadcast of a 16 KiB JSON text to N permessage-deflate clients (issue 13), three ways: the
 * clients offer {@code permessage-deflate} (context takeover: the server compresses per
 * connection), {@code permessage-deflate; server_no_context_takeover} (one compressed frame
 * shared by all), or nothing (one uncompressed frame). The clients are raw sockets in a child
 * JVM that only count whole frames (they do not inflate), so the CPU measured here is the
 * server's. At most {@code WINDOW} broadcasts are in flight, so no queue reaches its budget.
 * Each broadcast is one of 16 different messages (same shape, other numbers), as a feed would be.
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.leanws.bench.BroadcastDeflate [clients] [seconds]
 * </pre>
 */
public final class BroadcastDeflate {

    private static final int WINDOW = 4;
    private static final PrintStream OUT = System.out;
    private static final String[] OFFERS = {"permessage-deflate", "permessage-deflate; server_no_context_takeover", ""};
    private static final String[] NAMES = {"takeover", "no takeover (shared)", "uncompressed"};

    private BroadcastDeflate() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("clients")) {
            clients(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args.length > 3 ? args[3] : "");
            return;
        }
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        String[] messages = messages();
        OUT.printf("message: %d bytes of JSON text; %d clients; up to %d broadcasts in flight%n",
                messages[0].length(), n, WINDOW);
        for (int run = 0; run < 2; run++) {     // the first run warms up the JIT
            OUT.println(run == 0 ? "-- warm-up --" : "-- measured --");
            for (int mode = 0; mode < OFFERS.length; mode++) {
                scenario(NAMES[mode], OFFERS[mode], n, run == 0 ? seconds / 3 : seconds, messages);
            }
        }
    }

    /** 16 JSON texts of 16 KiB: an array of quotes, the same keys, other numbers. */
    static String[] messages() {
        Random random = new Random(13);
        String[] out = new String[16];
        String[] symbols = {"ACME", "GLOBEX", "INITECH", "UMBRELLA", "HOOLI", "STARK", "WAYNE", "TYRELL"};
        for (int m = 0; m < out.length; m++) {
            StringBuilder b = new StringBuilder("{\"type\":\"quotes\",\"seq\":" + m + ",\"quotes\":[");
            while (b.length() < 16 * 1024 - 200) {
                b.append("{\"symbol\":\"").append(symbols[random.nextInt(symbols.length)])
                        .append("\",\"bid\":").append(100 + random.nextInt(900)).append('.').append(random.nextInt(100))
                        .append(",\"ask\":").append(100 + random.nextInt(900)).append('.').append(random.nextInt(100))
                        .append(",\"volume\":").append(random.nextInt(1_000_000))
                        .append(",\"time\":").append(1_765_000_000_000L + random.nextInt(1_000_000)).append("},");
            }
            b.append("{}]}");
            while (b.length() < 16 * 1024) {
                b.insert(b.length() - 2, ' ');
            }
            out[m] = b.toString();
        }
        return out;
    }

    private static void scenario(String name, String offer, int n, double seconds, String[] messages)
            throws Exception {
        var server = WebSocketServer.builder().maxConnections(n + 100).backlog(4096)
                .deflate(DeflateConfig.defaults())
                .config(WebSocketConfig.builder().pingInterval(Duration.ZERO).build()).build();
        server.start();
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xss256k",
                "-cp", System.getProperty("java.class.path"), BroadcastDeflate.class.getName(), "clients",
                Integer.toString(server.port()), Integer.toString(n), offer)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader childOut = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        PrintStream childIn = new PrintStream(child.getOutputStream(), true, StandardCharsets.UTF_8);
        try {
            String line = childOut.readLine();
            if (!"connected".equals(line)) {
                throw new IllegalStateException("the client process said " + line);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (server.connections().size() < n) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("connections did not open");
                }
                Thread.sleep(10);
            }
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            long end = t0 + (long) (seconds * 1e9);
            long broadcasts = 0;
            long missed = 0;
            long bytesOut0 = server.metrics().sent().bytes();
            while (System.nanoTime() < end) {
                // Keep at most WINDOW broadcasts unread.
                while ((broadcasts - WINDOW) * n > frames(childIn, childOut)) {
                    Thread.onSpinWait();
                }
                missed += n - server.broadcast(messages[(int) (broadcasts % messages.length)]);
                broadcasts++;
            }
            while (frames(childIn, childOut) < broadcasts * n - missed) {
                Thread.onSpinWait();
            }
            long elapsed = System.nanoTime() - t0;
            long cpu = os.getProcessCpuTime() - cpu0;
            long bytesOut = server.metrics().sent().bytes() - bytesOut0;
            OUT.printf("%-22s %6d broadcasts in %5.1f s: %7.1f broadcasts/s, %8.0f deliveries/s, server CPU %7.0f us"
                    + " per broadcast (%.2f cores), %6.0f B on the wire per delivery, %d not queued%n",
                    name, broadcasts, elapsed / 1e9, broadcasts / (elapsed / 1e9), broadcasts * n / (elapsed / 1e9),
                    cpu / 1e3 / broadcasts, (double) cpu / elapsed, (double) bytesOut / (broadcasts * n), missed);
        } finally {
            childIn.println("exit");
            child.waitFor();
            server.stop(Duration.ofSeconds(10));
        }
    }

    private static long frames(PrintStream childIn, BufferedReader childOut) throws IOException {
        childIn.println("count");
        return Long.parseLong(childOut.readLine());
    }

    /** The child JVM: n raw clients that offer {@code offer} and count whole frames received. */
    private static void clients(int port, int n, String offer) throws Exception {
        LongAdder frames = new LongAdder();
        List<SocketChannel> channels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SocketChannel ch = RawUpgrade.open(port, offer.isEmpty() ? "" : "Sec-WebSocket-Extensions: " + offer + "\r\n");
            channels.add(ch);
            Thread.ofVirtual().start(() -> count(ch, frames));
        }
        System.out.println("connected");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null && !line.equals("exit"); ) {
            System.out.println(frames.sum());
        }
        System.exit(0);   // the sockets close with the process; the readers need no goodbye
    }

    /** Reads frames (unmasked, from a server) and counts each one that ends; payloads are skipped. */
    private static void count(SocketChannel ch, LongAdder frames) {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        long skip = 0;   // payload bytes of the current frame still to come
        try {
            while (ch.read(buf) > 0) {
                buf.flip();
                while (true) {
                    if (skip > 0) {
                        int n = (int) Math.min(skip, buf.remaining());
                        buf.position(buf.position() + n);
                        skip -= n;
                        if (skip > 0) {
                            break;
                        }
                        frames.increment();
                        continue;
                    }
                    if (buf.remaining() < 2) {
                        break;
                    }
                    int len = buf.get(buf.position() + 1) & 0x7F;
                    int head = len == 126 ? 4 : len == 127 ? 10 : 2;
                    if (buf.remaining() < head) {
                        break;
                    }
                    long payload = len == 126 ? buf.getShort(buf.position() + 2) & 0xFFFF
                            : len == 127 ? buf.getLong(buf.position() + 2) : len;
                    buf.position(buf.position() + head);
                    if (payload == 0) {
                        frames.increment();
                    }
                    skip = payload;
                }
                buf.compact();
            }
        } catch (IOException | RuntimeException e) {
            // closed at exit
        }
    }

}
