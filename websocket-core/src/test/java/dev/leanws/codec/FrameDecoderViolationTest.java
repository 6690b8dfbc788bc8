package dev.leanws.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.leanws.testing.Hex;
import java.nio.ByteBuffer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One case per MUST of the framing layer: the exact violation, its close code, and the byte at
 * which it is detected when the input arrives one byte at a time (the rule is checked as soon
 * as the bytes that decide it are known).
 */
class FrameDecoderViolationTest {

    static final boolean SERVER = true;  // expects masked frames
    static final boolean CLIENT = false; // expects unmasked frames
    static final long MIB = 1 << 20;

    static Arguments violation(String name, boolean expectMasked, long limit, String hex,
                               ProtocolViolation violation, int closeCode, int failsAtByte) {
        return Arguments.of(name, expectMasked, limit, hex, violation, closeCode, failsAtByte);
    }

    static Stream<Arguments> violations() {
        return Stream.of(
                // §5.2 RSV1-3 MUST be 0 unless negotiated.
                violation("RSV1 without extension", CLIENT, MIB, "c1 00", ProtocolViolation.RESERVED_BITS, 1002, 0),
                violation("RSV2", CLIENT, MIB, "a1 00", ProtocolViolation.RESERVED_BITS, 1002, 0),
                violation("RSV3", SERVER, MIB, "92 80 00000000", ProtocolViolation.RESERVED_BITS, 1002, 0),
                violation("RSV3 on a ping", CLIENT, MIB, "99 00", ProtocolViolation.RESERVED_BITS, 1002, 0),
                // §5.2 reserved opcodes: fail the connection.
                violation("opcode 0x3", CLIENT, MIB, "83 00", ProtocolViolation.RESERVED_OPCODE, 1002, 0),
                violation("opcode 0x7", CLIENT, MIB, "87 00", ProtocolViolation.RESERVED_OPCODE, 1002, 0),
                violation("opcode 0xB", SERVER, MIB, "8b 80 00000000", ProtocolViolation.RESERVED_OPCODE, 1002, 0),
                violation("opcode 0xF", CLIENT, MIB, "8f 00", ProtocolViolation.RESERVED_OPCODE, 1002, 0),
                // §5.5 control frames MUST NOT be fragmented.
                violation("close without FIN", CLIENT, MIB, "08 00", ProtocolViolation.CONTROL_FRAME_FRAGMENTED, 1002, 0),
                violation("ping without FIN", SERVER, MIB, "09 80 00000000", ProtocolViolation.CONTROL_FRAME_FRAGMENTED, 1002, 0),
                violation("pong without FIN", CLIENT, MIB, "0a 00", ProtocolViolation.CONTROL_FRAME_FRAGMENTED, 1002, 0),
                // §5.5 control frames: payload of 125 bytes or less, known from the 7-bit length.
                violation("ping of 126 bytes", CLIENT, MIB, "89 7e 00 7e", ProtocolViolation.CONTROL_FRAME_TOO_LONG, 1002, 1),
                violation("close with 64-bit length", SERVER, MIB, "88 ff", ProtocolViolation.CONTROL_FRAME_TOO_LONG, 1002, 1),
                // §5.1 masking by role.
                violation("unmasked client frame", SERVER, MIB, "81 05 48656c6c6f", ProtocolViolation.UNMASKED_CLIENT_FRAME, 1002, 1),
                violation("unmasked empty client pong", SERVER, MIB, "8a 00", ProtocolViolation.UNMASKED_CLIENT_FRAME, 1002, 1),
                violation("masked server frame", CLIENT, MIB, "81 85 37fa213d 7f9f4d5158", ProtocolViolation.MASKED_SERVER_FRAME, 1002, 1),
                // §5.2 the most significant bit of a 64-bit length MUST be 0.
                violation("64-bit length MSB set", CLIENT, MIB, "82 7f 80 00 00 00 00 00 00 00", ProtocolViolation.LENGTH_MSB_SET, 1002, 2),
                violation("64-bit length -1", SERVER, Long.MAX_VALUE, "82 ff ff ff ff ff ff ff ff ff", ProtocolViolation.LENGTH_MSB_SET, 1002, 2),
                // §5.2 the minimal number of bytes MUST be used to encode the length.
                violation("16-bit length 125", CLIENT, MIB, "82 7e 00 7d", ProtocolViolation.NON_MINIMAL_LENGTH, 1002, 3),
                violation("16-bit length 0", SERVER, MIB, "82 fe 00 00", ProtocolViolation.NON_MINIMAL_LENGTH, 1002, 3),
                violation("64-bit length 65535", CLIENT, MIB, "82 7f 00 00 00 00 00 00 ff ff", ProtocolViolation.NON_MINIMAL_LENGTH, 1002, 9),
                violation("64-bit length 5", CLIENT, MIB, "82 7f 00 00 00 00 00 00 00 05", ProtocolViolation.NON_MINIMAL_LENGTH, 1002, 9),
                // Our limit (1009), from the header, before the mask key or any payload byte.
                violation("1 GiB frame, 1 MiB limit", SERVER, MIB, "82 ff 00 00 00 00 40 00 00 00", ProtocolViolation.FRAME_TOO_BIG, 1009, 9),
                violation("16-bit length over limit", CLIENT, 1000, "82 7e 03 e9", ProtocolViolation.FRAME_TOO_BIG, 1009, 3),
                violation("7-bit length over limit", CLIENT, 4, "82 05", ProtocolViolation.FRAME_TOO_BIG, 1009, 1),
                violation("2^63-1 frame", CLIENT, MIB, "82 7f 7f ff ff ff ff ff ff ff", ProtocolViolation.FRAME_TOO_BIG, 1009, 9),
                // The order of the checks when several rules are broken.
                violation("RSV before reserved opcode", CLIENT, MIB, "f3 00", ProtocolViolation.RESERVED_BITS, 1002, 0),
                violation("reserved opcode before FIN rule", CLIENT, MIB, "0b 00", ProtocolViolation.RESERVED_OPCODE, 1002, 0),
                violation("FIN rule before length rule", CLIENT, MIB, "09 7e", ProtocolViolation.CONTROL_FRAME_FRAGMENTED, 1002, 0),
                violation("control length before mask rule", SERVER, MIB, "89 7e", ProtocolViolation.CONTROL_FRAME_TOO_LONG, 1002, 1),
                violation("mask rule before MSB rule", SERVER, MIB, "82 7f 80", ProtocolViolation.UNMASKED_CLIENT_FRAME, 1002, 1),
                violation("MSB rule before size limit", CLIENT, 1, "82 7f ff", ProtocolViolation.LENGTH_MSB_SET, 1002, 2),
                violation("minimal length before size limit", CLIENT, 1, "82 7e 00 05", ProtocolViolation.NON_MINIMAL_LENGTH, 1002, 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void detectedAtTheByteThatDecidesIt(String name, boolean expectMasked, long limit, String hex,
                                        ProtocolViolation expected, int closeCode, int failsAtByte) {
        byte[] bytes = Hex.bytes(hex);
        FrameDecoder decoder = new FrameDecoder(expectMasked, limit);
        RecordingFrameSink sink = new RecordingFrameSink();
        for (int i = 0; i < bytes.length; i++) {
            try {
                decoder.decode(ByteBuffer.wrap(bytes, i, 1), sink);
            } catch (ProtocolException e) {
                assertEquals(expected, e.violation(), e.getMessage());
                assertEquals(closeCode, e.closeCode());
                assertEquals(failsAtByte, i, "detected at byte " + i);
                assertNull(sink.current(), "no frame may start");
                assertTrue(sink.frames().isEmpty());
                return;
            }
        }
        fail("no violation for " + hex);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void sameViolationWhenAllBytesComeAtOnce(String name, boolean expectMasked, long limit, String hex,
                                             ProtocolViolation expected, int closeCode, int failsAtByte) {
        FrameDecoder decoder = new FrameDecoder(expectMasked, limit);
        ByteBuffer in = Hex.buffer(hex);
        ProtocolException e = assertThrows(ProtocolException.class, () -> decoder.decode(in, new RecordingFrameSink()));
        assertEquals(expected, e.violation());
        assertFalse(in.hasRemaining(), "the failing call consumes its input");
    }

    static IntStream reservedOpcodes() {
        return IntStream.of(3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF);
    }

    @ParameterizedTest
    @MethodSource("reservedOpcodes")
    void everyReservedOpcodeIsAViolation(int opcode) {
        FrameDecoder decoder = new FrameDecoder(false, MIB);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> decoder.decode(ByteBuffer.wrap(new byte[] {(byte) (0x80 | opcode), 0}), new RecordingFrameSink()));
        assertEquals(ProtocolViolation.RESERVED_OPCODE, e.violation());
    }

    @Test
    void afterAViolationInputIsConsumedAndIgnored() throws ProtocolException {
        FrameDecoder decoder = new FrameDecoder(false, MIB);
        RecordingFrameSink sink = new RecordingFrameSink();
        assertThrows(ProtocolException.class, () -> decoder.decode(Hex.buffer("c1 00"), sink));
        ByteBuffer valid = Hex.buffer("81 05 48656c6c6f");
        decoder.decode(valid, sink);
        assertFalse(valid.hasRemaining());
        assertTrue(sink.frames().isEmpty());
        assertNull(sink.current());
        assertFalse(decoder.isAtFrameBoundary());
    }

    @Test
    void allowRsvAcceptsOnlyTheNegotiatedBits() throws ProtocolException {
        FrameDecoder decoder = new FrameDecoder(false, MIB);
        decoder.allowRsv(FrameHeader.RSV1);
        RecordingFrameSink sink = new RecordingFrameSink();
        decoder.decode(Hex.buffer("c1 02 0102"), sink);
        assertEquals(FrameHeader.RSV1, sink.frames().get(0).header().rsv());
        ProtocolException e = assertThrows(ProtocolException.class, () -> decoder.decode(Hex.buffer("e1 00"), sink));
        assertEquals(ProtocolViolation.RESERVED_BITS, e.violation());
        assertThrows(IllegalArgumentException.class, () -> new FrameDecoder(false, 1).allowRsv(8));
    }

    @Test
    void aFrameExactlyAtTheLimitPasses() throws ProtocolException {
        FrameDecoder decoder = new FrameDecoder(false, 5);
        RecordingFrameSink sink = new RecordingFrameSink();
        decoder.decode(Hex.buffer("82 05 0102030405"), sink);
        assertEquals(1, sink.frames().size());
    }

    @Test
    void aProtocolExceptionFromTheSinkPropagatesAndFinishesTheDecoder() {
        ProtocolException thrown = new ProtocolException(ProtocolViolation.POLICY, "sink says no");
        FrameDecoder decoder = new FrameDecoder(false, MIB);
        RecordingFrameSink sink = new RecordingFrameSink();
        FrameSink refusing = new FrameSink() {
            @Override
            public void onFrameStart(FrameHeader header) throws ProtocolException {
                throw thrown;
            }

            @Override
            public void onPayload(ByteBuffer chunk) {
            }

            @Override
            public void onFrameEnd() {
            }
        };
        ProtocolException e = assertThrows(ProtocolException.class, () -> decoder.decode(Hex.buffer("81 00"), refusing));
        assertEquals(thrown, e);
        assertFalse(decoder.isAtFrameBoundary());
        ByteBuffer more = Hex.buffer("81 00");
        assertDoesNotThrowProtocol(() -> decoder.decode(more, sink));
        assertFalse(more.hasRemaining());
        assertTrue(sink.frames().isEmpty());
    }

    @Test
    void otherSinkExceptionsPropagateUnchanged() {
        IllegalStateException thrown = new IllegalStateException("bug in the sink");
        FrameDecoder decoder = new FrameDecoder(false, MIB);
        FrameSink broken = new RecordingFrameSink() {
            @Override
            public void onPayload(ByteBuffer chunk) {
                throw thrown;
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> decoder.decode(Hex.buffer("82 01 00"), broken));
        assertEquals(thrown, e);
        assertFalse(decoder.isAtFrameBoundary());
    }

    interface Decoding {
        void run() throws ProtocolException;
    }

    static void assertDoesNotThrowProtocol(Decoding decoding) {
        try {
            decoding.run();
        } catch (ProtocolException e) {
            fail("a finished decoder must ignore input", e);
        }
    }
}
