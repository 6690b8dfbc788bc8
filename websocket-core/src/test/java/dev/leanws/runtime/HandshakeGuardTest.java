package dev.leanws.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A connection attempt ends once: by its deadline, by a cancel, or by succeeding. The ticks are
 * driven by hand with a time far past the deadline, as a late watchdog tick would be.
 */
class HandshakeGuardTest {

    private static final long LATE = TimeUnit.HOURS.toNanos(1);

    private final AtomicInteger closes = new AtomicInteger();

    private HandshakeGuard started() {
        HandshakeGuard deadline = new HandshakeGuard(Watchdog.shared());
        deadline.start("handshake", Duration.ofSeconds(10));
        deadline.guard(closes::incrementAndGet);
        return deadline;
    }

    @Test
    void aTickAfterSuccessDoesNotCloseTheConnection() {
        try (HandshakeGuard deadline = started()) {
            assertTrue(deadline.disarm());
            deadline.tick(System.nanoTime() + LATE);
            assertEquals(0, closes.get(), "a late tick closed a connection that was already returned");
            assertFalse(deadline.isOver());
            IOException unrelated = new IOException("x");
            assertSame(unrelated, deadline.explain(unrelated));
        }
    }

    @Test
    void aTickBeforeSuccessWinsAndIsReportedAsTheTimeout() {
        try (HandshakeGuard deadline = started()) {
            deadline.tick(System.nanoTime() + LATE);
            assertEquals(1, closes.get());
            assertFalse(deadline.disarm(), "the handshake lost the race: it must not be returned");
            IOException reported = deadline.explain(new IOException("read failed"));
            assertInstanceOf(SocketTimeoutException.class, reported);
            assertEquals("handshake timed out after 10000 ms", reported.getMessage());
            deadline.tick(System.nanoTime() + LATE);
            assertEquals(1, closes.get(), "closed once");
        }
    }

    @Test
    void aCancelEndsTheAttemptUnlessItAlreadySucceeded() {
        try (HandshakeGuard cancelled = started()) {
            cancelled.cancel();
            assertEquals(1, closes.get());
            assertFalse(cancelled.disarm());
            assertInstanceOf(InterruptedIOException.class, cancelled.explain(new IOException("x")));
        }
        try (HandshakeGuard succeeded = started()) {
            assertTrue(succeeded.disarm());
            succeeded.cancel();
            assertEquals(1, closes.get(), "the established connection is closed by its own close, not here");
        }
    }
}
