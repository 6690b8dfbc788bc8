package dev.leanws.bench;

import dev.leanws.WebSocketConfig;
import dev.leanws.cluster.ClusterTopics;
import dev.leanws.cluster.RedisBroker;
import dev.leanws.event.EventFilter;
import dev.leanws.server.WebSocketServer;
import dev.leanws.testing.RedisProcess;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Added latency and delivery throughput of topics across two nodes through Redis, against the
 * same traffic on one node. One JVM holds node A, node B and the subscribers (raw WebSocket
 * clients on their own selector threads, {@link RawSubscribers}), so publish and receipt times
 * are both {@code System.nanoTime()}; Redis is a {@code redis-server} process on a free loopback
 * port, stopped by its PID at the end.
 *
 * <p>Per scenario {@code SUBSCRIBERS:RATE}, for each mode: <b>one node</b> (publisher and
 * subscribers on A, no Redis) and <b>two nodes</b> (subscribers on B, publisher on A; every
 * message goes A → Redis → B). A fixed-rate phase (warm-up, then measured) gives the per-delivery
 * latency percentiles (publish call → receipt by the subscriber's selector thread); a burst phase
 * (publish {@code burst} messages as fast as possible) gives the delivery throughput.
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -Xms512m -Xmx2g -cp benchmarks/target/benchmarks.jar dev.leanws.bench.ClusterLatency \
 *     [--seconds 10] [--warmup 5] [--rounds 2] [SUBSCRIBERS:RATE ...]   (default 100:1000 1000:100 10:10000)
 * </pre>
 */
public final class ClusterLatency {

    private static final PrintStream OUT = System.out;
    private static final String TOPIC = "T";
    private static final int SELECTOR_THREADS = 2;

    private ClusterLatency() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = 10;
        int warmup = 5;
        int rounds = 2;
        List<int[]> scenarios = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> {
                    String[] s = args[i].split(":");
                    scenarios.add(new int[] {Integer.parseInt(s[0]), Integer.parseInt(s[1])});
                }
            }
        }
        if (scenarios.isEmpty()) {
            scenarios = List.of(new int[] {100, 1000}, new int[] {1000, 100}, new int[] {10, 10_000});
        }
        if (!RedisProcess.available()) {
            throw new IllegalStateException(RedisProcess.SKIP);
        }
        OUT.printf("load average at start: %s%n", loadAverage());
        try (RedisProcess redis = RedisProcess.start()) {
            Thread hook = new Thread(redis::stop);   // a Ctrl-C must not leave redis-server behind
            Runtime.getRuntime().addShutdownHook(hook);
            OUT.println("redis: " + redis);
            OUT.println("| mode | subscribers | msgs/s | deliveries | lost | p50 µs | p99 µs | p99.9 µs | max µs "
                    + "| burst deliveries/s | burst lost | JVM CPU µs per burst delivery | load avg |");
            OUT.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            // Rounds alternate the order of the modes, so that neither always runs first (JIT, neighbours' load).
            for (int round = 0; round < rounds; round++) {
                for (int[] s : scenarios) {
                    boolean twoFirst = round % 2 == 1;
                    run(twoFirst, s[0], s[1], seconds, warmup, redis.url());
                    run(!twoFirst, s[0], s[1], seconds, warmup, redis.url());
                }
            }
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        OUT.printf("load average at end: %s%n", loadAverage());
    }

    private static WebSocketServer node(int subscribers) throws Exception {
        var server = WebSocketServer.builder().maxConnections(subscribers + 100).backlog(4096)
                .config(WebSocketConfig.builder().pingInterval(Duration.ZERO).build()).build();
        server.events().subscribe(EventFilter.textMessages(), e -> server.topics().subscribe(e.connection(), e.text()));
        return server.start();
    }

    private static void run(boolean twoNodes, int n, int rate, int seconds, int warmup, String redisUrl)
            throws Exception {
        WebSocketServer a = node(n);
        WebSocketServer b = twoNodes ? node(n) : a;
        ClusterTopics clusterA = null;
        ClusterTopics clusterB = null;
        RawSubscribers subs = null;
        try {
            if (twoNodes) {
                clusterA = ClusterTopics.attach(a, RedisBroker.create(redisUrl));
                clusterB = ClusterTopics.attach(b, RedisBroker.create(redisUrl));
            }
            int measuredMessages = rate * seconds;
            subs = new RawSubscribers(b.port(), TOPIC, n, measuredMessages, SELECTOR_THREADS);
            RedisBroker brokerB = clusterB == null ? null : (RedisBroker) clusterB.broker();
            awaitTrue("subscriptions", Duration.ofSeconds(60), () -> b.topics().subscriberCount(TOPIC) == n
                    && (brokerB == null || brokerB.subscribedChannels().contains(ClusterTopics.DEFAULT_PREFIX + "topic:" + TOPIC)));

            publishAtRate(a, rate, (long) rate * warmup, RawSubscribers.WARMUP);
            long lag = publishAtRate(a, rate, measuredMessages, RawSubscribers.MEASURED);
            long expected = (long) n * measuredMessages;
            awaitCount(subs::measured, expected);
            long[] lat = subs.sortedLatencies();

            int burst = Math.min(50_000, Math.max(1_000, 2_000_000 / n));
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            publishAtRate(a, 0, burst, RawSubscribers.BURST);
            long burstExpected = (long) n * burst;
            awaitCount(subs::burst, burstExpected);
            long got = subs.burst();
            double burstRate = got / ((subs.lastBurstNanos() - t0) / 1e9);
            double cpuPerDelivery = (os.getProcessCpuTime() - cpu0) / 1e3 / got;   // both nodes, subscribers, publisher

            OUT.printf("| %s | %,d | %,d | %,d | %,d | %s | %s | %s | %s | %,.0f | %,d | %.2f | %s |%n",
                    twoNodes ? "two nodes (A → Redis → B)" : "one node", n, rate, lat.length, expected - lat.length,
                    micros(lat, 0.50), micros(lat, 0.99), micros(lat, 0.999), micros(lat, 1.0), burstRate,
                    burstExpected - got, cpuPerDelivery, loadAverage());
            if (lag > 1_000_000 || subs.anyFailed()) {
                OUT.printf("  note: publisher fell behind its schedule by up to %.1f ms; a subscriber failed: %s%n",
                        lag / 1e6, subs.anyFailed());
            }
            if (clusterA != null) {
                OUT.printf("  note: publishes dropped by A's broker: %d%n",
                        ((RedisBroker) clusterA.broker()).lostPublications());
            }
        } finally {
            if (subs != null) {
                subs.close();
            }
            if (clusterB != null) {
                clusterB.close();
            }
            if (clusterA != null) {
                clusterA.close();
            }
            if (b != a) {
                b.stop(Duration.ofSeconds(10));
            }
            a.stop(Duration.ofSeconds(10));
        }
    }

    /**
     * Publishes {@code count} 64-byte messages on {@code server} at {@code rate} per second (0: as
     * fast as possible), each stamped with the nanoTime just before its publish call; a late
     * wake-up publishes everything that has come due. Returns how far it fell behind at worst.
     */
    private static long publishAtRate(WebSocketServer server, int rate, long count, byte phase) {
        long interval = rate == 0 ? 0 : 1_000_000_000L / rate;
        long start = System.nanoTime();
        long worstLag = 0;
        for (long i = 0; i < count; i++) {
            long due = start + i * interval;
            long now = System.nanoTime();
            if (due - now > 0) {
                LockSupport.parkNanos(due - now);
            } else {
                worstLag = Math.max(worstLag, now - due);
            }
            ByteBuffer payload = ByteBuffer.allocate(RawSubscribers.PAYLOAD);
            payload.put(RawSubscribers.PHASE_AT, phase);
            payload.putLong(0, System.nanoTime());
            server.topics().publish(TOPIC, payload);
        }
        return worstLag;
    }

    /** Waits until the count reaches {@code expected}, or has not moved for 5 s (losses are reported). */
    private static void awaitCount(LongSupplier count, long expected) throws InterruptedException {
        long last = -1;
        long lastChange = System.nanoTime();
        while (true) {
            long c = count.getAsLong();
            if (c >= expected || System.nanoTime() - lastChange > 5_000_000_000L) {
                return;
            }
            if (c != last) {
                last = c;
                lastChange = System.nanoTime();
            }
            Thread.sleep(5);   // a poll interval
        }
    }

    private static void awaitTrue(String what, Duration within, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("not within " + within + ": " + what);
            }
            Thread.sleep(5);   // a poll interval
        }
    }

    private static String micros(long[] sorted, double q) {
        if (sorted.length == 0) {
            return "-";
        }
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
        return String.format("%,.0f", sorted[i] / 1e3);
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
