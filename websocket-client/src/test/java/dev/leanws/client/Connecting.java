package dev.leanws.client;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link WebSocketClient#connect} running on its own virtual thread, so the test thread can
 * play the server's part of the handshake meanwhile. Results are awaited with a deadline.
 */
final class Connecting {

    private final CompletableFuture<WebSocketClient> result = new CompletableFuture<>();

    private Connecting(URI uri, ClientConfig options) {
        Thread.ofVirtual().name("connecting").start(() -> {
            try {
                result.complete(WebSocketClient.connect(uri, options));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
    }

    static Connecting start(URI uri, ClientConfig options) {
        return new Connecting(uri, options);
    }

    /** The connected client, within 10 s. */
    WebSocketClient connected() throws Exception {
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("connect failed", e.getCause());
        }
    }

    /** The exception connect threw, which must be a {@code type}, within 10 s. */
    <T extends Throwable> T failure(Class<T> type) throws InterruptedException, TimeoutException {
        try {
            WebSocketClient ws = result.get(10, TimeUnit.SECONDS);
            ws.abort();
            throw new AssertionError("connected, expected " + type.getSimpleName());
        } catch (ExecutionException e) {
            return assertInstanceOf(type, e.getCause());
        }
    }
}
