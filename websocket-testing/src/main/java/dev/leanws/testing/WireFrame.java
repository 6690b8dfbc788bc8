package dev.leanws.testing;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A frame exactly as a {@link WirePeer} read it off the wire: the header fields as sent (reserved
 * bits and opcodes included, nothing validated), the MASK bit and key, the payload unmasked, and
 * the header's own bytes, so {@link #raw()} gives back the frame byte for byte.
 *
 * @param nanos   when it was read, in nanoseconds since the peer started
 * @param fin     the FIN bit
 * @param rsv     the three RSV bits as 0-7 (RSV1 = 4)
 * @param opcode  the 4-bit opcode, see {@link RawFrames#TEXT} and the others
 * @param masked  the MASK bit
 * @param maskKey the masking key (0 when not masked)
 * @param payload the payload, unmasked
 * @param header  the header bytes as received (2 to 14 bytes, the key included)
 */
public record WireFrame(long nanos, boolean fin, int rsv, int opcode, boolean masked, int maskKey, byte[] payload,
                        byte[] header) implements WireLog.Entry {

    /** The payload as UTF-8 text. */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    public boolean isClose() {
        return opcode == RawFrames.CLOSE;
    }

    /** The close code of a Close frame; 1005 when it has no payload. */
    public int closeCode() {
        return payload.length < 2 ? 1005 : (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
    }

    /** The reason of a Close frame ("" when there is none). */
    public String closeReason() {
        return payload.length < 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
    }

    /** The whole frame as it was on the wire: the header, then the payload masked again if it was. */
    public byte[] raw() {
        byte[] raw = new byte[header.length + payload.length];
        System.arraycopy(header, 0, raw, 0, header.length);
        for (int i = 0; i < payload.length; i++) {
            raw[header.length + i] = masked ? (byte) (payload[i] ^ maskKey >>> 24 - 8 * (i & 3)) : payload[i];
        }
        return raw;
    }

    @Override
    public String toString() {
        return "frame(fin=" + fin + " rsv=" + rsv + " op=" + opcode + (masked ? " masked" : "")
                + " len=" + payload.length + " @" + TimeUnit.NANOSECONDS.toMillis(nanos) + "ms)";
    }
}
