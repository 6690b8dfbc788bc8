package dev.leanws.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.runtime.Watchdog;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Name resolution is part of the connect timeout: the JDK's resolver has no timeout, so a
 * resolver that hangs (a dead DNS server) must not hang the connection attempt.
 */
class NameResolutionTest {

    private static final Duration SHORT = Duration.ofMillis(300);
    private static final long BOUND_MILLIS = 3_000;

    @Test
    void aLookupThatHangsEndsAtTheConnectTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        PlainConnector.Resolver hanging = host -> {
            awaitQuietly(release);
            throw new UnknownHostException(host);
        };
        try {
            Dialer dialer = dialer(hanging, ClientConfig.builder().connectTimeout(SHORT).build());
            long start = System.nanoTime();
            SocketTimeoutException e = assertThrows(SocketTimeoutException.class, dialer::dial);
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            assertEquals("connect timed out after 300 ms", e.getMessage());
            assertTrue(elapsed >= 300 && elapsed < BOUND_MILLIS, "took " + elapsed + " ms");
        } finally {
            release.countDown();
        }
    }

    @Test
    void closingTheClientEndsAHangingLookup() throws Exception {
        CountDownLatch lookingUp = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PlainConnector.Resolver hanging = host -> {
            lookingUp.countDown();
            awaitQuietly(release);
            throw new UnknownHostException(host);
        };
        try {
            Dialer dialer = dialer(hanging, ClientConfig.defaults());   // 10 s connect timeout
            Thread canceller = Thread.ofVirtual().start(() -> {
                awaitQuietly(lookingUp);
                dialer.cancel();
            });
            long start = System.nanoTime();
            assertThrows(InterruptedIOException.class, dialer::dial);
            assertTrue((System.nanoTime() - start) / 1_000_000 < BOUND_MILLIS);
            canceller.join();
        } finally {
            release.countDown();
        }
    }

    @Test
    void anUnknownHostIsReportedAsSuch() {
        UnknownHostException unknown = new UnknownHostException("nowhere.test");
        Dialer dialer = dialer(host -> {
            throw unknown;
        }, ClientConfig.defaults());
        UnknownHostException thrown = assertThrows(UnknownHostException.class, dialer::dial);
        assertTrue(thrown.getMessage().startsWith("unknown host "), thrown.getMessage());
        assertSame(unknown, thrown.getCause(), "the resolver's own exception is kept as the cause");
    }

    @Test
    void theResolvedAddressIsTheOneConnectedTo() throws Exception {
        try (EchoServer server = EchoServer.start()) {
            Dialer dialer = new Dialer(URI.create("ws://echo.test:" + server.port() + "/"), ClientConfig.defaults(),
                    new PlainConnector(host -> new InetAddress[] {InetAddress.getLoopbackAddress()}), Watchdog.shared());
            try (WebSocketClient ws = SupervisedClient.connect(dialer, ClientConfig.defaults(), new java.util.SplittableRandom())) {
                assertEquals(InetAddress.getLoopbackAddress(), ws.remoteAddress().getAddress());
                assertEquals("echo.test:" + server.port(),
                        server.requests().poll(5, TimeUnit.SECONDS).headers().first("Host").orElseThrow());
            }
        }
    }

    private static Dialer dialer(PlainConnector.Resolver resolver, ClientConfig options) {
        return new Dialer(URI.create("ws://slow-dns.test:9/"), options, new PlainConnector(resolver), Watchdog.shared());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
