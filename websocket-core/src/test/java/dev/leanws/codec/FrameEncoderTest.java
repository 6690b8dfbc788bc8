package dev.leanws.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.leanws.testing.Hex;
import dev.leanws.testing.RawFrames;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameEncoderTest {

    static final int RFC_KEY = 0x37fa213d;

    static String encodeHex(FrameHeader header, byte[] payload) {
        return Hex.hex(FrameEncoder.encode(header, ByteBuffer.wrap(payload)));
    }

    // RFC 6455 §5.7 examples, byte for byte.

    @Test
    void rfcSingleFrameUnmaskedText() {
        assertEquals("810548656c6c6f", encodeHex(FrameHeader.unmasked(true, Opcode.TEXT, 5), "Hello".getBytes()));
    }

    @Test
    void rfcSingleFrameMaskedText() {
        assertEquals("818537fa213d7f9f4d5158",
                encodeHex(FrameHeader.masked(true, Opcode.TEXT, RFC_KEY, 5), "Hello".getBytes()));
    }

    @Test
    void rfcFragmentedUnmaskedText() {
        assertEquals("010348656c", encodeHex(FrameHeader.unmasked(false, Opcode.TEXT, 3), "Hel".getBytes()));
        assertEquals("80026c6f", encodeHex(FrameHeader.unmasked(true, Opcode.CONTINUATION, 2), "lo".getBytes()));
    }

    @Test
    void rfcUnmaskedPingAndMaskedPong() {
        assertEquals("890548656c6c6f", encodeHex(FrameHeader.unmasked(true, Opcode.PING, 5), "Hello".getBytes()));
        assertEquals("8a8537fa213d7f9f4d5158",
                encodeHex(FrameHeader.masked(true, Opcode.PONG, RFC_KEY, 5), "Hello".getBytes()));
    }

    @Test
    void rfc256ByteAnd64KiBBinaryHeaders() {
        byte[] small = new byte[256];
        new Random(1).nextBytes(small);
        assertEquals("827e0100" + Hex.hex(small), encodeHex(FrameHeader.unmasked(true, Opcode.BINARY, 256), small));
        byte[] large = new byte[65536];
        new Random(2).nextBytes(large);
        assertEquals("827f0000000000010000" + Hex.hex(large),
                encodeHex(FrameHeader.unmasked(true, Opcode.BINARY, 65536), large));
    }

    static LongStream boundaryLengths() {
        return LongStream.of(0, 1, 2, 3, 4, 5, 125, 126, 127, 128, 129, 65535, 65536, 65537, 65538, 65539);
    }

    @ParameterizedTest
    @MethodSource("boundaryLengths")
    void boundaryLengthsMatchHandMadeFramesWithAndWithoutMask(long length) {
        byte[] payload = new byte[(int) length];
        new Random(length).nextBytes(payload);
        for (boolean masked : new boolean[] {false, true}) {
            FrameHeader header = new FrameHeader(true, 0, Opcode.BINARY, masked, RFC_KEY, length);
            RawFrames.Builder raw = RawFrames.binary(payload);
            if (masked) {
                raw.masked(RFC_KEY);
            }
            String where = "length=" + length + " masked=" + masked;
            assertEquals(Hex.hex(raw.build()), encodeHex(header, payload), where);
            int expectedHeader = (length <= 125 ? 2 : length <= 65535 ? 4 : 10) + (masked ? 4 : 0);
            assertEquals(expectedHeader, FrameEncoder.headerLength(length, masked), where);
            assertEquals(expectedHeader, header.encodedLength(), where);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1L << 31, (1L << 31) + 1, 1L << 32, (1L << 32) + 5, Long.MAX_VALUE})
    void headersBeyondTwoGiBUseTheFull64BitLength(long length) {
        for (boolean masked : new boolean[] {false, true}) {
            ByteBuffer dst = ByteBuffer.allocate(14);
            FrameHeader header = new FrameHeader(true, 0, Opcode.BINARY, masked, RFC_KEY, length);
            FrameEncoder.writeHeader(dst, header);
            assertEquals(masked ? 14 : 10, dst.position());
            String expected = "82" + (masked ? "ff" : "7f") + String.format("%016x", length) + (masked ? "37fa213d" : "");
            assertEquals(expected, Hex.hex(dst.flip()), "length=" + length + " masked=" + masked);
        }
    }

    @Test
    void writesFinRsvAndOpcodeBits() {
        ByteBuffer dst = ByteBuffer.allocate(2);
        FrameEncoder.writeHeader(dst, new FrameHeader(false, FrameHeader.RSV1 | FrameHeader.RSV3, Opcode.TEXT, false, 0, 0));
        assertEquals("5100", Hex.hex(dst.flip()));
    }

    @Test
    void zeroKeyStillSetsTheMaskBitAndWritesTheKey() {
        assertEquals("828300000000010203", encodeHex(FrameHeader.masked(true, Opcode.BINARY, 0, 3), new byte[] {1, 2, 3}));
    }

    @Test
    void bigEndianWhateverTheDestinationOrder() {
        ByteBuffer dst = ByteBuffer.allocate(8 + 300).order(ByteOrder.LITTLE_ENDIAN);
        FrameEncoder.encodeInto(dst, FrameHeader.masked(true, Opcode.BINARY, 0x01020304, 300), ByteBuffer.allocate(300));
        assertEquals("82fe012c01020304", Hex.hex(dst.flip().limit(8)));
    }

    @Test
    void encodeIntoLeavesThePayloadAloneAndWorksOnDirectBuffers() {
        ByteBuffer payload = ByteBuffer.wrap("xxHelloyy".getBytes()).position(2).limit(7);
        ByteBuffer dst = ByteBuffer.allocateDirect(20).position(3);
        FrameEncoder.encodeInto(dst, FrameHeader.masked(true, Opcode.TEXT, RFC_KEY, 5), payload);
        assertEquals(14, dst.position());
        assertEquals(2, payload.position());
        assertEquals("Hello", new String(payload.array(), 2, 5));
        assertEquals("818537fa213d7f9f4d5158", Hex.hex(dst.flip().position(3)));
    }

    @Test
    void encodeReturnsAFlippedBuffer() {
        ByteBuffer frame = FrameEncoder.encode(FrameHeader.unmasked(true, Opcode.TEXT, 0), ByteBuffer.allocate(0));
        assertEquals(0, frame.position());
        assertEquals(2, frame.limit());
    }

    @Test
    void rejectsALengthThatDisagreesWithThePayload() {
        ByteBuffer payload = ByteBuffer.allocate(4);
        FrameHeader header = FrameHeader.unmasked(true, Opcode.BINARY, 5);
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.encode(header, payload));
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.encodeInto(ByteBuffer.allocate(20), header, payload));
    }

    @Test
    void refusesControlFramesTheRfcForbids() {
        ByteBuffer dst = ByteBuffer.allocate(200);
        assertThrows(IllegalArgumentException.class,
                () -> FrameEncoder.writeHeader(dst, FrameHeader.unmasked(false, Opcode.PING, 0)));
        assertThrows(IllegalArgumentException.class,
                () -> FrameEncoder.encode(FrameHeader.unmasked(true, Opcode.CLOSE, 126), ByteBuffer.allocate(126)));
        assertEquals(0, dst.position());
        FrameEncoder.encode(FrameHeader.unmasked(true, Opcode.PONG, 125), ByteBuffer.allocate(125)); // the largest allowed
    }

    @Test
    void overflowWritesNothing() {
        ByteBuffer dst = ByteBuffer.allocate(10);
        assertThrows(BufferOverflowException.class,
                () -> FrameEncoder.encodeInto(dst, FrameHeader.unmasked(true, Opcode.BINARY, 9), ByteBuffer.allocate(9)));
        assertThrows(BufferOverflowException.class,
                () -> FrameEncoder.writeHeader(dst.position(7), FrameHeader.masked(true, Opcode.BINARY, 1, 9)));
        assertEquals(7, dst.position());
        assertEquals("00000000000000000000", Hex.hex(dst.array()));
    }

    @Test
    void headerLengthRejectsNegativeLengths() {
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.headerLength(-1, false));
    }
}
