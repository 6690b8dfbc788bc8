package dev.leanws.http.internal;

import dev.leanws.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The header fields of an HTTP/1.1 message head: names compared case-insensitively
 * (RFC 7230 §3.2), several fields with one name allowed (§3.2.2), and the wire order kept so a
 * head renders exactly as it was built.
 *
 * <p>A mutable instance is filled by the parser or by the handshake code;
 * {@link #immutableCopy()} freezes it before it crosses into a record or an exception. Every
 * name must be a token and every value must be writable on the wire as ISO-8859-1 without CR,
 * LF or other control characters (only HTAB): {@link #add} refuses anything else, so a value
 * taken from an application can never inject a header line.
 *
 * <p>Lookups scan the field list. A head has at most a few dozen fields (the parser enforces a
 * count limit), where a scan beats a hash map.
 */
public final class HeaderFields implements HttpHeaders {

    private record Field(String name, String value) {
    }

    private final List<Field> fields;
    private final boolean readOnly;

    /** An empty, mutable set of headers. */
    public HeaderFields() {
        this(new ArrayList<>(), false);
    }

    private HeaderFields(List<Field> fields, boolean readOnly) {
        this.fields = fields;
        this.readOnly = readOnly;
    }

    /**
     * Mutable headers from name-value pairs: {@code of("Allow", "GET", "Connection", "close")}.
     *
     * @throws IllegalArgumentException for an odd number of strings or an invalid name or value
     */
    public static HeaderFields of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("expected name-value pairs, got " + namesAndValues.length + " strings");
        }
        HeaderFields headers = new HeaderFields();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    /**
     * Appends a field, after any others with the same name.
     *
     * @throws IllegalArgumentException if the name is not a token or the value holds a control
     *                                  character other than HTAB, or a character above U+00FF
     * @throws UnsupportedOperationException if these headers are read-only
     */
    public HeaderFields add(String name, String value) {
        checkWritable();
        fields.add(new Field(checkName(name), checkValue(name, value)));
        return this;
    }

    /** Replaces every field with this name by one field (at the place of the first), or appends it. */
    public HeaderFields set(String name, String value) {
        checkWritable();
        Field field = new Field(checkName(name), checkValue(name, value));
        int first = indexOf(name);
        if (first < 0) {
            fields.add(field);
            return this;
        }
        fields.set(first, field);
        for (int i = fields.size() - 1; i > first; i--) {
            if (fields.get(i).name.equalsIgnoreCase(name)) {
                fields.remove(i);
            }
        }
        return this;
    }

    /** Removes every field with this name. */
    public HeaderFields remove(String name) {
        checkWritable();
        fields.removeIf(f -> f.name.equalsIgnoreCase(name));
        return this;
    }

    /** The value of the first field with this name. */
    @Override
    public Optional<String> first(String name) {
        int i = indexOf(name);
        return i < 0 ? Optional.empty() : Optional.of(fields.get(i).value);
    }

    /** The values of every field with this name, in order (empty if none). */
    @Override
    public List<String> all(String name) {
        List<String> values = new ArrayList<>(2);
        for (Field f : fields) {
            if (f.name.equalsIgnoreCase(name)) {
                values.add(f.value);
            }
        }
        return Collections.unmodifiableList(values);
    }

    /** How many fields have this name (a handshake header must usually appear exactly once). */
    public int count(String name) {
        int n = 0;
        for (Field f : fields) {
            if (f.name.equalsIgnoreCase(name)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean contains(String name) {
        return indexOf(name) >= 0;
    }

    /** The distinct names, spelled as first added, in order of first appearance. */
    @Override
    public List<String> names() {
        List<String> names = new ArrayList<>();
        outer:
        for (Field f : fields) {
            for (String seen : names) {
                if (seen.equalsIgnoreCase(f.name)) {
                    continue outer;
                }
            }
            names.add(f.name);
        }
        return Collections.unmodifiableList(names);
    }

    /**
     * The comma-separated elements of every field with this name, trimmed, empty elements
     * dropped (RFC 7230 §7: a recipient ignores empty list elements, and several fields are the
     * same as one joined with commas, §3.2.2). This is for token lists such as {@code Connection}
     * and {@code Upgrade}; it does not understand quoted strings (see {@link Tokens}).
     */
    public List<String> tokens(String name) {
        return Collections.unmodifiableList(listElements(all(name)));
    }

    /** The comma-separated elements of these field values, trimmed, empty elements dropped. */
    public static List<String> listElements(List<String> values) {
        List<String> elements = new ArrayList<>();
        for (String value : values) {
            for (String element : value.split(",", -1)) {
                String trimmed = element.strip();
                if (!trimmed.isEmpty()) {
                    elements.add(trimmed);
                }
            }
        }
        return elements;
    }

    /**
     * Whether one of {@link #tokens(String)} equals {@code token} ignoring ASCII case, as
     * {@code Connection: keep-alive, Upgrade} contains {@code upgrade} (RFC 6455 §4.2.1 item 4).
     */
    public boolean containsToken(String name, String token) {
        if (token.isEmpty()) {
            return false;   // empty elements are not tokens (tokens() drops them)
        }
        // Scans the values in place: every opening handshake asks this twice, and the list
        // that tokens() builds would be garbage the moment it answered.
        for (Field f : fields) {
            if (f.name.equalsIgnoreCase(name) && hasElement(f.value, token)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the comma-separated {@code value} has an element equal to {@code token}, ignoring case and OWS. */
    private static boolean hasElement(String value, String token) {
        int start = 0;
        int length = value.length();
        while (start <= length) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? length : comma;
            int from = start;
            int to = end;
            while (from < to && isOws(value.charAt(from))) {
                from++;
            }
            while (to > from && isOws(value.charAt(to - 1))) {
                to--;
            }
            if (to - from == token.length() && value.regionMatches(true, from, token, 0, token.length())) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    /** The whitespace {@link String#strip} would remove from a header value (SP and HTAB are all it can hold). */
    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    /** Calls {@code action} for every field in wire order. */
    @Override
    public void forEach(BiConsumer<String, String> action) {
        for (Field f : fields) {
            action.accept(f.name, f.value);
        }
    }

    /** The name of the {@code index}th field, as it was added. */
    public String nameAt(int index) {
        return fields.get(index).name;
    }

    /** The value of the {@code index}th field. */
    public String valueAt(int index) {
        return fields.get(index).value;
    }

    /** The number of fields (not of distinct names). */
    @Override
    public int size() {
        return fields.size();
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /**
     * An unmodifiable map from name to values. As the JDK's {@code java.net.http.HttpHeaders},
     * it is sorted and looked up case-insensitively, so {@code map.get("upgrade")} finds
     * {@code Upgrade}; each key is spelled as the name was first added.
     */
    @Override
    public Map<String, List<String>> toMap() {
        TreeMap<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Field f : fields) {   // one pass; the first spelling of a name is kept
            map.computeIfAbsent(f.name, n -> new ArrayList<>(1)).add(f.value);
        }
        map.replaceAll((name, values) -> Collections.unmodifiableList(values));
        return Collections.unmodifiableMap(map);
    }

    /** A read-only copy (this instance itself if it is already read-only). */
    public HeaderFields immutableCopy() {
        return readOnly ? this : new HeaderFields(List.copyOf(fields), true);
    }

    /**
     * A read-only view of these fields, without copying them. For an owner that hands its
     * fields on and never changes them again (the parser once the head is complete, a
     * handshake's response): a later change here would show through the view.
     */
    public HeaderFields readOnlyView() {
        return readOnly ? this : new HeaderFields(fields, true);
    }

    /** A mutable copy. */
    public HeaderFields mutableCopy() {
        return new HeaderFields(new ArrayList<>(fields), false);
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    /** Equal when both hold the same fields in the same order (names compared ignoring case). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HeaderFields other) || other.fields.size() != fields.size()) {
            return false;
        }
        for (int i = 0; i < fields.size(); i++) {
            Field a = fields.get(i);
            Field b = other.fields.get(i);
            if (!a.name.equalsIgnoreCase(b.name) || !a.value.equals(b.value)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (Field f : fields) {
            h = 31 * h + f.name.toLowerCase(Locale.ROOT).hashCode();
            h = 31 * h + f.value.hashCode();
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (Field f : fields) {
            sb.append(sb.length() > 1 ? ", " : "").append(f.name).append(": ").append(f.value);
        }
        return sb.append('}').toString();
    }

    private int indexOf(String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name.equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private void checkWritable() {
        if (readOnly) {
            throw new UnsupportedOperationException("read-only headers");
        }
    }

    private static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!Tokens.isToken(name)) {
            throw new IllegalArgumentException("header name is not a token: \"" + name + "\"");
        }
        return name;
    }

    /** RFC 7230 §3.2: field-value is HTAB, SP, VCHAR and obs-text; nothing else may reach the wire. */
    private static String checkValue(String name, String value) {
        Objects.requireNonNull(value, "value");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF) {
                throw new IllegalArgumentException(String.format(
                        "invalid character U+%04X in the value of header %s", (int) c, name));
            }
        }
        return value;
    }
}
