package dev.leanws.codec;

import java.nio.ByteBuffer;

/**
 * Turns a byte stream into frames (RFC 6455 §5.2), incrementally: push whatever bytes have
 * arrived, in any split (one byte per call up to megabytes at once), and the same calls reach
 * the {@link FrameSink}. The decoder never holds a whole frame: each header field is collected
 * in a small accumulator, and the payload is unmasked in place inside the caller's buffer and
 * handed on as slices of it (zero copy), as far as it has arrived.
 *
 * <p>The header is checked as soon as the bytes that decide a rule are known, in this order:
 * RSV bits, reserved opcode, control frame without FIN (byte 0); control frame longer than 125,
 * MASK bit versus role (byte 1); 64-bit length with its top bit set (first byte of that
 * length); non-minimal length and the frame size limit (once the length is complete). So an
 * oversized frame fails from its header, before a single payload byte is buffered.
 *
 * <p>Only framing rules live here. Which frame may follow which (fragmentation), message size
 * and UTF-8 belong to the sink ({@link MessageAssembler}); the RSV1 rules of
 * permessage-deflate (only on the first frame of a data message) to the extension.
 *
 * <p>After a violation the decoder is finished: {@link #decode} throws the
 * {@link ProtocolException} once and from then on consumes and ignores input, so a broken
 * stream can never produce a second error or half a frame (Netty's {@code CORRUPT} state).
 * The same happens when the sink throws. Not thread-safe: one decoder per connection, fed by
 * its read loop.
 */
public final class FrameDecoder {

    // States, in wire order; run() loops through them until the input runs out.
    private static final int FIRST_BYTE = 0;
    private static final int SECOND_BYTE = 1;
    private static final int EXTENDED_LENGTH = 2;
    private static final int MASK_KEY = 3;
    private static final int PAYLOAD = 4;
    private static final int FAILED = 5;

    private static final int B0_FIN = 0x80;
    private static final int B0_RSV_SHIFT = 4;
    private static final int B0_OPCODE = 0x0F;
    private static final int B1_MASK = 0x80;
    private static final int B1_LENGTH = 0x7F;

    private final boolean expectMasked;
    private final long maxFramePayload;
    private int allowedRsv;

    private int state = FIRST_BYTE;
    private long framesBegun;
    // The frame being read.
    private boolean fin;
    private int rsv;
    private Opcode opcode;
    private boolean masked;
    private int maskKey;
    private long payloadLength;
    /** Bytes of extended length: 0, 2 or 8. */
    private int extendedLengthBytes;
    // Multi-byte field accumulator: value so far and bytes still to come.
    private long accumulator;
    private int accumulatorMissing;
    // Payload progress.
    private long payloadRemaining;
    private int keyOffset;

    /**
     * @param expectMasked    true for a server (client frames MUST be masked, §5.1), false for
     *                        a client (server frames MUST NOT be masked, §5.1)
     * @param maxFramePayload largest payload accepted; a larger declared length is
     *                        {@link ProtocolViolation#FRAME_TOO_BIG} (1009), detected from the
     *                        header before any payload byte is buffered
     * @throws IllegalArgumentException if {@code maxFramePayload} is negative
     */
    public FrameDecoder(boolean expectMasked, long maxFramePayload) {
        if (maxFramePayload < 0) {
            throw new IllegalArgumentException("maxFramePayload must be >= 0: " + maxFramePayload);
        }
        this.expectMasked = expectMasked;
        this.maxFramePayload = maxFramePayload;
    }

    /**
     * Allows the RSV bits an extension negotiated ({@link FrameHeader#RSV1} for
     * permessage-deflate). By default none is allowed: any RSV bit is a violation.
     *
     * @param rsvBits a combination of {@link FrameHeader#RSV1}, {@code RSV2}, {@code RSV3}
     */
    public void allowRsv(int rsvBits) {
        if ((rsvBits & ~0b111) != 0) {
            throw new IllegalArgumentException("rsvBits must be 0-7: " + rsvBits);
        }
        this.allowedRsv = rsvBits;
    }

    /** True when no frame is partly read. The runtime picks an idle or a mid-frame deadline by it. */
    public boolean isAtFrameBoundary() {
        return state == FIRST_BYTE;
    }

    /**
     * How many frames have had their first byte read. With {@link #isAtFrameBoundary()} the
     * runtime tells a frame that is still arriving from a new one that started, so its frame
     * deadline runs from each frame's first byte, not from the last read.
     */
    public long framesBegun() {
        return framesBegun;
    }

    /**
     * Decodes all of {@code in}: its position advances to its limit, and the sink gets
     * {@code onFrameStart onPayload* onFrameEnd} for every frame, partial frames continuing
     * on the next call. Payload bytes are unmasked in place inside {@code in} (so a buffer
     * with masked frames must be writable) and passed on as slices of it; a zero-length
     * payload gets no {@code onPayload} call.
     *
     * @throws ProtocolException on a framing violation, or as thrown by the sink; the decoder
     *                           is then finished. Other exceptions of the sink propagate
     *                           unchanged and finish the decoder too.
     */
    public void decode(ByteBuffer in, FrameSink sink) throws ProtocolException {
        if (state == FAILED) {
            in.position(in.limit());
            return;
        }
        try {
            run(in, sink);
        } catch (Throwable t) {
            state = FAILED;
            in.position(in.limit());
            throw t;
        }
    }

