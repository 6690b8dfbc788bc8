package dev.leanws;

import java.time.Duration;
import java.util.Objects;
import java.util.zip.Deflater;

/**
 * permessage-deflate (RFC 7692) settings, for a server endpoint or a client.
 *
 * <pre>{@code
 * // server: accept what browsers offer (this is the default)
 * WebSocketServer.builder().port(8080).deflate(DeflateConfig.defaults()) ...
 * // client: offer compression, keep no context in either direction
 * ClientConfig.builder().deflate(DeflateConfig.builder()
 *         .serverNoContextTakeover(true).clientNoContextTakeover(true).build()) ...
 * // off
 * ClientConfig.builder().deflate(DeflateConfig.disabled()) ...
 * }</pre>
 *
 * <p>Parameters are named from the RFC's point of view: the "server" ones govern what the server
 * compresses, the "client" ones what the client compresses, whichever end this configuration
 * belongs to. A server answers within the limits set here (smaller windows, no context takeover
 * where asked); a client offers them.
 *
 * <table>
 * <caption>Defaults (chosen like Node {@code ws}, see docs/compression.md)</caption>
 * <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 * <tr><td>enabled</td><td>true on a server, false on a client</td><td>accept (server) or offer (client) permessage-deflate</td></tr>
 * <tr><td>serverNoContextTakeover</td><td>false</td><td>the server starts every message from an empty window</td></tr>
 * <tr><td>clientNoContextTakeover</td><td>false</td><td>the client starts every message from an empty window</td></tr>
 * <tr><td>serverMaxWindowBits</td><td>15</td><td>largest LZ77 window (2^bits bytes) the server compresses with, 8-15</td></tr>
 * <tr><td>clientMaxWindowBits</td><td>15</td><td>largest window the client compresses with, 8-15</td></tr>
 * <tr><td>compressionLevel</td><td>6</td><td>zlib level 1 (fastest) to 9 (smallest), as {@link Deflater}</td></tr>
 * <tr><td>threshold</td><td>1024 bytes</td><td>smaller messages are sent uncompressed (RSV1 clear)</td></tr>
 * <tr><td>releaseIdleAfter</td><td>10 s</td><td>a compressor unused this long is freed (its native memory returned); zero: free after every message</td></tr>
 * </table>
 *
 * <p>The memory level is not a setting: {@link Deflater} always uses zlib's default (8), so a
 * compressor holds about 256 KiB of native memory while it exists. That is why compressors are
 * created on the first compressed message and freed when idle: dropping our compression context
 * is always allowed (the peer's window is unaffected; we just stop referring to it).
 *
 * @param enabled                 negotiate permessage-deflate at all
 * @param serverNoContextTakeover see the table
 * @param clientNoContextTakeover see the table
 * @param serverMaxWindowBits     see the table
 * @param clientMaxWindowBits     see the table
 * @param compressionLevel        see the table
 * @param threshold               see the table
 * @param releaseIdleAfter        see the table
 */
public record DeflateConfig(boolean enabled, boolean serverNoContextTakeover, boolean clientNoContextTakeover,
        int serverMaxWindowBits, int clientMaxWindowBits, int compressionLevel, int threshold,
        Duration releaseIdleAfter) {

    /** Smallest window RFC 7692 allows (256 bytes). */
    public static final int MIN_WINDOW_BITS = 8;
    /** Largest and default window (32 KiB). */
    public static final int MAX_WINDOW_BITS = 15;

    private static final DeflateConfig DEFAULTS = new Builder().build();
    private static final DeflateConfig DISABLED = new Builder().enabled(false).build();

    public DeflateConfig {
        windowBits("serverMaxWindowBits", serverMaxWindowBits);
        windowBits("clientMaxWindowBits", clientMaxWindowBits);
        if (compressionLevel < 1 || compressionLevel > 9) {
            throw new IllegalArgumentException("compressionLevel must be 1-9: " + compressionLevel);
        }
        if (threshold < 0) {
            throw new IllegalArgumentException("threshold must be >= 0: " + threshold);
        }
        Objects.requireNonNull(releaseIdleAfter, "releaseIdleAfter");
        if (releaseIdleAfter.isNegative()) {
            throw new IllegalArgumentException("releaseIdleAfter must be >= 0: " + releaseIdleAfter);
        }
    }

    /** Enabled, with the defaults of the table. */
    public static DeflateConfig defaults() {
        return DEFAULTS;
    }

    /** permessage-deflate off: a server declines every offer, a client offers nothing. */
    public static DeflateConfig disabled() {
        return DISABLED;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void windowBits(String name, int bits) {
        if (bits < MIN_WINDOW_BITS || bits > MAX_WINDOW_BITS) {
            throw new IllegalArgumentException(name + " must be 8-15: " + bits);
        }
    }

    /** Builder of {@link DeflateConfig}; starts from the defaults (enabled). */
    public static final class Builder {
        private boolean enabled = true;
        private boolean serverNoContextTakeover;
        private boolean clientNoContextTakeover;
        private int serverMaxWindowBits = MAX_WINDOW_BITS;
        private int clientMaxWindowBits = MAX_WINDOW_BITS;
        private int compressionLevel = 6;
        private int threshold = 1024;
        private Duration releaseIdleAfter = Duration.ofSeconds(10);

        private Builder() {
        }

        private Builder(DeflateConfig c) {
            enabled = c.enabled;
            serverNoContextTakeover = c.serverNoContextTakeover;
            clientNoContextTakeover = c.clientNoContextTakeover;
            serverMaxWindowBits = c.serverMaxWindowBits;
            clientMaxWindowBits = c.clientMaxWindowBits;
            compressionLevel = c.compressionLevel;
            threshold = c.threshold;
            releaseIdleAfter = c.releaseIdleAfter;
        }

        public Builder enabled(boolean on) { this.enabled = on; return this; }
        public Builder serverNoContextTakeover(boolean on) { this.serverNoContextTakeover = on; return this; }
        public Builder clientNoContextTakeover(boolean on) { this.clientNoContextTakeover = on; return this; }
        public Builder serverMaxWindowBits(int bits) { this.serverMaxWindowBits = bits; return this; }
        public Builder clientMaxWindowBits(int bits) { this.clientMaxWindowBits = bits; return this; }
        public Builder compressionLevel(int level) { this.compressionLevel = level; return this; }
        public Builder threshold(int bytes) { this.threshold = bytes; return this; }
        public Builder releaseIdleAfter(Duration idle) { this.releaseIdleAfter = idle; return this; }

        public DeflateConfig build() {
            return new DeflateConfig(enabled, serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits,
                    clientMaxWindowBits, compressionLevel, threshold, releaseIdleAfter);
        }
    }
}
