package dev.leanws.server.conformance;

import dev.leanws.WebSocketConfig;
import dev.leanws.codec.ProtocolException;
import dev.leanws.event.EventFilter;
import dev.leanws.server.WebSocketServer;
import dev.leanws.testing.conformance.Outcome;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * The server under test: echoes every text and binary message, keep-alive off (so the suite
 * sees only what it provokes), and remembers every error that is not a protocol violation
 * (an internal error, an unexpected exception), which fails the case it happened in.
 */
final class EchoServer implements AutoCloseable {

    static final WebSocketConfig CONFIG = WebSocketConfig.builder().pingInterval(Duration.ZERO).build();

    private final WebSocketServer server;
    private final List<Throwable> unexpected = new CopyOnWriteArrayList<>();

    private EchoServer(WebSocketServer server) {
        this.server = server;
        server.events().subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()));
        server.events().subscribe(EventFilter.binaryMessages(), e -> e.connection().send(e.data()));
        server.events().subscribe(EventFilter.errors(), e -> {
            if (!(e.cause() instanceof ProtocolException)) {
                unexpected.add(e.cause());
            }
        });
    }

    static EchoServer start(WebSocketConfig config) throws IOException {
        return new EchoServer(WebSocketServer.builder().config(config).build().start());
    }

    int port() {
        return server.port();
    }

    WebSocketServer server() {
        return server;
    }

    /**
     * What the server side adds to a case's outcome: the connection must be released (its
     * thread done, its socket closed) soon after the suite saw TCP end, and without an
     * unexpected error. Clears the errors for the next case.
     */
    Outcome judge(Outcome outcome) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!server.connections().isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(2).toNanos());   // polling a condition with a deadline
        }
        Outcome judged = outcome;
        if (!server.connections().isEmpty()) {
            judged = judged.failedBecause("the server kept the connection");
        }
        for (Throwable t : unexpected) {
            judged = judged.failedBecause("server error " + t);
        }
        unexpected.clear();
        return judged;
    }

    @Override
    public void close() {
        server.stop(Duration.ofSeconds(5));
    }
}
