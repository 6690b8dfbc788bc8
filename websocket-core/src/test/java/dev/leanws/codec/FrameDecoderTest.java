package dev.leanws.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.testing.Allocations;
import dev.leanws.testing.Hex;
import dev.leanws.testing.RawFrames;
import dev.leanws.codec.RecordingFrameSink.Frame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameDecoderTest {

    static final int RFC_KEY = 0x37fa213d;

    static List<Frame> decode(boolean expectMasked, byte[] bytes) throws ProtocolException {
        FrameDecoder decoder = new FrameDecoder(expectMasked, Long.MAX_VALUE);
        RecordingFrameSink sink = new RecordingFrameSink();
        ByteBuffer in = ByteBuffer.wrap(bytes.clone());
        decoder.decode(in, sink);
        assertFalse(in.hasRemaining(), "decode consumes everything");
        assertTrue(decoder.isAtFrameBoundary(), "a whole frame leaves the decoder at a boundary");
        return sink.frames();
    }

    static Frame frame(FrameHeader header, String payloadHex) {
        return new Frame(header, Hex.bytes(payloadHex));
    }

    // RFC 6455 §5.7 examples.

    @Test
    void rfcSingleFrameUnmaskedText() throws ProtocolException {
        assertEquals(List.of(frame(FrameHeader.unmasked(true, Opcode.TEXT, 5), "48656c6c6f")),
                decode(false, Hex.bytes("81 05 48 65 6c 6c 6f")));
    }

    @Test
    void rfcSingleFrameMaskedText() throws ProtocolException {
        assertEquals(List.of(frame(FrameHeader.masked(true, Opcode.TEXT, RFC_KEY, 5), "48656c6c6f")),
                decode(true, Hex.bytes("81 85 37 fa 21 3d 7f 9f 4d 51 58")));
    }

    @Test
    void rfcFragmentedUnmaskedText() throws ProtocolException {
        assertEquals(List.of(frame(FrameHeader.unmasked(false, Opcode.TEXT, 3), "48656c"),
                        frame(FrameHeader.unmasked(true, Opcode.CONTINUATION, 2), "6c6f")),
                decode(false, Hex.bytes("01 03 48 65 6c 80 02 6c 6f")));
    }

    @Test
    void rfcUnmaskedPingAndMaskedPong() throws ProtocolException {
        assertEquals(List.of(frame(FrameHeader.unmasked(true, Opcode.PING, 5), "48656c6c6f")),
                decode(false, Hex.bytes("89 05 48 65 6c 6c 6f")));
        assertEquals(List.of(frame(FrameHeader.masked(true, Opcode.PONG, RFC_KEY, 5), "48656c6c6f")),
                decode(true, Hex.bytes("8a 85 37 fa 21 3d 7f 9f 4d 51 58")));
    }

    @Test
    void rfc256ByteAnd64KiBBinary() throws ProtocolException {
        byte[] small = new byte[256];
        new Random(3).nextBytes(small);
        List<Frame> frames = decode(false, RawFrames.stream(Hex.bytes("82 7e 01 00"), small));
        assertEquals(List.of(new Frame(FrameHeader.unmasked(true, Opcode.BINARY, 256), small)), frames);
        byte[] large = new byte[65536];
        new Random(4).nextBytes(large);
        frames = decode(false, RawFrames.stream(Hex.bytes("82 7f 00 00 00 00 00 01 00 00"), large));
        assertEquals(List.of(new Frame(FrameHeader.unmasked(true, Opcode.BINARY, 65536), large)), frames);
    }

    static LongStream boundaryLengths() {
        return LongStream.of(0, 1, 2, 3, 4, 5, 125, 126, 127, 128, 129, 65535, 65536, 65537, 65538, 65539);
    }

    @ParameterizedTest
    @MethodSource("boundaryLengths")
    void boundaryLengthsWithAndWithoutMask(long length) throws ProtocolException {
        byte[] payload = new byte[(int) length];
        new Random(length).nextBytes(payload);
        for (boolean masked : new boolean[] {false, true}) {
            RawFrames.Builder raw = RawFrames.binary(payload);
            if (masked) {
                raw.masked(RFC_KEY);
            }
            FrameHeader header = new FrameHeader(true, 0, Opcode.BINARY, masked, masked ? RFC_KEY : 0, length);
            assertEquals(List.of(new Frame(header, payload)), decode(masked, raw.build()), "masked=" + masked);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1L << 31, (1L << 31) + 1, (1L << 32) + 5, Long.MAX_VALUE})
    void headersBeyondTwoGiBAreReadWithoutAnyPayload(long length) throws ProtocolException {
        for (boolean masked : new boolean[] {false, true}) {
            RawFrames.Builder raw = RawFrames.frame().declaredLength(length);
            if (masked) {
                raw.masked(RFC_KEY);
            }
            FrameDecoder decoder = new FrameDecoder(masked, Long.MAX_VALUE);
            RecordingFrameSink sink = new RecordingFrameSink();
            decoder.decode(raw.buffer(), sink);
            assertEquals(new FrameHeader(true, 0, Opcode.BINARY, masked, masked ? RFC_KEY : 0, length), sink.current());
            assertFalse(decoder.isAtFrameBoundary());
            // The payload keeps flowing through as it arrives.
            decoder.decode(ByteBuffer.allocate(1000), sink);
            assertEquals(List.of(1000), sink.chunkSizes());
        }
    }

    @Test
    void aGigabyteHeaderFailsAfterTheHeaderBytesWithoutAllocating() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Allocations.supported(), "no per-thread allocation counter");
        byte[] header = RawFrames.frame().masked(RFC_KEY).declaredLength(1L << 30).build(); // 14 bytes, no payload
        assertEquals(14, header.length);
        feedOneByteAtATime(header); // warm up: class loading allocates too
        long before = Allocations.currentThread();
        ProtocolException e = feedOneByteAtATime(header);
        long allocated = Allocations.currentThread() - before;
        assertEquals(ProtocolViolation.FRAME_TOO_BIG, e.violation());
        assertEquals(1009, e.closeCode());
        assertTrue(allocated < 16 * 1024, "allocated " + allocated + " bytes");
    }

    /** Feeds a 1 MiB-limited server decoder and assembler one byte at a time; returns the violation. */
    private static ProtocolException feedOneByteAtATime(byte[] bytes) {
        FrameDecoder decoder = new FrameDecoder(true, 1 << 20);
        MessageAssembler assembler = new MessageAssembler(1 << 20, new RecordingMessageSink());
        return assertThrows(ProtocolException.class, () -> {
            for (int i = 0; i < bytes.length; i++) {
                decoder.decode(ByteBuffer.wrap(bytes, i, 1), assembler);
            }
        });
    }

    @Test
    void payloadIsUnmaskedInPlaceAndHandedOnAsSlicesOfTheInput() throws ProtocolException {
        byte[] wire = Hex.bytes("81 85 37 fa 21 3d 7f 9f 4d 51 58");
        ByteBuffer in = ByteBuffer.wrap(wire);
        List<ByteBuffer> chunks = new ArrayList<>();
        new FrameDecoder(true, 100).decode(in, new RecordingFrameSink() {
            @Override
            public void onPayload(ByteBuffer chunk) {
                chunks.add(chunk);
                super.onPayload(chunk.duplicate());
            }
        });
        assertEquals("Hello", new String(wire, 6, 5), "unmasked in place");
        assertEquals(1, chunks.size());
        assertSame(wire, chunks.get(0).array(), "a view of the input, not a copy");
        assertEquals(6, chunks.get(0).arrayOffset());
    }

    @Test
    void zeroLengthPayloadGetsNoPayloadCall() throws ProtocolException {
        RecordingFrameSink sink = new RecordingFrameSink();
        new FrameDecoder(false, 100).decode(Hex.buffer("89 00 81 00 82 00"), sink);
        assertEquals(3, sink.frames().size());
        assertTrue(sink.chunkSizes().isEmpty());
    }

    @Test
    void aZeroLengthFrameEndsAsSoonAsItsHeaderIsComplete() throws ProtocolException {
        FrameDecoder decoder = new FrameDecoder(true, 100);
        RecordingFrameSink sink = new RecordingFrameSink();
        decoder.decode(Hex.buffer("89 80 00 00"), sink);
        assertFalse(decoder.isAtFrameBoundary());
        decoder.decode(Hex.buffer("00 00"), sink);
        assertEquals(1, sink.frames().size(), "no further input needed");
        assertTrue(decoder.isAtFrameBoundary());
    }

    @Test
    void frameBoundaryTracksEveryPartOfAFrame() throws ProtocolException {
        byte[] wire = RawFrames.binary(new byte[300]).masked(5).build();
        FrameDecoder decoder = new FrameDecoder(true, 1000);
        RecordingFrameSink sink = new RecordingFrameSink();
        assertTrue(decoder.isAtFrameBoundary());
        for (int i = 0; i < wire.length; i++) {
            decoder.decode(ByteBuffer.wrap(wire, i, 1), sink);
            assertEquals(i == wire.length - 1, decoder.isAtFrameBoundary(), "after byte " + i);
        }
        assertEquals(1, sink.frames().size());
    }

    @Test
    void decodesFromDirectBuffersAndPartialInput() throws ProtocolException {
        byte[] payload = new byte[1000];
        new Random(9).nextBytes(payload);
        byte[] wire = RawFrames.binary(payload).masked(0xdeadbeef).build();
        ByteBuffer direct = ByteBuffer.allocateDirect(wire.length).put(wire).flip();
        FrameDecoder decoder = new FrameDecoder(true, 2000);
        RecordingFrameSink sink = new RecordingFrameSink();
        decoder.decode(direct.slice(0, 500), sink);
        decoder.decode(direct.slice(500, wire.length - 500), sink);
        assertArrayEquals(payload, sink.frames().get(0).payload());
        assertEquals(List.of(500 - 8, wire.length - 500), sink.chunkSizes());
    }

    @Test
    void rejectsANegativeLimit() {
        assertThrows(IllegalArgumentException.class, () -> new FrameDecoder(true, -1));
    }
}
