package dev.leanws.session;

import dev.leanws.DeflateConfig;
import dev.leanws.codec.DeflateParams;
import java.util.Objects;

/**
 * permessage-deflate as a connection runs it: what the handshake agreed and the local
 * settings (level, threshold, idle release).
 *
 * @param params what both ends agreed
 * @param config our settings
 */
public record Compression(DeflateParams params, DeflateConfig config) {
    public Compression {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(config, "config");
    }
}
