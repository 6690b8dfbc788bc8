package dev.leanws;

import java.util.List;
import java.util.Objects;

/**
 * How a server answers the subprotocol part of an opening handshake (RFC 6455 §4.2.2).
 *
 * <p>The server picks the first protocol of {@link #subprotocols()} (its order of preference)
 * that the client offered. When the client offered protocols and none matches, the upgrade is
 * refused with 400 if {@link #rejectOnNoMatch()}, otherwise it proceeds without a subprotocol.
 * A client that offers nothing is always accepted without one.
 *
 * <pre>{@code
 * UpgradeConfig config = UpgradeConfig.builder()
 *         .subprotocols(List.of("chat.v2", "chat.v1"))
 *         .rejectOnNoMatch(true)
 *         .build();
 * }</pre>
 *
 * @param subprotocols    supported subprotocols, most preferred first (may be empty)
 * @param rejectOnNoMatch refuse a client whose offers all miss
 */
public record UpgradeConfig(List<String> subprotocols, boolean rejectOnNoMatch) {

    private static final UpgradeConfig DEFAULTS = new UpgradeConfig(List.of(), false);

    public UpgradeConfig {
        subprotocols = List.copyOf(Objects.requireNonNull(subprotocols, "subprotocols"));
    }

    /** No subprotocols, never reject. */
    public static UpgradeConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link UpgradeConfig}. */
    public static final class Builder {
        private List<String> subprotocols = List.of();
        private boolean rejectOnNoMatch;

        private Builder() {
        }

        public Builder subprotocols(List<String> preferenceOrder) { this.subprotocols = preferenceOrder; return this; }
        public Builder rejectOnNoMatch(boolean reject) { this.rejectOnNoMatch = reject; return this; }

        public UpgradeConfig build() {
            return new UpgradeConfig(subprotocols, rejectOnNoMatch);
        }
    }
}
