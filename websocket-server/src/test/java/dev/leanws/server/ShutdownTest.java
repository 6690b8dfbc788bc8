package dev.leanws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.codec.Opcode;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.EventFilter;
import dev.leanws.event.OpenEvent;
import dev.leanws.event.TextEvent;
import dev.leanws.testing.Await;
import dev.leanws.testing.JdkClient;
import dev.leanws.testing.ThreadsAndSockets;
import dev.leanws.testing.WireFrame;
import dev.leanws.testing.WirePeer;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Graceful shutdown: 1001 to everyone, the deadline, and nothing left behind. */
class ShutdownTest extends ServerTestSupport {

    private static final int N = 20;

    @Test
    void closeSends1001ToEveryConnectionAndLeavesNoThreadOrSocket() throws Exception {
        int fdsBefore = ThreadsAndSockets.openFileDescriptors();
        WebSocketServer server = start();
        EventRecorder events = record(server);
        List<WirePeer> peers = new ArrayList<>();
        List<Thread> answering = new ArrayList<>();
        List<WireFrame> received = new CopyOnWriteArrayList<>();
        for (int i = 0; i < N; i++) {
            WirePeer peer = open(server);
            peers.add(peer);
            events.next(OpenEvent.class);
            answering.add(Thread.ofVirtual().start(() -> {   // a well-behaved client: echo the Close, wait for the end
                try {
                    WireFrame close = peer.readFrame();
                    received.add(close);
                    peer.sendClose(close.closeCode(), "");
                    if (peer.readsEndOfStream()) {
                        peer.close();
                    }
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        int port = server.port();
        List<String> namesWhileOpen = ThreadsAndSockets.threadsNamed("leanws-conn-");
        assertEquals(N, namesWhileOpen.size(), namesWhileOpen.toString());

        long start = System.nanoTime();
        server.close();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertTrue(tookMillis < 5000, "within the deadline: " + tookMillis + " ms");
        assertFalse(server.isRunning());
        assertEquals(List.of(), server.threads(), "the server's own bookkeeping");
        assertEquals(List.of(), ThreadsAndSockets.threadsNamed("leanws-conn-"), "the JVM's thread dump");
        assertEquals(List.of(), ThreadsAndSockets.threadsNamed("leanws-accept-"));
        assertEquals(List.of(), server.connections());
        for (int i = 0; i < N; i++) {   // every close event was dispatched before close() returned
            CloseEvent close = events.next(CloseEvent.class, Duration.ZERO);
            assertEquals(1001, close.code());
            assertEquals("server shutting down", close.reason());
            assertFalse(close.remote());
        }
        for (Thread t : answering) {
            assertTrue(t.join(Duration.ofSeconds(5)));
        }
        assertEquals(N, received.size());
        for (WireFrame f : received) {
            assertEquals(Opcode.CLOSE.code(), f.opcode());
            assertEquals(1001, f.closeCode());
        }
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close(),
                "the port is released");
        if (fdsBefore >= 0) {
            Await.until("file descriptors back to " + fdsBefore, Duration.ofSeconds(5),
                    () -> ThreadsAndSockets.openFileDescriptors() <= fdsBefore);
        }
    }

    @Test
    void theJdkClientIsToldTheServerIsGoingAway() throws Exception {
        WebSocketServer server = start();
        try (JdkClient client = new JdkClient()) {
            client.connect(server.port(), "/");
            server.close();
            assertEquals(new JdkClient.Closed(1001, "server shutting down"), client.next(JdkClient.Closed.class));
        }
    }

    @Test
    void peersThatIgnoreTheCloseAreDroppedAtTheDeadline() throws Exception {
        WebSocketServer server = start();
        EventRecorder events = record(server);
        WirePeer deaf = open(server);
        WirePeer polite = open(server);
        events.next(OpenEvent.class);
        events.next(OpenEvent.class);
        Thread answering = Thread.ofVirtual().start(() -> {
            try {
                polite.readFrame();
                polite.sendClose(1001, "");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        long start = System.nanoTime();
        server.stop(Duration.ofMillis(500));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMillis >= 450 && tookMillis < 3000, "at the deadline: " + tookMillis + " ms");
        assertEquals(List.of(), server.threads());
        assertEquals(1001, deaf.readFrame().closeCode(), "it was told");
        assertTrue(deaf.readsEndOfStream(), "then dropped");
        assertTrue(answering.join(Duration.ofSeconds(5)));
        List<Integer> codes = List.of(events.next(CloseEvent.class, Duration.ZERO).code(),
                events.next(CloseEvent.class, Duration.ZERO).code());
        assertTrue(codes.contains(1001) && codes.contains(1006), codes.toString());
    }

    @Test
    void aHandlerBlockedPastTheDeadlineIsInterrupted() throws Exception {
        WebSocketServer server = start();
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        server.events().subscribe(EventFilter.textMessages(), e -> {
            running.countDown();
            try {
                new CountDownLatch(1).await(30, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                interrupted.countDown();
            }
        });
        EventRecorder events = record(server);
        WirePeer peer = open(server);
        peer.sendText("block the connection's thread");
        assertTrue(running.await(5, TimeUnit.SECONDS), "the handler runs");
        long start = System.nanoTime();
        server.stop(Duration.ofMillis(300));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMillis < 3000, "returned soon after the deadline: " + tookMillis);
        assertEquals(0, interrupted.getCount());
        assertEquals(List.of(), server.threads());
        events.skipTo(TextEvent.class);
    }

    @Test
    void aHandlerCallingStopWhileAnotherThreadStopsReturnsAtOnce() throws Exception {
        WebSocketServer server = start();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        CountDownLatch returned = new CountDownLatch(1);
        server.events().subscribe(EventFilter.textMessages(), e -> {
            entered.countDown();
            if (proceed.await(5, TimeUnit.SECONDS)) {   // not an assertion: the EventManager would swallow it
                server.stop(Duration.ofSeconds(5));
                returned.countDown();
            }
        });
        WirePeer peer = open(server);
        peer.sendText("stop");
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        Thread stopper = Thread.ofVirtual().start(() -> server.stop(Duration.ofSeconds(5)));
        Await.until("the stopper took over", Duration.ofSeconds(5), () -> !server.isRunning());
        proceed.countDown();
        assertTrue(returned.await(2, TimeUnit.SECONDS), "the handler's stop() did not wait for the stopper");
        assertEquals(1001, peer.readFrame().closeCode());
        peer.sendClose(1001, "");
        assertTrue(peer.readsEndOfStream(), "FIN after the closing handshake");
        peer.close();                       // as a client does on the server's FIN
        assertTrue(stopper.join(Duration.ofSeconds(3)), "the stopper finished well before its deadline");
        assertEquals(List.of(), server.threads());
    }

    @Test
    void clientsStillSendingTheirRequestAreDroppedAtOnce() throws Exception {
        WebSocketServer server = start();   // handshake timeout 10 s: stop must not wait for it
        WirePeer slow = connect(server);
        slow.send("GET / HTTP/1.1\r\nHost: x\r\n");
        Await.until("the request is being read", Duration.ofSeconds(5), () -> server.threads().size() == 2);
        long start = System.nanoTime();
        server.stop(Duration.ofSeconds(5));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 3000, "not the 10 s handshake timeout");
        assertTrue(slow.readsEndOfStream());
    }

    @Test
    void aStartThatCannotBindLeavesNothingBehind() throws Exception {
        WebSocketServer first = start();
        WebSocketServer second = WebSocketServer.builder().port(first.port()).build();
        assertThrows(BindException.class, second::start);
        assertFalse(second.isRunning());
        assertEquals(List.of(), second.threads());
        assertThrows(IllegalStateException.class, second::start, "a server starts once");
        second.close();
        closeLater(WirePeer.open(first.port(), "/"));
    }

    @Test
    void stopIsIdempotentAndWorksBeforeStart() throws Exception {
        WebSocketServer never = WebSocketServer.builder().build();
        never.close();
        assertThrows(IllegalStateException.class, never::start);
        assertThrows(IllegalStateException.class, never::port);
        WebSocketServer server = start();
        server.close();
        server.close();
        assertFalse(server.isRunning());
    }
}
