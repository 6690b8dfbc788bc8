package dev.leanws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.event.EventFilter;
import dev.leanws.testing.Await;
import dev.leanws.testing.WirePeer;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, F1: an {@link Error} in the server's threads never leaves a listening socket that
 * serves nothing. Failures are injected through seams: the accept loop's fault hook, and event
 * handlers (which run on the connections' threads).
 */
class FatalErrorTest extends ServerTestSupport {

    /** Throws {@code error} once, the first time it runs after being armed. */
    private static final class Fault implements Runnable {
        final AtomicReference<Error> armed = new AtomicReference<>();

        @Override
        public void run() {
            Error e = armed.getAndSet(null);
            if (e != null) {
                throw e;
            }
        }
    }

    @Test
    void outOfMemoryInTheAcceptLoopStopsTheServerVisibly() throws Exception {
        Fault fault = new Fault();
        CompletableFuture<Throwable> told = new CompletableFuture<>();
        WebSocketServer server = start(b -> b.acceptFault(fault).onFatalError(told::complete));
        int port = server.port();
        OutOfMemoryError oom = new OutOfMemoryError("injected in the accept loop");
        fault.armed.set(oom);
        try {
            connect(server);   // the loop accepts it, then runs the fault before the next accept
        } catch (ConnectException alreadyStopped) {
            // the loop had not yet begun its first accept when the fault was armed: it ran the
            // fault first and closed the listener, which is the same visible stop
        }
        assertSame(oom, told.get(10, TimeUnit.SECONDS));
        assertTrue(server.awaitStop(Duration.ofSeconds(10)));
        assertSame(oom, server.failure().orElseThrow());
        assertFalse(server.isRunning());
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
    }

    @Test
    void anotherErrorInTheAcceptLoopIsLoggedAndAcceptingGoesOn() throws Exception {
        Fault fault = new Fault();
        WebSocketServer server = start(b -> b.acceptFault(fault));
        fault.armed.set(new StackOverflowError("injected in the accept loop"));
        open(server);
        Await.until("the fault ran", Duration.ofSeconds(5), () -> fault.armed.get() == null);
        WirePeer after = open(server);
        after.sendText("hi");
        assertTrue(server.isRunning());
        assertTrue(server.failure().isEmpty());
    }

    @Test
    void outOfMemoryInAConnectionThreadStopsTheServer() throws Exception {
        CompletableFuture<Throwable> told = new CompletableFuture<>();
        WebSocketServer server = start(b -> b.onFatalError(told::complete));
        OutOfMemoryError oom = new OutOfMemoryError("injected in a handler");
        server.events().subscribe(EventFilter.textMessages(), e -> {
            throw oom;
        });
        WirePeer peer = open(server);
        WirePeer other = open(server);
        peer.sendText("boom");
        assertSame(oom, told.get(10, TimeUnit.SECONDS));
        assertTrue(server.awaitStop(Duration.ofSeconds(10)));
        other.readTimeout(java.time.Duration.ofMillis(5000));
        assertEquals(1001, other.readUntilClose().closeCode(), "the others are told the server goes away");
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), server.port()).close());
    }

    @Test
    void anotherErrorInAConnectionThreadEndsOnlyThatConnection() throws Exception {
        WebSocketServer server = start();
        server.events().subscribe(EventFilter.textMessages(), e -> {
            if (e.text().equals("boom")) {
                throw new StackOverflowError("injected in a handler");
            }
            e.connection().send(e.text());
        });
        WirePeer peer = open(server);
        WirePeer other = open(server);
        peer.sendText("boom");
        assertEquals(1011, peer.readUntilClose().closeCode());
        other.sendText("still serving");
        assertEquals("still serving", other.readFrame().text());
        assertInstanceOf(WirePeer.class, open(server));
        assertTrue(server.isRunning());
    }
}
