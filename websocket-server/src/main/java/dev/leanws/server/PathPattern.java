package dev.leanws.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The path an {@link Endpoint} serves: an exact path ({@code /chat}), a template whose
 * {@code {name}} segments match one segment each ({@code /rooms/{room}}), or either followed by
 * {@code /*}, which matches any rest, nothing included ({@code /files/*}; {@code /*} alone
 * matches every path). Matching works on the raw (undecoded) path, segment by segment, so an
 * encoded {@code %2F} never splits a segment; template parameters are then %-decoded as UTF-8.
 *
 * <p>When several patterns match, the most specific wins: no wildcard before a wildcard, then
 * more literal segments, then more segments (see {@link #compareSpecificity}).
 */
final class PathPattern {

    private enum Kind { LITERAL, PARAMETER }

    private record Segment(Kind kind, String text) {
    }

    private final String pattern;
    private final List<Segment> segments;
    private final boolean wildcard;
    private final int literals;

    private PathPattern(String pattern, List<Segment> segments, boolean wildcard) {
        this.pattern = pattern;
        this.segments = segments;
        this.wildcard = wildcard;
        this.literals = (int) segments.stream().filter(s -> s.kind() == Kind.LITERAL).count();
    }

    /**
     * @throws IllegalArgumentException for a pattern that does not start with {@code /}, an
     *                                  empty or repeated parameter name, a {@code *} anywhere
     *                                  but at the end, or braces inside a segment
     */
    static PathPattern parse(String pattern) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("an endpoint path starts with /: \"" + pattern + "\"");
        }
        boolean wildcard = pattern.endsWith("/*");
        String body = wildcard ? pattern.substring(0, pattern.length() - 2) : pattern;
        List<Segment> segments = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String raw : split(body)) {
            if (raw.contains("*")) {
                throw new IllegalArgumentException("* is only allowed as the last segment: \"" + pattern + "\"");
            }
            if (raw.startsWith("{") && raw.endsWith("}")) {
                String name = raw.substring(1, raw.length() - 1);
                if (name.isEmpty() || name.contains("{") || name.contains("}") || !names.add(name)) {
                    throw new IllegalArgumentException("bad or repeated parameter {" + name + "} in \"" + pattern + "\"");
                }
                segments.add(new Segment(Kind.PARAMETER, name));
            } else if (raw.contains("{") || raw.contains("}")) {
                throw new IllegalArgumentException("a parameter must be a whole segment: \"" + pattern + "\"");
            } else {
                segments.add(new Segment(Kind.LITERAL, raw));
            }
        }
        return new PathPattern(pattern, List.copyOf(segments), wildcard);
    }

    /** The segments of a path: {@code /a/b} is [a, b], {@code /} is [], {@code /a/} is [a, ""]. */
    private static List<String> split(String path) {
        if (path.isEmpty() || path.equals("/")) {
            return List.of();
        }
        return List.of(path.substring(1).split("/", -1));
    }

    /**
     * The decoded parameters if {@code rawPath} matches, else empty (also for a parameter whose
     * %-encoding is not valid UTF-8).
     */
    Optional<Map<String, String>> match(String rawPath) {
        List<String> parts = split(rawPath);
        if (wildcard ? parts.size() < segments.size() : parts.size() != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> parameters = null;
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            String part = parts.get(i);
            if (s.kind() == Kind.LITERAL) {
                if (!s.text().equals(part)) {
                    return Optional.empty();
                }
            } else {
                String decoded = percentDecode(part);
                if (decoded == null || part.isEmpty()) {
                    return Optional.empty();
                }
                if (parameters == null) {
                    parameters = new LinkedHashMap<>();
                }
                parameters.put(s.text(), decoded);
            }
        }
        return Optional.of(parameters == null ? Map.of() : parameters);
    }

    /** Negative if this pattern is more specific than {@code other} (it is tried first). */
    int compareSpecificity(PathPattern other) {
        if (wildcard != other.wildcard) {
            return wildcard ? 1 : -1;
        }
        if (literals != other.literals) {
            return Integer.compare(other.literals, literals);
        }
        return Integer.compare(other.segments.size(), segments.size());
    }

    /** Whether both match exactly the same paths (then a server cannot choose between them). */
    boolean sameShape(PathPattern other) {
        if (wildcard != other.wildcard || segments.size() != other.segments.size()) {
            return false;
        }
        for (int i = 0; i < segments.size(); i++) {
            Segment a = segments.get(i);
            Segment b = other.segments.get(i);
            if (a.kind() != b.kind() || a.kind() == Kind.LITERAL && !a.text().equals(b.text())) {
                return false;
            }
        }
        return true;
    }

    /** %XX decoding of a path segment as UTF-8 ({@code +} stays a plus); null if malformed. */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return pattern;
    }
}
