package dev.leanws.demo;

/**
 * A token bucket: bursts of up to {@code capacity} messages, refilled at {@code capacity} per
 * {@code window}. One per chat connection, used only on that connection's own thread (events of
 * a connection are dispatched in order on one thread), so it needs no lock.
 */
final class RateLimiter {

    private final int capacity;
    private final double tokensPerNano;
    private double tokens;
    private long last;

    RateLimiter(int capacity, java.time.Duration window, long now) {
        this.capacity = capacity;
        this.tokensPerNano = capacity / (double) window.toNanos();
        this.tokens = capacity;
        this.last = now;
    }

    /** Takes one token if there is one; {@code now} is {@link System#nanoTime()}. */
    boolean tryAcquire(long now) {
        return tryAcquire(now, 1);
    }

    /** Takes {@code amount} tokens if there are that many (e.g. bytes of a byte budget). */
    boolean tryAcquire(long now, long amount) {
        tokens = Math.min(capacity, tokens + (now - last) * tokensPerNano);
        last = now;
        if (tokens < amount) {
            return false;
        }
        tokens -= amount;
        return true;
    }
}
