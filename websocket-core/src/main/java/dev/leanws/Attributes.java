package dev.leanws;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The application's typed attributes of one connection: the authenticated user, a room, a
 * rate limiter. Thread-safe; every method may be called from any thread.
 *
 * <pre>{@code
 * static final AttributeKey<String> ROOM = AttributeKey.of("room", String.class);
 *
 * connection.attributes().set(ROOM, "lobby");
 * String room = connection.attributes().get(ROOM).orElse("lobby");
 * RateLimiter limiter = connection.attributes().computeIfAbsent(LIMITER, () -> new RateLimiter(10));
 * }</pre>
 *
 * <p>Built for a handful of attributes per connection: a connection without attributes holds
 * nothing, and every change copies a small array (copy-on-write), so reads take no lock.
 */
public final class Attributes {

    private static final Object[] EMPTY = new Object[0];

    /** Keys and values interleaved: {@code [key0, value0, key1, value1, ...]}. */
    private final AtomicReference<Object[]> entries;

    /** No attributes. */
    public Attributes() {
        entries = new AtomicReference<>(EMPTY);
    }

    private Attributes(Object[] entries) {
        this.entries = new AtomicReference<>(entries);
    }

    /** A copy of these attributes, for a new connection (the server's upgrade decision uses it). */
    public Attributes copy() {
        return new Attributes(entries.get());
    }

    /** The value of {@code key}, if set. */
    public <T> Optional<T> get(AttributeKey<T> key) {
        Object[] e = entries.get();
        int i = indexOf(e, key);
        return i < 0 ? Optional.empty() : Optional.of(key.cast(e[i + 1]));
    }

    /** Sets {@code key} to {@code value} (not null); returns the previous value, if any. */
    public <T> Optional<T> set(AttributeKey<T> key, T value) {
        Object checked = key.cast(Objects.requireNonNull(value, "value"));
        while (true) {
            Object[] e = entries.get();
            int i = indexOf(e, key);
            Object[] next;
            if (i < 0) {
                next = Arrays.copyOf(e, e.length + 2);
                next[e.length] = key;
                next[e.length + 1] = checked;
            } else {
                next = e.clone();
                next[i + 1] = checked;
            }
            if (entries.compareAndSet(e, next)) {
                return i < 0 ? Optional.empty() : Optional.of(key.cast(e[i + 1]));
            }
        }
    }

    /**
     * The value of {@code key}; if it is not set, sets it to what {@code initial} returns, unless
     * another thread set it first. {@code initial} may run more than once under contention.
     */
    public <T> T computeIfAbsent(AttributeKey<T> key, Supplier<? extends T> initial) {
        while (true) {
            Object[] e = entries.get();
            int i = indexOf(e, key);
            if (i >= 0) {
                return key.cast(e[i + 1]);
            }
            T value = Objects.requireNonNull(initial.get(), "initial value");
            Object[] next = Arrays.copyOf(e, e.length + 2);
            next[e.length] = key;
            next[e.length + 1] = key.cast(value);
            if (entries.compareAndSet(e, next)) {
                return value;
            }
        }
    }

    /** Removes {@code key}; returns its value, if it was set. */
    public <T> Optional<T> remove(AttributeKey<T> key) {
        while (true) {
            Object[] e = entries.get();
            int i = indexOf(e, key);
            if (i < 0) {
                return Optional.empty();
            }
            Object[] next = new Object[e.length - 2];
            System.arraycopy(e, 0, next, 0, i);
            System.arraycopy(e, i + 2, next, i, e.length - i - 2);
            if (entries.compareAndSet(e, next.length == 0 ? EMPTY : next)) {
                return Optional.of(key.cast(e[i + 1]));
            }
        }
    }

    /** Sets every attribute of {@code other} here (replacing values of the same keys). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void putAll(Attributes other) {
        Object[] e = other.entries.get();
        for (int i = 0; i < e.length; i += 2) {
            set((AttributeKey) e[i], e[i + 1]);
        }
    }

    /** Whether no attribute is set. */
    public boolean isEmpty() {
        return entries.get().length == 0;
    }

    private static int indexOf(Object[] e, AttributeKey<?> key) {
        for (int i = 0; i < e.length; i += 2) {
            if (e[i] == key) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        Object[] e = entries.get();
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < e.length; i += 2) {
            sb.append(i == 0 ? "" : ", ").append(((AttributeKey<?>) e[i]).name()).append('=').append(e[i + 1]);
        }
        return sb.append('}').toString();
    }
}
