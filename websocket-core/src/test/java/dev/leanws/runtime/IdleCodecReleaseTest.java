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
        return new IdleCodecRelease(now -> {
            deadlineTicks.add(now);
            return now;
        }, idleMs * MS, (now, idle) -> releaseChecks.add(now / MS));
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

    @Test
    void itAsksForItsNextTickAtTheEarlierOfTheDeadlinesAndTheNextCodecCheck() {
        long[] deadlinesDue = {Watchdog.NEVER};
        IdleCodecRelease watched = new IdleCodecRelease(now -> deadlinesDue[0], 10_000 * MS, (now, idle) -> { });
        assertEquals(6_000 * MS, watched.tick(5_000 * MS), "nothing armed: the codec check a second later");
        deadlinesDue[0] = 5_300 * MS;
        assertEquals(5_300 * MS, watched.tick(5_100 * MS), "a deadline before the codec check");
        deadlinesDue[0] = 9_000 * MS;
        assertEquals(6_000 * MS, watched.tick(5_200 * MS), "the codec check before the deadline");
    }
}
