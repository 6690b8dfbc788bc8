package dev.leanws.handshake;

import java.util.Objects;
import java.util.Optional;

/**
 * One parameter of a {@code Sec-WebSocket-Extensions} element (RFC 6455 §9.1):
 * {@code client_max_window_bits} or {@code server_max_window_bits=10}.
 *
 * <p>The value is stored unquoted. RFC 6455 §9.1 requires a quoted value to be a token once
 * unquoted, so every value is a token and {@link #toString()} never needs quotes.
 *
 * @param name  the parameter name, a token
 * @param value the value, a token, if the parameter has one
 */
public record ExtensionParam(String name, Optional<String> value) {

    public ExtensionParam {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (!HeaderTokens.isToken(name)) {
            throw new IllegalArgumentException("extension parameter name is not a token: \"" + name + "\"");
        }
        if (value.isPresent() && !HeaderTokens.isToken(value.get())) {
            throw new IllegalArgumentException("extension parameter value is not a token: \"" + value.get() + "\"");
        }
    }

    /** A parameter without a value. */
    public static ExtensionParam of(String name) {
        return new ExtensionParam(name, Optional.empty());
    }

    /** A parameter with a value. */
    public static ExtensionParam of(String name, String value) {
        return new ExtensionParam(name, Optional.of(value));
    }

    /** The wire form: {@code name} or {@code name=value}. */
    @Override
    public String toString() {
        return value.map(v -> name + "=" + v).orElse(name);
    }
}
