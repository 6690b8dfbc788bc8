package dev.leanws.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A compressed connection's ticks: deadlines every tick, idle codecs at most once a second. */
class IdleCodecReleaseTest {

    private static final long MS = 1_000_000L;

    private final List<Long> deadlineTicks = new ArrayList<>();
    private final List<Long> releaseChecks = new ArrayList<>();

    private IdleCodecRelease ticking(long idleMs) {
        return new IdleCodecRelease(deadlineTicks::add, idleMs * MS, (now, idle) -> releaseChecks.add(now / MS));
    }

    @Test
    void deadlinesEveryTickCodecsOnceASecond() {
        IdleCodecRelease watched = ticking(10_000);
        for (long t = 0; t <= 3_000; t += Watchdog.TICK_MILLIS) {
            watched.tick(5_000 * MS + t * MS);
        }
        assertEquals(61, deadlineTicks.size());
        assertEquals(List.of(5_000L, 6_000L, 7_000L, 8_000L), releaseChecks);
    }

    @Test
    void aShortIdleTimeIsCheckedAtAQuarterOfItAndNeverMoreOftenThanTheTick() {
        IdleCodecRelease quarter = ticking(400);
        for (long t = 0; t <= 300; t += Watchdog.TICK_MILLIS) {
            quarter.tick(t * MS);
        }
        assertEquals(List.of(0L, 100L, 200L, 300L), releaseChecks);
        releaseChecks.clear();
        IdleCodecRelease always = ticking(0);
        for (long t = 0; t <= 100; t += Watchdog.TICK_MILLIS) {
            always.tick(t * MS);
        }
        assertEquals(List.of(0L, 50L, 100L), releaseChecks);
    }
}
