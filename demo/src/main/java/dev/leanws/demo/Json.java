package dev.leanws.demo;

import java.util.Collection;

/**
 * Writes the chat's server-to-client messages: one flat JSON object whose values are strings,
 * numbers or lists of strings. Enough for the wire format without a JSON library.
 */
final class Json {

    private Json() {
    }

    /** {@code object("type", "join", "nick", "ada")} is {@code {"type":"join","nick":"ada"}}. */
    static String object(Object... keysAndValues) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (i > 0) {
                json.append(',');
            }
            string(json, (String) keysAndValues[i]).append(':');
            Object value = keysAndValues[i + 1];
            if (value instanceof Number n) {
                json.append(n);
            } else if (value instanceof Collection<?> list) {
                json.append('[');
                String separator = "";
                for (Object item : list) {
                    string(json.append(separator), (String) item);
                    separator = ",";
                }
                json.append(']');
            } else {
                string(json, (String) value);
            }
        }
        return json.append('}').toString();
    }

    private static StringBuilder string(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }
}
