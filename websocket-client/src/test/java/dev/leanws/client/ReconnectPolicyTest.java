package dev.leanws.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReconnectPolicyTest {

    @Test
    void defaults() {
        ReconnectPolicy p = ReconnectPolicy.defaults();
        assertEquals(Duration.ofSeconds(1), p.initialDelay());
        assertEquals(Duration.ofSeconds(30), p.maxDelay());
        assertEquals(2.0, p.multiplier());
        assertEquals(0.5, p.jitter());
        assertEquals(Integer.MAX_VALUE, p.maxAttempts());
        assertTrue(p.isEnabled());
        assertFalse(ReconnectPolicy.disabled().isEnabled());
        assertFalse(ClientConfig.defaults().reconnect().isEnabled());
        assertFalse(ReconnectPolicy.builder().maxAttempts(0).build().isEnabled(), "maxAttempts 0 disables");
    }

    @Test
    void backoffGrowsExponentiallyUpToTheCap() {
        ReconnectPolicy p = ReconnectPolicy.builder().initialDelay(Duration.ofMillis(100))
                .maxDelay(Duration.ofMillis(1000)).multiplier(2).build();
        long[] expected = {100, 200, 400, 800, 1000, 1000};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Duration.ofMillis(expected[i]), p.baseDelay(i + 1));
        }
        assertEquals(Duration.ofMillis(1000), p.baseDelay(Integer.MAX_VALUE), "no overflow far out");
    }

    @Test
    void jitterShortensEachDelayWithinItsFraction() {
        ReconnectPolicy p = ReconnectPolicy.builder().initialDelay(Duration.ofMillis(1000))
                .maxDelay(Duration.ofMillis(1000)).jitter(0.5).build();
        SplittableRandom random = new SplittableRandom(42);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 10_000; i++) {
            long d = p.delay(1, random).toNanos();
            assertTrue(d > 500_000_000L && d <= 1_000_000_000L, "delay " + d);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertTrue(min < 520_000_000L && max > 980_000_000L, "spread over the whole range: " + min + ".." + max);
        ReconnectPolicy none = ReconnectPolicy.builder().initialDelay(Duration.ofMillis(300))
                .maxDelay(Duration.ofMillis(300)).jitter(0).build();
        assertEquals(Duration.ofMillis(300), none.delay(1, random));
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.builder().multiplier(0.5).build());
        assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.builder().multiplier(Double.NaN).build());
        assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.builder().jitter(1.5).build());
        assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.builder().maxAttempts(-1).build());
        assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.builder()
                .initialDelay(Duration.ofSeconds(5)).maxDelay(Duration.ofSeconds(1)).build());
        assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.defaults().baseDelay(0));
    }
}
