package dev.leanws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.WebSocketConfig;
import dev.leanws.testing.EventRecorder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;

/**
 * Starts servers on an ephemeral loopback port and, after each test, closes them, closes the
 * peers, and asserts that no server thread is left.
 */
abstract class ServerTestSupport {

    /** Test defaults: keep-alive off, so raw peers see only the frames a test provokes. */
    static final WebSocketConfig QUIET = WebSocketConfig.builder().pingInterval(Duration.ZERO).build();

    private final List<WebSocketServer> servers = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** A started server with {@link #QUIET} and whatever {@code customize} adds. */
    WebSocketServer start(UnaryOperator<WebSocketServer.Builder> customize) throws IOException {
        WebSocketServer server = customize.apply(WebSocketServer.builder().config(QUIET)).build();
        servers.add(server);
        return server.start();
    }

    WebSocketServer start() throws IOException {
        return start(b -> b);
    }

    EventRecorder record(WebSocketServer server) {
        return closeLater(new EventRecorder(server.events()));
    }

    RawPeer open(WebSocketServer server) throws IOException {
        return closeLater(RawPeer.open(server.port(), "/"));
    }

    RawPeer connect(WebSocketServer server) throws IOException {
        return closeLater(RawPeer.connect(server.port()));
    }

    <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    @AfterEach
    void closeServersAndCheckThreads() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        for (WebSocketServer server : servers) {
            server.stop(Duration.ofSeconds(5));
            assertEquals(List.of(), server.threads(), "threads left by " + server);
            assertFalse(server.isRunning());
        }
    }

    /** Waits until {@code condition} holds, polling every few milliseconds, failing after {@code within}. */
    static void await(String what, Duration within, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + within + ": " + what);
            }
            try {
                Thread.sleep(5);   // a poll interval, not a wait for something to happen
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
        assertTrue(condition.getAsBoolean());
    }
}