    private void run(ByteBuffer in, FrameSink sink) throws ProtocolException {
        while (true) {
            switch (state) {
                case FIRST_BYTE -> {
                    if (!in.hasRemaining()) {
                        return;
                    }
                    readFirstByte(in.get());
                }
                case SECOND_BYTE -> {
                    if (!in.hasRemaining()) {
                        return;
                    }
                    readSecondByte(in.get(), sink);
                }
                case EXTENDED_LENGTH -> {
                    if (!accumulate(in)) {
                        return;
                    }
                    lengthComplete(accumulator, sink);
                }
                case MASK_KEY -> {
                    if (!accumulate(in)) {
                        return;
                    }
                    maskKey = (int) accumulator;
                    headerComplete(sink);
                }
                case PAYLOAD -> {
                    if (!readPayload(in, sink)) {
                        return;
                    }
                }
                default -> throw new IllegalStateException("state " + state);
            }
        }
    }

    private void readFirstByte(byte value) throws ProtocolException {
        int b0 = value & 0xFF;
        fin = (b0 & B0_FIN) != 0;
        rsv = (b0 >>> B0_RSV_SHIFT) & 0b111;
        // §5.2: RSV1-3 MUST be 0 unless an extension is negotiated that defines meanings for them.
        if ((rsv & ~allowedRsv) != 0) {
            throw new ProtocolException(ProtocolViolation.RESERVED_BITS, "rsv=" + Integer.toBinaryString(rsv));
        }
        // §5.2: on an unknown opcode the receiving endpoint MUST _Fail the WebSocket Connection_.
        opcode = Opcode.of(b0 & B0_OPCODE);
        if (opcode == null) {
            throw new ProtocolException(ProtocolViolation.RESERVED_OPCODE, "opcode=0x" + Integer.toHexString(b0 & B0_OPCODE));
        }
        // §5.5: control frames MUST NOT be fragmented.
        if (opcode.isControl() && !fin) {
            throw new ProtocolException(ProtocolViolation.CONTROL_FRAME_FRAGMENTED, opcode.name());
        }
        framesBegun++;
        state = SECOND_BYTE;
    }

    private void readSecondByte(byte value, FrameSink sink) throws ProtocolException {
        int b1 = value & 0xFF;
        int length7 = b1 & B1_LENGTH;
        // §5.5: all control frames MUST have a payload length of 125 bytes or less.
        if (opcode.isControl() && length7 > FrameEncoder.MAX_7BIT_LENGTH) {
            throw new ProtocolException(ProtocolViolation.CONTROL_FRAME_TOO_LONG, opcode.name());
        }
        masked = (b1 & B1_MASK) != 0;
        // §5.1: a server MUST close the connection upon receiving a frame that is not masked,
        // and a client MUST close it upon receiving a masked frame.
        if (expectMasked && !masked) {
            throw new ProtocolException(ProtocolViolation.UNMASKED_CLIENT_FRAME);
        }
        if (!expectMasked && masked) {
            throw new ProtocolException(ProtocolViolation.MASKED_SERVER_FRAME);
        }
        extendedLengthBytes = length7 == FrameEncoder.LENGTH_16 ? 2 : length7 == FrameEncoder.LENGTH_64 ? 8 : 0;
        if (extendedLengthBytes == 0) {
            lengthComplete(length7, sink);
        } else {
            startAccumulating(extendedLengthBytes);
            state = EXTENDED_LENGTH;
        }
    }

    private void lengthComplete(long length, FrameSink sink) throws ProtocolException {
        // §5.2: the minimal number of bytes MUST be used to encode the length.
        if (extendedLengthBytes == 2 && length <= FrameEncoder.MAX_7BIT_LENGTH
                || extendedLengthBytes == 8 && length <= 0xFFFF) {
            throw new ProtocolException(ProtocolViolation.NON_MINIMAL_LENGTH, "length=" + length);
        }
        if (length > maxFramePayload) {
            throw new ProtocolException(ProtocolViolation.FRAME_TOO_BIG,
                    "length=" + length + ", limit=" + maxFramePayload);
        }
        payloadLength = length;
        if (masked) {
            startAccumulating(4);
            state = MASK_KEY;
        } else {
            maskKey = 0;
            headerComplete(sink);
        }
    }

    private void startAccumulating(int bytes) {
        accumulator = 0;
        accumulatorMissing = bytes;
    }

    /** Collects the bytes of a multi-byte field; true once it is complete. */
    private boolean accumulate(ByteBuffer in) throws ProtocolException {
        while (accumulatorMissing > 0) {
            if (!in.hasRemaining()) {
                return false;
            }
            int b = in.get() & 0xFF;
            // §5.2: the most significant bit of a 64-bit length MUST be 0. Known from its first byte.
            if (state == EXTENDED_LENGTH && accumulatorMissing == 8 && (b & 0x80) != 0) {
                throw new ProtocolException(ProtocolViolation.LENGTH_MSB_SET);
            }
            accumulator = accumulator << 8 | b;
            accumulatorMissing--;
        }
        return true;
    }

    private void headerComplete(FrameSink sink) throws ProtocolException {
        FrameHeader header = new FrameHeader(fin, rsv, opcode, masked, maskKey, payloadLength);
        payloadRemaining = payloadLength;
        keyOffset = 0;
        state = PAYLOAD;
        sink.onFrameStart(header);
    }

    /** Hands on the payload bytes available; true once the frame is complete. */
    private boolean readPayload(ByteBuffer in, FrameSink sink) throws ProtocolException {
        if (payloadRemaining > 0) {
            int n = (int) Math.min(payloadRemaining, in.remaining());
            if (n == 0) {
                return false;
            }
            int from = in.position();
            if (masked) {
                keyOffset = Masking.mask(in, from, from + n, maskKey, keyOffset);
            }
            ByteBuffer chunk = in.slice(from, n);
            in.position(from + n);
            payloadRemaining -= n;
            sink.onPayload(chunk);
            if (payloadRemaining > 0) {
                return false;
            }
        }
        state = FIRST_BYTE;
        sink.onFrameEnd();
        return true;
    }
}
