package dev.leanws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.leanws.WebSocketConfig;
import dev.leanws.testing.WirePeer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private final List<Throwable> handlerFailures = new CopyOnWriteArrayList<>();

    /**
     * A started server with {@link #QUIET} and whatever {@code customize} adds. Its handlers'
     * failures are collected and fail the test after it (a test that expects one sets its own
     * hook; {@link #record} moves the hook to the recorder, which fails the test the same way).
     */
    WebSocketServer start(UnaryOperator<WebSocketServer.Builder> customize) throws IOException {
        WebSocketServer server = customize.apply(WebSocketServer.builder().config(QUIET)).build();
        server.events().onHandlerFailure((event, failure) -> handlerFailures.add(failure));
        servers.add(server);
        return server.start();
    }

    WebSocketServer start() throws IOException {
        return start(b -> b);
    }

    EventRecorder record(WebSocketServer server) {
        return closeLater(new EventRecorder(server.events()));
    }

    WirePeer open(WebSocketServer server) throws IOException {
        return closeLater(WirePeer.open(server.port(), "/"));
    }

    WirePeer connect(WebSocketServer server) throws IOException {
        return closeLater(WirePeer.connect(server.port()));
    }

    <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    @AfterEach
    void closeServersAndCheckThreads() throws Exception {
        AssertionError failed = null;
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (AssertionError e) {   // a recorder whose handler failed: stop the servers anyway
                failed = failed == null ? e : failed;
            }
        }
        for (WebSocketServer server : servers) {
            server.stop(Duration.ofSeconds(5));
            assertEquals(List.of(), server.threads(), "threads left by " + server);
            assertFalse(server.isRunning());
        }
        if (failed == null && !handlerFailures.isEmpty()) {
            failed = new AssertionError("a handler failed: " + handlerFailures.get(0), handlerFailures.get(0));
        }
        if (failed != null) {
            throw failed;
        }
    }
}
