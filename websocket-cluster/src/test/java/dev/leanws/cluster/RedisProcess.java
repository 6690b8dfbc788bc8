package dev.leanws.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for a test (shared with the demo's tests through this module's test-jar): on a free loopback port, no persistence, its log in
 * {@code target/redis/}, stopped by its own PID. {@link #available()} says whether one can be
 * started at all (tests skip otherwise; {@code scripts/install-test-deps.sh} installs it).
 */
public final class RedisProcess implements AutoCloseable {

    private static final Path LOGS = Path.of("target", "redis");

    private final int port;
    private final List<String> extra;
    private final boolean tls;
    private Process process;
    private Path log;

    private RedisProcess(int port, boolean tls, List<String> extra) {
        this.port = port;
        this.tls = tls;
        this.extra = List.copyOf(extra);
    }

    /** Whether {@code redis-server} is on the PATH. */
    public static boolean available() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "redis-server"))) {
                return true;
            }
        }
        return false;
    }

    public static final String SKIP = "redis-server is not on the PATH (scripts/install-test-deps.sh installs it)";

    /** A plain Redis with these extra arguments (e.g. {@code "--requirepass", "secret"}). */
    public static RedisProcess start(String... extraArgs) throws IOException {
        return new RedisProcess(freePort(), false, List.of(extraArgs)).launch();
    }

    /** A TLS-only Redis: {@code --tls-port}, plain port off; the args name the cert and key files. */
    static RedisProcess startTls(String... tlsArgs) throws IOException {
        return new RedisProcess(freePort(), true, List.of(tlsArgs)).launch();
    }

    public int port() {
        return port;
    }

    public String url() {
        return (tls ? "rediss" : "redis") + "://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    private RedisProcess launch() throws IOException {
        Files.createDirectories(LOGS);
        log = LOGS.resolve("redis-" + port + "-" + System.nanoTime() + ".log");
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no"));
        if (tls) {
            cmd.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port)));
        } else {
            cmd.addAll(List.of("--port", Integer.toString(port)));
        }
        cmd.addAll(extra);
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitReady();
        return this;
    }

    /** Waits for the log line Redis writes once it accepts connections (no sleeps: polls the file). */
    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            if (text.contains("Ready to accept connections")) {
                return;
            }
            if (!process.isAlive()) {
                throw new IOException("redis-server exited (" + process.exitValue() + "): " + text);
            }
            try {
                Thread.sleep(10);   // a poll interval
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        stop();
        throw new IOException("redis-server on port " + port + " not ready within 10 s; log: " + log);
    }

    /** Stops this redis-server (SIGTERM to its PID, then SIGKILL if it lingers) and waits for it. */
    public void stop() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Kills it at once (SIGKILL), as a crash would. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts it again on the same port with the same arguments (after {@link #stop()} or {@link #kill()}). */
    void restart() throws IOException {
        stop();
        launch();
    }

    /** Runs one command on a connection of its own (plain URL with {@code login} before the host, e.g. "u:p@"). */
    Object call(String login, String... command) throws IOException {
        RedisUri uri = RedisUri.parse("redis://" + login + "127.0.0.1:" + port);
        try (RedisConnection c = RedisConnection.open(uri, null, Duration.ofSeconds(5), 1 << 20, "test")) {
            return c.call(Resp.command(command));
        }
    }

    /** How many clients (nodes) are subscribed to {@code channel}: {@code PUBSUB NUMSUB}. */
    public long subscribers(String channel) throws IOException {
        List<?> reply = (List<?>) call("", "PUBSUB", "NUMSUB", channel);
        return (Long) reply.get(1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "redis-server[" + url() + ", pid " + (process != null ? process.pid() : "-") + "]";
    }
}
