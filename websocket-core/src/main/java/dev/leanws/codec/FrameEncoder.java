package dev.leanws.codec;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * Writes frames (RFC 6455 §5.2). Pure and static: no state, no I/O, so a broadcast can encode
 * a frame once and hand the same bytes to every connection.
 *
 * <p>The payload length always takes the shortest form (§5.2: "the minimal number of bytes
 * MUST be used to encode the length"): 7 bits up to 125, 16 bits up to 65535, 64 bits above.
 * The encoder refuses to write a frame the RFC forbids to send (a control frame without FIN or
 * with more than 125 bytes of payload): that is a bug of the caller, reported with
 * {@link IllegalArgumentException}. Tests that need forbidden frames build them by hand
 * ({@code dev.leanws.testing.RawFrames}).
 *
 * <p>Multi-byte fields are written big-endian (network order, §5.2) whatever the byte order of
 * the destination buffer object.
 */
public final class FrameEncoder {

    /** Largest payload with a 7-bit length. */
    static final int MAX_7BIT_LENGTH = 125;
    /** The 7-bit length value meaning "a 16-bit length follows". */
    static final int LENGTH_16 = 126;
    /** The 7-bit length value meaning "a 64-bit length follows". */
    static final int LENGTH_64 = 127;

    private FrameEncoder() {
    }

    /**
     * The size of the header of a frame with this payload length: 2 to 14 bytes. Equal to
     * {@link FrameHeader#encodedLength()}.
     *
     * @throws IllegalArgumentException if {@code payloadLength} is negative
     */
    public static int headerLength(long payloadLength, boolean masked) {
        if (payloadLength < 0) {
            throw new IllegalArgumentException("payloadLength must be >= 0: " + payloadLength);
        }
        int length = payloadLength <= MAX_7BIT_LENGTH ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
        return masked ? length + 4 : length;
    }

    /**
     * Writes the header at {@code dst}'s position and advances it.
     *
     * @throws BufferOverflowException if {@code dst} has less room than the header (nothing is written)
     * @throws IllegalArgumentException for a control frame without FIN or longer than 125 bytes
     */
    public static void writeHeader(ByteBuffer dst, FrameHeader header) {
        checkSendable(header);
        if (dst.remaining() < header.encodedLength()) {
            throw new BufferOverflowException();
        }
        putHeader(dst, header);
    }

    /** Writes the header, already checked by the caller. */
    private static void putHeader(ByteBuffer dst, FrameHeader header) {
        long length = header.payloadLength();
        int b0 = (header.fin() ? 0x80 : 0) | header.rsv() << 4 | header.opcode().code();
        int maskBit = header.masked() ? 0x80 : 0;
        dst.put((byte) b0);
        if (length <= MAX_7BIT_LENGTH) {
            dst.put((byte) (maskBit | (int) length));
        } else if (length <= 0xFFFF) {
            dst.put((byte) (maskBit | LENGTH_16));
            putBigEndian(dst, length, 2);
        } else {
            dst.put((byte) (maskBit | LENGTH_64));
            putBigEndian(dst, length, 8);
        }
        if (header.masked()) {
            putBigEndian(dst, header.maskKey(), 4);
        }
    }

    /**
     * Writes header and payload into {@code dst} at its position and advances it. When
     * {@code header.masked()}, the copy in {@code dst} is masked with {@code header.maskKey()};
     * {@code payload} itself is never modified and its position does not move.
     *
     * @throws IllegalArgumentException if {@code header.payloadLength() != payload.remaining()},
     *                                  or as {@link #writeHeader}
     * @throws BufferOverflowException  if {@code dst} has no room for the whole frame (nothing is written)
     */
    public static void encodeInto(ByteBuffer dst, FrameHeader header, ByteBuffer payload) {
        int length = payload.remaining();
        if (header.payloadLength() != length) {
            throw new IllegalArgumentException(
                    "header.payloadLength() " + header.payloadLength() + " != payload.remaining() " + length);
        }
        checkSendable(header);
        if (dst.remaining() < (long) header.encodedLength() + length) {
            throw new BufferOverflowException();
        }
        putHeader(dst, header);
        int start = dst.position();
        dst.put(start, payload, payload.position(), length);
        if (header.masked()) {
            Masking.mask(dst, start, start + length, header.maskKey(), 0);
        }
        dst.position(start + length);
    }

    /**
     * A new heap buffer holding header + payload (masked if the header says so), flipped:
     * position 0, limit at the end of the frame, ready to be written to a channel.
     *
     * @throws IllegalArgumentException as {@link #encodeInto}
     */
    public static ByteBuffer encode(FrameHeader header, ByteBuffer payload) {
        ByteBuffer frame = ByteBuffer.allocate(header.encodedLength() + payload.remaining());
        encodeInto(frame, header, payload);
        return frame.flip();
    }

    /** RFC 6455 §5.5: control frames MUST NOT be fragmented and MUST have a payload of 125 bytes or less. */
    private static void checkSendable(FrameHeader header) {
        if (header.opcode().isControl()) {
            if (!header.fin()) {
                throw new IllegalArgumentException("control frame without FIN: " + header);
            }
            if (header.payloadLength() > MAX_7BIT_LENGTH) {
                throw new IllegalArgumentException("control frame payload longer than 125 bytes: " + header);
            }
        }
    }

    private static void putBigEndian(ByteBuffer dst, long value, int bytes) {
        for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
            dst.put((byte) (value >>> shift));
        }
    }
}
