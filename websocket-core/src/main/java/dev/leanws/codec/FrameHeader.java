package dev.leanws.codec;

import java.util.Objects;

/**
 * The header of one frame (RFC 6455 §5.2).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-------+-+-------------+-------------------------------+
 * |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 * |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 * |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 * | |1|2|3|       |K|             |                               |
 * +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 * |     Extended payload length continued, if payload len == 127  |
 * + - - - - - - - - - - - - - - - +-------------------------------+
 * |                               | Masking-key, if MASK set to 1 |
 * +-------------------------------+-------------------------------+
 * </pre>
 *
 * @param fin           last frame of a message
 * @param rsv           the three reserved bits as a number 0-7 (RSV1 = 4, RSV2 = 2, RSV3 = 1)
 * @param opcode        the opcode (never a reserved one)
 * @param masked        whether a masking key follows
 * @param maskKey       the masking key, big-endian as on the wire (meaningful only if masked)
 * @param payloadLength the payload length, 0 to 2^63-1
 */
public record FrameHeader(boolean fin, int rsv, Opcode opcode, boolean masked, int maskKey, long payloadLength) {

    /** RSV1, the bit permessage-deflate uses (RFC 7692). */
    public static final int RSV1 = 0b100;
    public static final int RSV2 = 0b010;
    public static final int RSV3 = 0b001;

    public FrameHeader {
        Objects.requireNonNull(opcode, "opcode");
        if ((rsv & ~0b111) != 0) {
            throw new IllegalArgumentException("rsv must be 0-7: " + rsv);
        }
        if (payloadLength < 0) {
            throw new IllegalArgumentException("payloadLength must be >= 0: " + payloadLength);
        }
    }

    /** An unmasked header. */
    public static FrameHeader unmasked(boolean fin, Opcode opcode, long payloadLength) {
        return new FrameHeader(fin, 0, opcode, false, 0, payloadLength);
    }

    /** A masked header. */
    public static FrameHeader masked(boolean fin, Opcode opcode, int maskKey, long payloadLength) {
        return new FrameHeader(fin, 0, opcode, true, maskKey, payloadLength);
    }

    /**
     * This header for the compressed form of its message (RFC 7692 §6): RSV1 set, the
     * compressed payload's length.
     */
    public FrameHeader compressed(long compressedLength) {
        return new FrameHeader(fin, rsv | RSV1, opcode, masked, maskKey, compressedLength);
    }

    /** The number of bytes this header takes on the wire: 2 to 14. */
    public int encodedLength() {
        return FrameEncoder.headerLength(payloadLength, masked);
    }
}
