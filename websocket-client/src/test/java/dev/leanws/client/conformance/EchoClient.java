package dev.leanws.client.conformance;

import dev.leanws.WebSocketConfig;
import dev.leanws.client.ClientConfig;
import dev.leanws.client.WebSocketClient;
import dev.leanws.client.WebSocketClient;
import dev.leanws.ProtocolViolationException;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.EventFilter;
import dev.leanws.testing.WirePeer;
import dev.leanws.testing.conformance.AutobahnCases;
import dev.leanws.testing.conformance.Case;
import dev.leanws.testing.conformance.CaseRunner;
import dev.leanws.testing.conformance.Outcome;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The client under test: connects on its own thread (the test plays the server's side of the
 * handshake meanwhile), echoes every text and binary message, keep-alive off, and remembers
 * every error that is neither a protocol violation nor a network failure.
 */
final class EchoClient {

    static final WebSocketConfig CONFIG = WebSocketConfig.builder().pingInterval(Duration.ZERO).build();

    private final CompletableFuture<WebSocketClient> connected = new CompletableFuture<>();
    private final List<Throwable> unexpected = new CopyOnWriteArrayList<>();
    private volatile CloseEvent closeEvent;

    private EchoClient(URI uri, WebSocketConfig config) {
        ClientConfig options = ClientConfig.builder()
                .config(config)
                .subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()))
                .subscribe(EventFilter.binaryMessages(), e -> e.connection().send(e.data()))
                .subscribe(EventFilter.errors(), e -> {
                    if (!(e.cause() instanceof ProtocolViolationException) && !(e.cause() instanceof IOException)) {
                        unexpected.add(e.cause());
                    }
                })
                .subscribe(EventFilter.closes(), e -> closeEvent = e)
                .build();
        Thread.ofVirtual().name("echo-client-connect").start(() -> {
            try {
                connected.complete(WebSocketClient.connect(uri, options));
            } catch (Throwable t) {
                connected.completeExceptionally(t);
            }
        });
    }

    /** Starts connecting to {@code ws://127.0.0.1:port/}. */
    static EchoClient connect(int port, WebSocketConfig config) {
        return new EchoClient(URI.create("ws://127.0.0.1:" + port + "/"), config);
    }

    /**
     * Plays Autobahn cases against our client: a raw server listens, and each case connects a
     * fresh client to it, plays the server's side and judges the outcome with {@link #judge}.
     */
    static AutobahnCases.Player player() throws IOException {
        ServerSocket listener = WirePeer.listen();
        return new AutobahnCases.Player() {
            @Override
            public Outcome play(Case c) throws Exception {
                EchoClient client = connect(listener.getLocalPort(), CONFIG);
                return client.judge(CaseRunner.run(c, WirePeer.accept(listener, Duration.ofSeconds(10))));
            }

            @Override
            public void close() throws IOException {
                listener.close();
            }
        };
    }

    /** The connection's close event, or null before it. */
    CloseEvent closeEvent() {
        return closeEvent;
    }

    /**
     * What the client side adds to a case's outcome: the client must have connected, and must
     * be closed for good (socket closed, close event dispatched) soon after the suite's end of
     * TCP, without an unexpected error.
     */
    Outcome judge(Outcome outcome) throws InterruptedException {
        WebSocketClient ws;
        try {
            ws = connected.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return outcome.failedBecause("the client did not connect: " + e);
        }
        Outcome judged = outcome;
        if (!ws.awaitClosed(Duration.ofSeconds(5))) {
            ws.abort();
            judged = judged.failedBecause("the client did not close");
        }
        for (Throwable t : unexpected) {
            judged = judged.failedBecause("client error " + t);
        }
        return judged;
    }
}
