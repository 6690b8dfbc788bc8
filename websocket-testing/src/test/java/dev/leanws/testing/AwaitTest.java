package dev.leanws.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {

    @Test
    void untilReturnsOnceTheConditionHolds() {
        AtomicInteger polls = new AtomicInteger();
        Await.until("the third poll", () -> polls.incrementAndGet() == 3);
        assertEquals(3, polls.get());
    }

    @Test
    void untilFailsAfterTheDeadlineNamingWhatItWaitedFor() {
        long start = System.nanoTime();
        AssertionError e = assertThrows(AssertionError.class, () -> Await.until("a miracle", Duration.ofMillis(50), () -> false));
        assertTrue(e.getMessage().contains("a miracle"), e.getMessage());
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(50).toNanos(), "not before the deadline");
        assertFalse(Await.holdsWithin(Duration.ofMillis(10), () -> false));
    }

    @Test
    void valueWaitsForSomethingOtherThanNull() {
        CompletableFuture<String> later = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> later.complete("there"));
        assertEquals("there", Await.value("the value", Duration.ofSeconds(5), () -> later.getNow(null)));
    }

    @Test
    void resultAndFailureOfAFuture() {
        assertEquals("ok", Await.result(CompletableFuture.completedFuture("ok")));
        CompletableFuture<String> failed = CompletableFuture.failedFuture(new IOException("refused"));
        assertEquals("refused", Await.failure(failed, IOException.class, Duration.ofSeconds(1)).getMessage());
        AssertionError e = assertThrows(AssertionError.class, () -> Await.result(failed));
        assertTrue(e.getCause() instanceof IOException);
        assertThrows(AssertionError.class, () -> Await.result(new CompletableFuture<>(), Duration.ofMillis(10)));
    }
}
