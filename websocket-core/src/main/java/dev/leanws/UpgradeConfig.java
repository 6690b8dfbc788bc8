package dev.leanws;

import java.util.List;
import java.util.Objects;

/**
 * How a server answers the subprotocol part of an opening handshake (RFC 6455 §4.2.2).
 *
 * <p>The server picks the first protocol of {@link #subprotocols()} (its order of preference)
 * that the client offered. When the client offered protocols and none matches, the upgrade is
 * refused with 400 if {@link #rejectOnNoMatch()}, otherwise it proceeds without a subprotocol.
 * A client that offers nothing is accepted without one, unless {@link #requireSubprotocol()}:
 * then it is refused with 400 too (an application whose messages only make sense under its
 * protocol, like a chat, does not have to parse the header itself).
 *
 * <pre>{@code
 * UpgradeConfig config = UpgradeConfig.builder()
 *         .subprotocols(List.of("chat.v2", "chat.v1"))
 *         .rejectOnNoMatch(true)
 *         .build();
 * }</pre>
 *
 * @param subprotocols       supported subprotocols, most preferred first (may be empty)
 * @param rejectOnNoMatch    refuse a client whose offers all miss
 * @param requireSubprotocol refuse a client that agrees on no subprotocol, offering none included
 */
public record UpgradeConfig(List<String> subprotocols, boolean rejectOnNoMatch, boolean requireSubprotocol) {

    private static final UpgradeConfig DEFAULTS = new UpgradeConfig(List.of(), false, false);

    public UpgradeConfig {
        subprotocols = List.copyOf(Objects.requireNonNull(subprotocols, "subprotocols"));
        if (requireSubprotocol && subprotocols.isEmpty()) {
            throw new IllegalArgumentException("requireSubprotocol needs at least one supported subprotocol");
        }
    }

    /** Supported subprotocols and what to do when offers miss; a client offering none is accepted. */
    public UpgradeConfig(List<String> subprotocols, boolean rejectOnNoMatch) {
        this(subprotocols, rejectOnNoMatch, false);
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
        private boolean requireSubprotocol;

        private Builder() {
        }

        public Builder subprotocols(List<String> preferenceOrder) { this.subprotocols = preferenceOrder; return this; }
        public Builder rejectOnNoMatch(boolean reject) { this.rejectOnNoMatch = reject; return this; }
        public Builder requireSubprotocol(boolean require) { this.requireSubprotocol = require; return this; }

        public UpgradeConfig build() {
            return new UpgradeConfig(subprotocols, rejectOnNoMatch, requireSubprotocol);
        }
    }
}
