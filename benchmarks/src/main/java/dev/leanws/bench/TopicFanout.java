package dev.leanws.bench;

import dev.leanws.WebSocketConfig;
import dev.leanws.event.EventFilter;
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
import java.util.concurrent.atomic.LongAdder;

/**
 * Cost of topic fan-out on one server: (A) one topic with N subscribers, (B) N topics with one
 * subscriber each. The subscribers are raw WebSocket clients in a child JVM (so that the CPU
 * time measured here is the server's alone); they only count the bytes they receive. Not JMH:
 * one run measures the time from the first publish until every subscriber has every frame.
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.leanws.bench.TopicFanout [subscribers] [rounds]
 * </pre>
 */
public final class TopicFanout {

    private static final int PAYLOAD = 64;
    private static final int FRAME = PAYLOAD + 2;
    private static final PrintStream OUT = System.out;

    private TopicFanout() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("clients")) {
            clients(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Boolean.parseBoolean(args[3]));
            return;
        }
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        for (int run = 0; run < 2; run++) {       // the first run warms up the JIT
            OUT.println(run == 0 ? "-- warm-up --" : "-- measured --");
            scenario("one topic, " + n + " subscribers", n, rounds, true);
            scenario(n + " topics, one subscriber each", n, rounds, false);
        }
    }

    private static void scenario(String name, int n, int rounds, boolean oneTopic) throws Exception {
        var server = WebSocketServer.builder().maxConnections(n + 100).backlog(4096)
                .config(WebSocketConfig.builder().pingInterval(Duration.ZERO).build()).build();
        server.events().subscribe(EventFilter.textMessages(), e -> server.topics().subscribe(e.connection(), e.text()));
        server.start();
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xss256k",
                "-cp", System.getProperty("java.class.path"), TopicFanout.class.getName(), "clients",
                Integer.toString(server.port()), Integer.toString(n), Boolean.toString(oneTopic))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader childOut = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        PrintStream childIn = new PrintStream(child.getOutputStream(), true, StandardCharsets.UTF_8);
        try {
            expect(childOut.readLine(), "connected");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while ((oneTopic ? server.topics().subscriberCount("t") : server.topics().names().size()) < n) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("subscriptions did not arrive");
                }
                Thread.sleep(10);
            }
            ByteBuffer payload = ByteBuffer.allocate(PAYLOAD);
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            var threads = ManagementFactory.getThreadMXBean();
            long publishes = 0;
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            long callCpu0 = threads.getCurrentThreadCpuTime();
            for (int r = 0; r < rounds; r++) {
                if (oneTopic) {
                    server.topics().publish("t", payload);
                    publishes++;
                } else {
                    for (int i = 0; i < n; i++) {
                        server.topics().publish("t" + i, payload);
                        publishes++;
                    }
                }
            }
            long callCpu = threads.getCurrentThreadCpuTime() - callCpu0;
            long tCalls = System.nanoTime() - t0;
            long expected = (long) n * rounds * FRAME;
            long got;
            do {
                childIn.println("count");
                got = Long.parseLong(childOut.readLine());
                if (System.nanoTime() > deadline + Duration.ofSeconds(120).toNanos()) {
                    throw new IllegalStateException("delivered " + got + " of " + expected + " bytes");
                }
                if (got < expected) {
                    Thread.sleep(2);
                }
            } while (got < expected);
            long elapsed = System.nanoTime() - t0;
            long cpu = os.getProcessCpuTime() - cpu0;
            long deliveries = (long) n * rounds;
            OUT.printf("%s: %d publishes, %d deliveries of %d B in %.1f ms%n", name, publishes, deliveries, PAYLOAD,
                    elapsed / 1e6);
            OUT.printf("  publishes/s %.0f, deliveries/s %.0f, publish calls took %.1f ms (%.2f us CPU per publish)%n",
                    publishes / (elapsed / 1e9), deliveries / (elapsed / 1e9), tCalls / 1e6, callCpu / 1e3 / publishes);
            OUT.printf("  server CPU %.0f ms = %.2f us per delivery, %.1f us per publish; %.2f cores busy%n",
                    cpu / 1e6, cpu / 1e3 / deliveries, cpu / 1e3 / publishes, (double) cpu / elapsed);
        } finally {
            childIn.println("exit");
            child.waitFor();
            server.stop(Duration.ofSeconds(10));
        }
    }

    private static void expect(String line, String wanted) {
        if (!wanted.equals(line)) {
            throw new IllegalStateException("the client process said " + line);
        }
    }

    /** The child JVM: n raw clients that subscribe, then count what they receive. */
    private static void clients(int port, int n, boolean oneTopic) throws Exception {
        LongAdder received = new LongAdder();
        List<SocketChannel> channels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SocketChannel ch = RawUpgrade.open(port, "");
            byte[] topic = (oneTopic ? "t" : "t" + i).getBytes(StandardCharsets.US_ASCII);
            ByteBuffer frame = ByteBuffer.allocate(6 + topic.length);
            frame.put((byte) 0x81).put((byte) (0x80 | topic.length)).putInt(0).put(topic).flip();   // mask key 0
            ch.write(frame);
            channels.add(ch);
            Thread.ofVirtual().start(() -> {
                ByteBuffer buf = ByteBuffer.allocate(4096);
                try {
                    while (ch.read(buf.clear()) > 0) {
                        received.add(buf.position());
                    }
                } catch (IOException | RuntimeException e) {
                    // closed at exit
                }
            });
        }
        System.out.println("connected");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null && !line.equals("exit"); ) {
            System.out.println(received.sum());
        }
        for (SocketChannel ch : channels) {
            ch.close();
        }
    }

}
