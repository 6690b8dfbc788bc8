package dev.leanws.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for the cluster's and the demo's tests: on a free loopback port,
 * no persistence, its log in {@code target/redis/}, stopped by its own PID. {@link #available()} says whether one can be
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
    public static RedisProcess startTls(String... tlsArgs) throws IOException {
        return new RedisProcess(freePort(), true, List.of(tlsArgs)).launch();
    }

    public int port() {
        return port;
    }

    public String url() {
        return (tls ? "rediss" : "redis") + "://127.0.0.1:" + port;
    }

    public long pid() {
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
        boolean settled = Await.holdsWithin(Duration.ofSeconds(10), () -> !process.isAlive() || logSays("Ready to accept connections"));
        if (!process.isAlive()) {
            throw new IOException("redis-server exited (" + process.exitValue() + "): " + Files.readString(log, StandardCharsets.UTF_8));
        }
        if (!settled) {
            stop();
            throw new IOException("redis-server on port " + port + " not ready within 10 s; log: " + log);
        }
    }

    private boolean logSays(String line) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8).contains(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts it again on the same port with the same arguments (after {@link #stop()} or {@link #kill()}). */
    public void restart() throws IOException {
        stop();
        launch();
    }

    /**
     * How many clients (nodes) are subscribed to {@code channel}: {@code PUBSUB NUMSUB}, asked in
     * RESP written by hand over a socket of its own (not through the client under test).
     */
    public long subscribers(String channel) throws IOException {
        byte[] name = channel.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
             BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("*3\r\n$6\r\nPUBSUB\r\n$6\r\nNUMSUB\r\n$" + name.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(name);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The reply is *2, then the channel as a bulk string ($len, the name), then :count.
            for (int line = 0; line < 4; line++) {
                String reply = in.readLine();
                if (reply == null || reply.startsWith("-")) {
                    throw new IOException("PUBSUB NUMSUB " + channel + ": " + reply);
                }
                if (line == 3) {
                    return Long.parseLong(reply.substring(1));
                }
            }
            throw new AssertionError("unreachable");
        }
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
