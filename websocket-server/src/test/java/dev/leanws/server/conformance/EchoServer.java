package dev.leanws.server.conformance;

import dev.leanws.WebSocket;
import dev.leanws.WebSocketConfig;
import dev.leanws.ProtocolViolationException;
import dev.leanws.event.EventFilter;
import dev.leanws.server.WebSocketServer;
import dev.leanws.testing.Await;
import dev.leanws.testing.WirePeer;
import dev.leanws.testing.conformance.AutobahnCases;
import dev.leanws.testing.conformance.Case;
import dev.leanws.testing.conformance.CaseRunner;
import dev.leanws.testing.conformance.Outcome;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The server under test: echoes every text and binary message, keep-alive off (so the suite
 * sees only what it provokes), and remembers every error that is neither a protocol violation
 * nor a network failure (a peer's reset is one): an internal error, an unexpected exception,
 * which fails the case it happened in.
 */
final class EchoServer implements AutobahnCases.Player {

    static final WebSocketConfig CONFIG = WebSocketConfig.builder().pingInterval(Duration.ZERO).build();

    private final WebSocketServer server;
    private final List<Throwable> unexpected = new CopyOnWriteArrayList<>();

    private EchoServer(WebSocketServer server) {
        this.server = server;
        server.events().subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()));
        server.events().subscribe(EventFilter.binaryMessages(), e -> e.connection().send(e.data()));
        server.events().subscribe(EventFilter.errors(), e -> {
            if (!(e.cause() instanceof ProtocolViolationException) && !(e.cause() instanceof IOException)) {
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

    /** The server's single connection, once it is registered (within 5 s). */
    WebSocket theOnlyConnection() {
        return Await.value("exactly one connection", Duration.ofSeconds(5),
                () -> server.connections().size() == 1 ? server.connections().get(0) : null);
    }

    /** Plays {@code c} over a fresh raw client connection and judges the outcome with {@link #judge}. */
    @Override
    public Outcome play(Case c) throws IOException {
        return judge(CaseRunner.run(c, WirePeer.connect(port(), "/")));
    }

    /**
     * What the server side adds to a case's outcome: the connection must be released (its
     * thread done, its socket closed) soon after the suite saw TCP end, and without an
     * unexpected error.
     */
    Outcome judge(Outcome outcome) {
        Outcome judged = outcome;
        for (String problem : problems()) {
            judged = judged.failedBecause(problem);
        }
        return judged;
    }

    /**
     * Waits up to 5 s for every connection to be released, then lists what is wrong: connections
     * kept, errors other than protocol violations. Clears the errors.
     */
    List<String> problems() {
        Await.holdsWithin(Duration.ofSeconds(5), () -> server.connections().isEmpty());
        List<String> problems = new ArrayList<>();
        if (!server.connections().isEmpty()) {
            problems.add("the server kept " + server.connections().size() + " connection(s)");
        }
        unexpected.stream().map(t -> "server error " + t).distinct().forEach(problems::add);
        unexpected.clear();
        return problems;
    }

    @Override
    public void close() {
        server.stop(Duration.ofSeconds(5));
    }
}
