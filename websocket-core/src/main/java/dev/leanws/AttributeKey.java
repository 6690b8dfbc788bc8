package dev.leanws;

import java.util.Objects;

/**
 * The typed key of a connection attribute. Keys are compared by identity, so two libraries
 * that both use the name {@code "user"} do not collide; keep a key in a constant:
 *
 * <pre>{@code
 * static final AttributeKey<User> USER = AttributeKey.of("user", User.class);
 *
 * // in the upgrade hook
 * return UpgradeDecision.accept().with(USER, user);
 * // in a handler
 * User user = event.connection().attributes().get(USER).orElseThrow();
 * }</pre>
 *
 * @param <T> the type of the attribute's value
 */
public final class AttributeKey<T> {

    private final String name;
    private final Class<T> type;

    private AttributeKey(String name, Class<T> type) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
    }

    /** A new key; {@code name} is for logs and {@link #toString()} only. */
    public static <T> AttributeKey<T> of(String name, Class<T> type) {
        return new AttributeKey<>(name, type);
    }

    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    /** {@code value}, checked to be of this key's type. */
    T cast(Object value) {
        return type.cast(value);
    }

    @Override
    public String toString() {
        return name + ":" + type.getSimpleName();
    }
}
