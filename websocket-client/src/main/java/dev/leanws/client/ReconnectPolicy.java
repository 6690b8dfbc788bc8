package dev.leanws.client;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Whether, when and how often a client connects again after it lost its connection: exponential
 * backoff with jitter, opt-in.
 *
 * <pre>{@code
 * ClientConfig options = ClientConfig.builder()
 *         .reconnect(ReconnectPolicy.builder()
 *                 .initialDelay(Duration.ofMillis(500))
 *                 .maxDelay(Duration.ofSeconds(30))
 *                 .maxAttempts(20)
 *                 .build())
 *         .build();
 * }</pre>
 *
 * <p>Attempt {@code n} (1 for the first try after a loss) waits
 * {@code min(maxDelay, initialDelay * multiplier^(n-1))}, shortened by a random fraction of at
 * most {@code jitter}: with the default jitter of 0.5 the wait is drawn uniformly from
 * {@code [d/2, d]}, so clients dropped together by one server restart do not all come back in
 * the same instant. After {@code maxAttempts} failed attempts the client gives up. The count
 * starts again from 1 after every connection that opened.
 *
 * <table>
 * <caption>Defaults of {@link #builder()}</caption>
 * <tr><th>setting</th><th>default</th></tr>
 * <tr><td>initialDelay</td><td>1 s</td></tr>
 * <tr><td>maxDelay</td><td>30 s</td></tr>
 * <tr><td>multiplier</td><td>2.0</td></tr>
 * <tr><td>jitter</td><td>0.5</td></tr>
 * <tr><td>maxAttempts</td><td>unlimited ({@link Integer#MAX_VALUE})</td></tr>
 * </table>
 *
 * @param initialDelay the wait before the first attempt after a loss (may be zero)
 * @param maxDelay     the longest wait between attempts
 * @param multiplier   how much the wait grows after each failed attempt, at least 1
 * @param jitter       the largest fraction (0 to 1) by which a wait is randomly shortened
 * @param maxAttempts  attempts after one loss before giving up; 0 means never reconnect
 */
public record ReconnectPolicy(Duration initialDelay, Duration maxDelay, double multiplier, double jitter,
        int maxAttempts) {

    private static final ReconnectPolicy DISABLED =
            new ReconnectPolicy(Duration.ZERO, Duration.ZERO, 1.0, 0.0, 0);

    public ReconnectPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || maxDelay.isNegative() || initialDelay.compareTo(maxDelay) > 0) {
            throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay: " + initialDelay + ", " + maxDelay);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1: " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1: " + jitter);
        }
        if (maxAttempts < 0) {
            throw new IllegalArgumentException("maxAttempts must be >= 0: " + maxAttempts);
        }
    }

    /** Never reconnect: the default of {@link ClientConfig}. */
    public static ReconnectPolicy disabled() {
        return DISABLED;
    }

    /** Reconnect with the defaults of the table above. */
    public static ReconnectPolicy defaults() {
        return builder().build();
    }

    /** A builder that starts from the defaults of the table above. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether the client reconnects at all ({@code maxAttempts > 0}). */
    public boolean isEnabled() {
        return maxAttempts > 0;
    }

    /** The wait before attempt {@code attempt} (1-based) before jitter: the backoff curve. */
    public Duration baseDelay(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1: " + attempt);
        }
        long max = maxDelay.toNanos();
        double nanos = initialDelay.toNanos() * Math.pow(multiplier, attempt - 1);
        return Duration.ofNanos(nanos >= max ? max : (long) nanos);
    }

    /**
     * The wait before attempt {@code attempt}: {@link #baseDelay} shortened by a fraction drawn
     * uniformly from {@code [0, jitter)}.
     */
    public Duration delay(int attempt, RandomGenerator random) {
        long base = baseDelay(attempt).toNanos();
        double cut = jitter == 0.0 ? 0.0 : random.nextDouble() * jitter;
        return Duration.ofNanos(base - (long) (base * cut));
    }

    /** Builder of {@link ReconnectPolicy}; starts from the defaults. */
    public static final class Builder {
        private Duration initialDelay = Duration.ofSeconds(1);
        private Duration maxDelay = Duration.ofSeconds(30);
        private double multiplier = 2.0;
        private double jitter = 0.5;
        private int maxAttempts = Integer.MAX_VALUE;

        private Builder() {
        }

        public Builder initialDelay(Duration delay) { this.initialDelay = delay; return this; }
        public Builder maxDelay(Duration delay) { this.maxDelay = delay; return this; }
        public Builder multiplier(double factor) { this.multiplier = factor; return this; }
        public Builder jitter(double fraction) { this.jitter = fraction; return this; }
        public Builder maxAttempts(int attempts) { this.maxAttempts = attempts; return this; }

        public ReconnectPolicy build() {
            return new ReconnectPolicy(initialDelay, maxDelay, multiplier, jitter, maxAttempts);
        }
    }
}
