package dev.leanws.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RecorderTest {

    @Test
    void takesItemsInOrderByType() {
        Recorder<Object> recorder = new Recorder<>();
        Thread.ofVirtual().start(() -> {
            recorder.accept("a");
            recorder.accept(1);
            recorder.accept(2L);
            recorder.accept("b");
        });
        assertEquals("a", recorder.next(String.class));
        AssertionError wrongType = assertThrows(AssertionError.class, () -> recorder.next(String.class));
        assertTrue(wrongType.getMessage().contains("expected String but got 1"), wrongType.getMessage());
        assertEquals("b", recorder.skipTo(String.class));
        recorder.assertExhausted();
        assertThrows(AssertionError.class, () -> recorder.next(Duration.class, Duration.ofMillis(10)));
    }

    @Test
    void aFailureNotTakenFailsCloseAfterTheRegistrationsAreClosed() {
        AtomicBoolean unsubscribed = new AtomicBoolean();
        Recorder<String> recorder = new Recorder<String>().closing(() -> unsubscribed.set(true));
        recorder.failed(new AssertionError("inside a handler"));
        recorder.failed(new IllegalStateException("again"));
        AssertionError e = assertThrows(AssertionError.class, recorder::close);
        assertTrue(unsubscribed.get());
        assertEquals("inside a handler", e.getCause().getMessage());
        assertEquals(1, e.getSuppressed().length);
    }

    @Test
    void aFailureTakenByTheTestDoesNotFailClose() {
        Recorder<String> recorder = new Recorder<>();
        recorder.failed(new IllegalStateException("expected"));
        assertEquals("expected", recorder.takeFailures().get(0).getMessage());
        recorder.close();
    }
}
