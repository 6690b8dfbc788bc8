package dev.leanws;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timeouts of one WebSocket connection, shared by the server and the client.
 *
 * <p>Immutable; start from {@link #defaults()} or {@link #builder()} and change what you need:
 * <pre>{@code
 * WebSocketConfig config = WebSocketConfig.builder()
 *         .maxMessageSize(1 << 20)                 // 1 MiB, larger messages close with 1009
 *         .pingInterval(Duration.ofSeconds(20))    // keep-alive
 *         .backpressurePolicy(BackpressurePolicy.CLOSE)
 *         .build();
 * }</pre>
 *
 * <table>
 * <caption>Defaults</caption>
 * <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 * <tr><td>maxFrameSize</td><td>16 MiB</td><td>largest frame payload accepted (checked from the header, before buffering); past it: 1009</td></tr>
 * <tr><td>maxMessageSize</td><td>16 MiB</td><td>largest message (sum of its fragments) accepted; past it: 1009</td></tr>
 * <tr><td>maxHandshakeBytes</td><td>16 KiB</td><td>largest HTTP head of the opening handshake; past it: 431 (server) or failure (client)</td></tr>
 * <tr><td>handshakeTimeout</td><td>10 s</td><td>time for the whole opening handshake</td></tr>
 * <tr><td>pingInterval</td><td>30 s</td><td>a ping is sent after this long without a ping; {@link Duration#ZERO} turns keep-alive off</td></tr>
 * <tr><td>pongTimeout</td><td>10 s</td><td>a connection whose pong has not arrived this long after the ping is closed</td></tr>
 * <tr><td>idleTimeout</td><td>off</td><td>close with 1001 after this long without any frame from the peer</td></tr>
 * <tr><td>frameTimeout</td><td>30 s</td><td>time a frame may take from its first byte to its last (slow senders); raise it for huge frames over slow links</td></tr>
 * <tr><td>closeTimeout</td><td>5 s</td><td>wait for the peer's Close (or its end of TCP) after ours, then drop the connection</td></tr>
 * <tr><td>writeTimeout</td><td>30 s</td><td>a single write that makes no progress for this long ends the connection</td></tr>
 * <tr><td>maxOutboundBytes</td><td>16 MiB</td><td>bytes queued for a peer before the {@link BackpressurePolicy} applies</td></tr>
 * <tr><td>backpressurePolicy</td><td>{@link BackpressurePolicy#BLOCK}</td><td>what a send does past maxOutboundBytes</td></tr>
 * </table>
 *
 * @param maxFrameSize        largest accepted frame payload, in bytes
 * @param maxMessageSize      largest accepted message, in bytes
 * @param maxHandshakeBytes   largest accepted opening-handshake head, in bytes
 * @param handshakeTimeout    deadline of the opening handshake
 * @param pingInterval        keep-alive ping interval, or zero for none
 * @param pongTimeout         time allowed for the pong that answers a keep-alive ping
 * @param idleTimeout         idle deadline, or zero for none
 * @param frameTimeout        deadline for the rest of a started frame
 * @param closeTimeout        deadline of the closing handshake
 * @param writeTimeout        deadline of one blocked write (and of a blocked sender)
 * @param maxOutboundBytes    outbound budget per connection, in bytes
 * @param backpressurePolicy  what happens past the budget
 */
public record WebSocketConfig(
        long maxFrameSize,
        long maxMessageSize,
        int maxHandshakeBytes,
        Duration handshakeTimeout,
        Duration pingInterval,
        Duration pongTimeout,
        Duration idleTimeout,
        Duration frameTimeout,
        Duration closeTimeout,
        Duration writeTimeout,
        long maxOutboundBytes,
        BackpressurePolicy backpressurePolicy) {

    private static final WebSocketConfig DEFAULTS = new Builder().build();

    public WebSocketConfig {
        positive("maxFrameSize", maxFrameSize);
        positive("maxMessageSize", maxMessageSize);
        positive("maxHandshakeBytes", maxHandshakeBytes);
        positive("maxOutboundBytes", maxOutboundBytes);
        positive("handshakeTimeout", handshakeTimeout);
        notNegative("pingInterval", pingInterval);
        positive("pongTimeout", pongTimeout);
        notNegative("idleTimeout", idleTimeout);
        positive("frameTimeout", frameTimeout);
        positive("closeTimeout", closeTimeout);
        positive("writeTimeout", writeTimeout);
        Objects.requireNonNull(backpressurePolicy, "backpressurePolicy");
    }

    /** The documented defaults. */
    public static WebSocketConfig defaults() {
        return DEFAULTS;
    }

    /** A builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0: " + value);
        }
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be > 0: " + value);
        }
    }

    private static void notNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must be >= 0: " + value);
        }
    }

    /** Builder of {@link WebSocketConfig}; every setter has the meaning given in the class table. */
    public static final class Builder {
        private long maxFrameSize = 16L << 20;
        private long maxMessageSize = 16L << 20;
        private int maxHandshakeBytes = 16 << 10;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration pingInterval = Duration.ofSeconds(30);
        private Duration pongTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ZERO;
        private Duration frameTimeout = Duration.ofSeconds(30);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private Duration writeTimeout = Duration.ofSeconds(30);
        private long maxOutboundBytes = 16L << 20;
        private BackpressurePolicy backpressurePolicy = BackpressurePolicy.BLOCK;

        private Builder() {
        }

        private Builder(WebSocketConfig c) {
            maxFrameSize = c.maxFrameSize;
            maxMessageSize = c.maxMessageSize;
            maxHandshakeBytes = c.maxHandshakeBytes;
            handshakeTimeout = c.handshakeTimeout;
            pingInterval = c.pingInterval;
            pongTimeout = c.pongTimeout;
            idleTimeout = c.idleTimeout;
            frameTimeout = c.frameTimeout;
            closeTimeout = c.closeTimeout;
            writeTimeout = c.writeTimeout;
            maxOutboundBytes = c.maxOutboundBytes;
            backpressurePolicy = c.backpressurePolicy;
        }

        public Builder maxFrameSize(long bytes) { this.maxFrameSize = bytes; return this; }
        public Builder maxMessageSize(long bytes) { this.maxMessageSize = bytes; return this; }
        public Builder maxHandshakeBytes(int bytes) { this.maxHandshakeBytes = bytes; return this; }
        public Builder handshakeTimeout(Duration timeout) { this.handshakeTimeout = timeout; return this; }
        public Builder pingInterval(Duration interval) { this.pingInterval = interval; return this; }
        public Builder pongTimeout(Duration timeout) { this.pongTimeout = timeout; return this; }
        public Builder idleTimeout(Duration timeout) { this.idleTimeout = timeout; return this; }
        public Builder frameTimeout(Duration timeout) { this.frameTimeout = timeout; return this; }
        public Builder closeTimeout(Duration timeout) { this.closeTimeout = timeout; return this; }
        public Builder writeTimeout(Duration timeout) { this.writeTimeout = timeout; return this; }
        public Builder maxOutboundBytes(long bytes) { this.maxOutboundBytes = bytes; return this; }
        public Builder backpressurePolicy(BackpressurePolicy policy) { this.backpressurePolicy = policy; return this; }

        public WebSocketConfig build() {
            return new WebSocketConfig(maxFrameSize, maxMessageSize, maxHandshakeBytes, handshakeTimeout,
                    pingInterval, pongTimeout, idleTimeout, frameTimeout, closeTimeout, writeTimeout,
                    maxOutboundBytes, backpressurePolicy);
        }
    }
}
