package dev.leanws.server;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link HostileServerMain} in a JVM of its own (the test's java, its class path, a given heap),
 * so a test can exhaust that heap without harming the build's. Closing it ends the process (by
 * closing its stdin, then by killing this PID if needed).
 */
final class ForkedServer implements AutoCloseable {

    private final Process process;
    private final BufferedReader out;
    private final PrintStream in;
    private final Path log;
    private final int port;

    private ForkedServer(Process process, Path log) throws IOException {
        this.process = process;
        this.log = log;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        String first = out.readLine();
        if (first == null || !first.startsWith("PORT ")) {
            process.destroyForcibly();
            throw new IOException("the forked server did not start: " + first + "\n" + logTail());
        }
        this.port = Integer.parseInt(first.substring(5));
    }

    /** Starts the server with {@code -Xmx<heap>} and waits until it listens. */
    static ForkedServer start(String heap) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        Path log = Files.createTempFile("leanws-forked-server", ".log");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                // Overridable to play the same attack against another build (e.g. an older commit's).
                "-cp", System.getProperty("leanws.hostile.classpath", System.getProperty("java.class.path")),
                System.getProperty("leanws.hostile.main", HostileServerMain.class.getName())));
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        return new ForkedServer(p, log);
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Heap used after a GC, the memory budget's use, and its limit, as the server reports them. */
    long[] stats() throws IOException {
        in.println("stats");
        String line = out.readLine();
        if (line == null || !line.startsWith("STATS ")) {
            throw new IOException("no stats: " + line + "\n" + logTail());
        }
        String[] parts = line.substring(6).split(" ");
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2])};
    }

    /** The process's resident set, in bytes (Linux), or -1. */
    long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or gone
        }
        return -1;
    }

    /** The last lines the server logged (for failure messages). */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Ends the child (its stdin closes: it stops) and waits for it; killed if it lingers. */
    @Override
    public void close() throws IOException {
        in.close();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(log);
    }
}
