package dev.leanws.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The header fields of an HTTP message, read-only: names compared ignoring case (RFC 7230
 * §3.2), several fields with one name kept in order (§3.2.2).
 *
 * <pre>{@code
 * String origin = request.headers().first("origin").orElse("");   // finds "Origin"
 * List<String> cookies = request.headers().all("Cookie");
 * }</pre>
 */
public interface HttpHeaders {

    /** The value of the first field with this name. */
    Optional<String> first(String name);

    /** The values of every field with this name, in order; empty if none. */
    List<String> all(String name);

    /** Whether a field with this name is present. */
    boolean contains(String name);

    /** The distinct names, spelled as first sent, in order of first appearance. */
    List<String> names();

    /** Calls {@code action} for every field, in the order they were sent. */
    void forEach(BiConsumer<String, String> action);

    /** The number of fields (not of distinct names). */
    int size();

    /**
     * An unmodifiable map from name to values, sorted and looked up ignoring case (as the JDK's
     * {@code java.net.http.HttpHeaders}); each key is spelled as the name was first sent.
     */
    Map<String, List<String>> toMap();
}
