package dev.leanws.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.codec.FrameEncoder;
import dev.leanws.codec.FrameHeader;
import dev.leanws.codec.Opcode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** How queued frames are laid out in buffers: what a gathering write sends, and what it costs. */
class FrameBatchesTest {

    @Test
    void smallFramesShareOneBufferAndComeOutInOrder() {
        FrameBatches frames = new FrameBatches();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 10; i++) {
            ByteBuffer payload = ByteBuffer.wrap(("message " + i).getBytes());
            FrameHeader header = FrameHeader.unmasked(true, Opcode.TEXT, payload.remaining());
            assertEquals(header.encodedLength() + payload.remaining(), frames.add(header, payload.duplicate(), null));
            expected.writeBytes(bytes(FrameEncoder.encode(header, payload)));
        }
        assertEquals(1, frames.buffers());
        assertArrayEquals(expected.toByteArray(), drain(frames));
    }

    @Test
    void aLargeUnmaskedPayloadIsQueuedWithoutCopying() {
        FrameBatches frames = new FrameBatches();
        byte[] data = new byte[FrameBatches.SMALL_FRAME + 1];
        Arrays.fill(data, (byte) 7);
        ByteBuffer payload = ByteBuffer.wrap(data);
        frames.add(FrameHeader.unmasked(true, Opcode.BINARY, data.length), payload, null);
        ByteBuffer[] gather = new ByteBuffer[4];
        assertEquals(2, frames.takeInto(gather));
        assertEquals(4, gather[0].remaining());       // 2-byte header + 16-bit length
        assertSame(data, gather[1].array());
        assertEquals(data.length, payload.remaining(), "the caller's buffer position is left alone");
    }

    @Test
    void aLargeMaskedPayloadIsMaskedIntoACopyNotInPlace() {
        FrameBatches frames = new FrameBatches();
        byte[] data = new byte[FrameBatches.SMALL_FRAME + 1];
        FrameHeader header = FrameHeader.masked(true, Opcode.BINARY, 0x11223344, data.length);
        frames.add(header, ByteBuffer.wrap(data), null);
        ByteBuffer[] gather = new ByteBuffer[4];
        assertEquals(1, frames.takeInto(gather));
        assertNotSame(data, gather[0].array());
        assertArrayEquals(new byte[data.length], data, "the caller's bytes are not masked");
        assertArrayEquals(bytes(FrameEncoder.encode(header, ByteBuffer.wrap(new byte[data.length]))), bytes(gather[0]));
    }

    @Test
    void anEncodedFrameIsSharedNotConsumed() {
        FrameBatches frames = new FrameBatches();
        ByteBuffer shared = FrameEncoder.encode(FrameHeader.unmasked(true, Opcode.TEXT, 2), ByteBuffer.wrap("hi".getBytes()));
        int before = shared.remaining();
        assertEquals(before, frames.add(null, null, shared));
        drain(frames);
        assertEquals(before, shared.remaining(), "other connections still read the same bytes");
    }

    @Test
    void takeIntoStopsAtTheGatherArraysLengthAndKeepsTheRest() {
        FrameBatches frames = new FrameBatches();
        for (int i = 0; i < 5; i++) {   // each large frame is a header and a payload buffer
            frames.add(FrameHeader.unmasked(true, Opcode.BINARY, 2000), ByteBuffer.allocate(2000), null);
        }
        assertEquals(10, frames.buffers());
        assertEquals(3, frames.takeInto(new ByteBuffer[3]));
        assertEquals(7, frames.buffers());
        frames.clear();
        assertEquals(0, frames.buffers());
    }

    @Test
    void theNextBatchIsSizedAfterTheLastOne() {
        FrameBatches frames = new FrameBatches();
        ByteBuffer tiny = ByteBuffer.wrap(new byte[10]);
        frames.add(FrameHeader.unmasked(true, Opcode.BINARY, 10), tiny.duplicate(), null);
        ByteBuffer[] gather = new ByteBuffer[1];
        frames.takeInto(gather);
        assertEquals(FrameBatches.MIN_BATCH, gather[0].capacity());
        for (int i = 0; i < 40; i++) {   // 40 × 1026 bytes: batches grow to the maximum
            frames.add(FrameHeader.unmasked(true, Opcode.BINARY, 1000), ByteBuffer.allocate(1000), null);
        }
        drain(frames);
        frames.add(FrameHeader.unmasked(true, Opcode.BINARY, 10), tiny.duplicate(), null);
        frames.takeInto(gather);
        assertTrue(gather[0].capacity() > FrameBatches.MIN_BATCH && gather[0].capacity() <= FrameBatches.MAX_BATCH,
                "capacity " + gather[0].capacity());
    }

    private static byte[] drain(FrameBatches frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer[] gather = new ByteBuffer[8];
        for (int n; (n = frames.takeInto(gather)) > 0; ) {
            for (int i = 0; i < n; i++) {
                out.writeBytes(bytes(gather[i]));
            }
        }
        return out.toByteArray();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.duplicate().get(b);
        return b;
    }
}
