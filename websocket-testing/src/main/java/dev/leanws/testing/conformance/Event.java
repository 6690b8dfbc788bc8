package dev.leanws.testing.conformance;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Something the suite observes besides the close: a message, a ping or a pong from the
 * implementation, or a marker meaning "a prescribed pause passed with the connection open".
 * Cases list the events they expect; the runner compares lists.
 *
 * @param kind    text, binary, ping, pong or timeout
 * @param payload the message or control payload; a timeout's label in UTF-8
 */
public record Event(String kind, byte[] payload) {

    public static Event text(String text) {
        return new Event("text", text.getBytes(StandardCharsets.UTF_8));
    }

    public static Event text(byte[] utf8) {
        return new Event("text", utf8);
    }

    public static Event binary(byte[] bytes) {
        return new Event("binary", bytes);
    }

    public static Event ping(byte[] bytes) {
        return new Event("ping", bytes);
    }

    public static Event pong(byte[] bytes) {
        return new Event("pong", bytes);
    }

    public static Event timeout(String label) {
        return new Event("timeout", label.getBytes(StandardCharsets.UTF_8));
    }

    public boolean isMessage() {
        return kind.equals("text") || kind.equals("binary");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Event e && kind.equals(e.kind) && Arrays.equals(payload, e.payload);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Arrays.hashCode(payload);
    }

    /** Short and stable: small payloads in full, large ones by length and hash. */
    @Override
    public String toString() {
        if (kind.equals("timeout")) {
            return "timeout(" + new String(payload, StandardCharsets.UTF_8) + ")";
        }
        if (payload.length > 24) {
            return kind + "(" + payload.length + " bytes #" + Integer.toHexString(Arrays.hashCode(payload)) + ")";
        }
        return kind + "(" + HexFormat.of().formatHex(payload) + ")";
    }
}
