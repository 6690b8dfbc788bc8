package dev.leanws.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Hand-made frames, valid or not, written byte by byte without the library's encoder (so tests
 * can use them as an independent oracle, and conformance tests can attack servers and clients
 * with frames the encoder refuses to produce).
 *
 * <pre>{@code
 * byte[] ping = RawFrames.frame().opcode(RawFrames.PING).payload("Hello").build();
 * byte[] evil = RawFrames.frame().fin(false).opcode(0x9).rsv(0b010).masked(0x37fa213d)
 *         .declaredLength(1 << 30).lengthEncoding(RawFrames.Length.BITS_64).build(); // header only
 * }</pre>
 *
 * Anything goes: any FIN, any RSV value 0-7, any opcode nibble (reserved ones included), the
 * MASK bit with or without actually masking the payload, any declared length (non-minimal
 * encodings, the 64-bit MSB set, lengths that disagree with the bytes that follow).
 */
public final class RawFrames {

    /** Opcodes (RFC 6455 §5.2), as the 4-bit values written on the wire. */
    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    /** How the payload length field is written. */
    public enum Length {
        /** The shortest form, as a conforming sender writes it. */
        MINIMAL,
        /** Just the 7-bit field (values 0-127; 126 and 127 produce a truncated header). */
        BITS_7,
        /** 126 and a 16-bit length (non-minimal for values below 126). */
        BITS_16,
        /** 127 and a 64-bit length written as is (non-minimal below 65536; negative sets the MSB). */
        BITS_64
    }

    private RawFrames() {
    }

    /** A builder for a final, unmasked, empty binary frame; change what you need. */
    public static Builder frame() {
        return new Builder();
    }

    /** A final unmasked text frame. */
    public static Builder text(String text) {
        return frame().opcode(TEXT).payload(text);
    }

    /** A final unmasked binary frame. */
    public static Builder binary(byte[] payload) {
        return frame().opcode(BINARY).payload(payload);
    }

    /** A continuation frame (FIN as given). */
    public static Builder continuation(boolean fin, byte[] payload) {
        return frame().opcode(CONTINUATION).fin(fin).payload(payload);
    }

    /** An unmasked close frame with a 2-byte code (written as its low 16 bits) and a UTF-8 reason. */
    public static Builder close(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + r.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(r, 0, payload, 2, r.length);
        return frame().opcode(CLOSE).payload(payload);
    }

    /** A final unmasked ping. */
    public static Builder ping(byte[] payload) {
        return frame().opcode(PING).payload(payload);
    }

    /** A final unmasked pong. */
    public static Builder pong(byte[] payload) {
        return frame().opcode(PONG).payload(payload);
    }

    /** Concatenates frames into one stream. */
    public static byte[] stream(byte[]... frames) {
        return Splits.concat(frames);
    }

    /** A frame under construction. */
    public static final class Builder {
        private boolean fin = true;
        private int rsv;
        private int opcode = BINARY;
        private boolean maskBit;
        private boolean maskPayload = true;
        private int maskKey;
        private byte[] payload = new byte[0];
        private Long declaredLength;
        private Length length = Length.MINIMAL;

        public Builder fin(boolean value) {
            fin = value;
            return this;
        }

        /** The three RSV bits as 0-7 (RSV1 = 4, RSV2 = 2, RSV3 = 1). */
        public Builder rsv(int value) {
            if ((value & ~7) != 0) {
                throw new IllegalArgumentException("rsv 0-7: " + value);
            }
            rsv = value;
            return this;
        }

        /** Any 4-bit opcode, reserved ones included. */
        public Builder opcode(int nibble) {
            if ((nibble & ~0xF) != 0) {
                throw new IllegalArgumentException("opcode 0-15: " + nibble);
            }
            opcode = nibble;
            return this;
        }

        /** Sets the MASK bit, writes {@code key} and masks the payload with it. */
        public Builder masked(int key) {
            maskBit = true;
            maskKey = key;
            return this;
        }

        /** Clears the MASK bit: no key, payload as is. */
        public Builder unmasked() {
            maskBit = false;
            return this;
        }

        /** Whether a masked frame's payload is really masked (false: key written, payload left clear). */
        public Builder maskPayload(boolean value) {
            maskPayload = value;
            return this;
        }

        public Builder payload(byte[] bytes) {
            payload = bytes.clone();
            return this;
        }

        /** The UTF-8 bytes of {@code text}. */
        public Builder payload(String text) {
            return payload(text.getBytes(StandardCharsets.UTF_8));
        }

        public Builder payloadHex(String hex) {
            return payload(Hex.bytes(hex));
        }

        /** The length to write in the header, whatever the payload's real size. */
        public Builder declaredLength(long value) {
            declaredLength = value;
            return this;
        }

        public Builder lengthEncoding(Length value) {
            length = value;
            return this;
        }

        /** The frame's bytes: header, then the payload (masked if asked). */
        public byte[] build() {
            ByteArrayOutputStream out = new ByteArrayOutputStream(14 + payload.length);
            out.write((fin ? 0x80 : 0) | rsv << 4 | opcode);
            long len = declaredLength != null ? declaredLength : payload.length;
            int maskBitValue = maskBit ? 0x80 : 0;
            Length form = length;
            if (form == Length.MINIMAL) {
                form = len >= 0 && len <= 125 ? Length.BITS_7 : len >= 0 && len <= 0xFFFF ? Length.BITS_16 : Length.BITS_64;
            }
            switch (form) {
                case BITS_7 -> {
                    if (len < 0 || len > 127) {
                        throw new IllegalArgumentException("7-bit length 0-127: " + len);
                    }
                    out.write(maskBitValue | (int) len);
                }
                case BITS_16 -> {
                    if (len < 0 || len > 0xFFFF) {
                        throw new IllegalArgumentException("16-bit length 0-65535: " + len);
                    }
                    out.write(maskBitValue | 126);
                    writeBigEndian(out, len, 2);
                }
                case BITS_64 -> {
                    out.write(maskBitValue | 127);
                    writeBigEndian(out, len, 8);
                }
                default -> throw new AssertionError(form);
            }
            byte[] body = payload.clone();
            if (maskBit) {
                writeBigEndian(out, maskKey, 4);
                if (maskPayload) {
                    for (int i = 0; i < body.length; i++) {
                        body[i] ^= (byte) (maskKey >>> (24 - 8 * (i & 3)));
                    }
                }
            }
            out.writeBytes(body);
            return out.toByteArray();
        }

        /** {@link #build()} as a heap buffer at position 0. */
        public ByteBuffer buffer() {
            return ByteBuffer.wrap(build());
        }

        private static void writeBigEndian(ByteArrayOutputStream out, long value, int bytes) {
            for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
                out.write((int) (value >>> shift) & 0xFF);
            }
        }
    }
}
