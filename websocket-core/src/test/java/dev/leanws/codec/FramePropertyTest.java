package dev.leanws.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.codec.RecordingFrameSink.Frame;
import dev.leanws.testing.Splits;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded property tests over random valid frames (garbage input is {@link GarbageInputTest}'s).
 * Every failure message names the seed and round, so a failure can be replayed.
 */
class FramePropertyTest {

    static final long[] EDGE_LENGTHS = {0, 1, 2, 3, 4, 5, 125, 126, 127, 128, 129, 65535, 65536, 65537};

    /** A random valid frame as a sending peer of the given role produces it. */
    static Frame randomFrame(Random random, boolean masked, int maxLength) {
        Opcode opcode = Opcode.values()[random.nextInt(Opcode.values().length)];
        boolean control = opcode.isControl();
        long length;
        int pick = random.nextInt(10);
        if (pick < 3) {
            length = EDGE_LENGTHS[random.nextInt(EDGE_LENGTHS.length)];
        } else if (pick < 9) {
            length = random.nextInt(200);
        } else {
            length = random.nextInt(maxLength + 1);
        }
        length = Math.min(length, control ? 125 : maxLength);
        byte[] payload = new byte[(int) length];
        random.nextBytes(payload);
        int key = random.nextInt(8) == 0 ? 0 : random.nextInt();
        FrameHeader header = new FrameHeader(control || random.nextBoolean(), random.nextInt(8), opcode,
                masked, masked ? key : 0, length);
        return new Frame(header, payload);
    }

    static byte[] encode(Frame frame) {
        ByteBuffer encoded = FrameEncoder.encode(frame.header(), ByteBuffer.wrap(frame.payload()));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        return bytes;
    }

    /** Decodes the pieces in order (each a fresh buffer) with a decoder that allows all RSV bits. */
    static List<Frame> decodePieces(boolean expectMasked, List<byte[]> pieces) throws ProtocolException {
        FrameDecoder decoder = new FrameDecoder(expectMasked, Long.MAX_VALUE);
        decoder.allowRsv(0b111);
        RecordingFrameSink sink = new RecordingFrameSink();
        for (byte[] piece : pieces) {
            ByteBuffer in = ByteBuffer.wrap(piece);
            decoder.decode(in, sink);
            assertEquals(0, in.remaining());
        }
        assertTrue(decoder.isAtFrameBoundary());
        return sink.frames();
    }

    @Test
    void decodeOfEncodeIsTheIdentity() throws ProtocolException {
        long seed = 0xDEC0DEL;
        Random random = new Random(seed);
        for (int round = 0; round < 3000; round++) {
            boolean masked = random.nextBoolean();
            Frame frame = randomFrame(random, masked, 70_000);
            List<Frame> decoded = decodePieces(masked, List.of(encode(frame)));
            assertEquals(List.of(frame), decoded, "seed=" + seed + " round=" + round);
        }
    }

    static List<Frame> randomFrames(Random random, boolean masked, int count, int maxLength) {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            frames.add(randomFrame(random, masked, maxLength));
        }
        return frames;
    }

    static byte[] encodeAll(List<Frame> frames) {
        List<byte[]> parts = new ArrayList<>();
        for (Frame frame : frames) {
            parts.add(encode(frame));
        }
        return Splits.concat(parts);
    }

    @Test
    void everySingleSplitPointDecodesTheSameFrames() throws ProtocolException {
        for (long seed = 1; seed <= 4; seed++) {
            Random random = new Random(seed);
            boolean masked = seed % 2 == 0;
            List<Frame> frames = randomFrames(random, masked, 25, 400);
            byte[] stream = encodeAll(frames);
            for (int at = 0; at <= stream.length; at++) {
                List<byte[]> pieces = List.of(java.util.Arrays.copyOf(stream, at),
                        java.util.Arrays.copyOfRange(stream, at, stream.length));
                assertEquals(frames, decodePieces(masked, pieces), "seed=" + seed + " split at " + at);
            }
        }
    }

    @Test
    void randomMultiSplitsDecodeTheSameFrames() throws ProtocolException {
        long seed = 0x5B117L;
        Random random = new Random(seed);
        for (int round = 0; round < 300; round++) {
            boolean masked = random.nextBoolean();
            List<Frame> frames = randomFrames(random, masked, 1 + random.nextInt(20), round % 10 == 0 ? 70_000 : 1000);
            byte[] stream = encodeAll(frames);
            List<byte[]> pieces = Splits.randomPartition(stream, random, 1 + random.nextInt(50));
            assertEquals(frames, decodePieces(masked, pieces), "seed=" + seed + " round=" + round);
        }
    }

    @Test
    void oneByteAtATimeDecodesTheSameFrames() throws ProtocolException {
        long seed = 0x1B17EL;
        Random random = new Random(seed);
        for (int round = 0; round < 20; round++) {
            boolean masked = random.nextBoolean();
            List<Frame> frames = randomFrames(random, masked, 30, 300);
            byte[] stream = encodeAll(frames);
            assertEquals(frames, decodePieces(masked, Splits.oneByteAtATime(stream)), "seed=" + seed + " round=" + round);
        }
    }
}
