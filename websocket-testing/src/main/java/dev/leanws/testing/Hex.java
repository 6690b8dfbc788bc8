package dev.leanws.testing;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * Hex test vectors, as the RFC prints them: {@code Hex.bytes("81 05 48 65 6c 6c 6f")}.
 * Whitespace is ignored, case does not matter.
 */
public final class Hex {

    private static final HexFormat FORMAT = HexFormat.of();

    private Hex() {
    }

    /** The bytes of a hex string; spaces, tabs and newlines are ignored. */
    public static byte[] bytes(String hex) {
        return FORMAT.parseHex(hex.replaceAll("\\s+", ""));
    }

    /** A heap buffer (position 0) holding the bytes of a hex string. */
    public static ByteBuffer buffer(String hex) {
        return ByteBuffer.wrap(bytes(hex));
    }

    /** Lower-case hex without separators. */
    public static String hex(byte[] bytes) {
        return FORMAT.formatHex(bytes);
    }

    /** Lower-case hex of the bytes between position and limit; the position does not move. */
    public static String hex(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.get(buffer.position(), copy);
        return hex(copy);
    }
}
