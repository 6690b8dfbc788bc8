package dev.leanws.runtime;

import java.util.concurrent.TimeUnit;

/**
 * What the watchdog ticks for a compressed connection: its deadlines every tick, and the release
 * of a compressor or inflater left idle for {@code releaseIdleAfter} at most once a second (a
 * quarter of that time if shorter). Checking the codecs on every 50 ms tick cost two lock
 * attempts per connection per tick, which with tens of thousands of connections (browsers offer
 * permessage-deflate on every one) undid what {@link ConnectionDeadlines}' watermark saves; a
 * codec now goes back at most a second later than its idle time. Watchdog thread only.
 */
final class IdleCodecRelease implements Watchdog.Watched {

    private static final long MAX_CHECK_EVERY = TimeUnit.SECONDS.toNanos(1);

    private final Watchdog.Watched deadlines;
    private final Release release;
    private final long idleNanos;
    private final long checkEvery;
    private boolean checked;
    private long nextCheck;

    /** Frees the connection's codecs unused for {@code idleNanos} at {@code nowNanos}. */
    interface Release {
        void releaseIdle(long nowNanos, long idleNanos);
    }

    IdleCodecRelease(Watchdog.Watched deadlines, long idleNanos, Release release) {
        this.deadlines = deadlines;
        this.release = release;
        this.idleNanos = idleNanos;
        this.checkEvery = Math.max(TimeUnit.MILLISECONDS.toNanos(Watchdog.TICK_MILLIS),
                Math.min(idleNanos / 4, MAX_CHECK_EVERY));
    }

    @Override
    public long tick(long now) {
        long deadlinesDue = deadlines.tick(now);
        if (!checked || now - nextCheck >= 0) {
            checked = true;
            nextCheck = now + checkEvery;
            release.releaseIdle(now, idleNanos);
        }
        return deadlinesDue == Watchdog.NEVER || nextCheck - deadlinesDue < 0 ? nextCheck : deadlinesDue;
    }
}
