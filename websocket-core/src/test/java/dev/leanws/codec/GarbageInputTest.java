package dev.leanws.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.leanws.CloseStatus;
import dev.leanws.testing.Allocations;
import dev.leanws.codec.RecordingFrameSink.Frame;
import dev.leanws.testing.Splits;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random bytes and damaged valid conversations through decoder + assembler: nothing but a
 * {@link ProtocolException} may come out, and the memory the codec allocates stays within the
 * configured message limit plus a small constant per frame (measured with the per-thread
 * allocation counter). Failure messages name the seed and round.
 */
class GarbageInputTest {

    /** Counts without allocating, so the allocation counter sees only the codec. */
    static final class CountingSink implements MessageSink, FrameSink {
        final FrameSink next;
        long frames;
        long chunks;
        long messages;

        CountingSink(MessageAssembler next) {
            this.next = next;
        }

        CountingSink() {
            this.next = null;
        }

        @Override
        public void onFrameStart(FrameHeader header) throws ProtocolException {
            frames++;
            next.onFrameStart(header);
        }

        @Override
        public void onPayload(ByteBuffer chunk) throws ProtocolException {
            chunks++;
            next.onPayload(chunk);
        }

        @Override
        public void onFrameEnd() throws ProtocolException {
            next.onFrameEnd();
        }

        @Override
        public void onText(String text) {
            messages++;
        }

        @Override
        public void onBinary(ByteBuffer data) {
            messages++;
        }

        @Override
        public void onPing(ByteBuffer payload) {
            messages++;
        }

        @Override
        public void onPong(ByteBuffer payload) {
            messages++;
        }

        @Override
        public void onClose(CloseStatus status) {
            messages++;
        }
    }

    /** Garbage input and the role to decode it with. */
    record Input(byte[] bytes, boolean masked) {
    }

    static Input garbage(Random random) {
        boolean masked = random.nextBoolean();
        if (random.nextInt(3) == 0) {
            byte[] bytes = new byte[random.nextInt(3000)];
            random.nextBytes(bytes);
            if (random.nextBoolean() && bytes.length > 0) {
                bytes[0] = (byte) (bytes[0] & 0x8F); // no RSV bits: get past the first check more often
            }
            return new Input(bytes, masked);
        }
        // A valid conversation, then damaged: bytes changed, bits flipped, cut short, bytes inserted.
        byte[] stream = conversation(random, masked);
        int damage = random.nextInt(4);
        for (int i = 0; i < damage && stream.length > 0; i++) {
            int at = random.nextInt(stream.length);
            switch (random.nextInt(4)) {
                case 0 -> stream[at] = (byte) random.nextInt(256);
                case 1 -> stream[at] ^= (byte) (1 << random.nextInt(8));
                case 2 -> stream = java.util.Arrays.copyOf(stream, at);
                default -> {
                    byte[] longer = new byte[stream.length + 1];
                    System.arraycopy(stream, 0, longer, 0, at);
                    longer[at] = (byte) random.nextInt(256);
                    System.arraycopy(stream, at, longer, at + 1, stream.length - at);
                    stream = longer;
                }
            }
        }
        return new Input(stream, masked);
    }

    /** A valid stream of messages (some fragmented, with control frames between fragments). */
    static byte[] conversation(Random random, boolean masked) {
        List<byte[]> frames = new ArrayList<>();
        int messages = 1 + random.nextInt(8);
        for (int m = 0; m < messages; m++) {
            boolean text = random.nextBoolean();
            byte[] body = text
                    ? "héllo wörld κόσμε 😀 ".repeat(1 + random.nextInt(5)).getBytes(java.nio.charset.StandardCharsets.UTF_8)
                    : new byte[random.nextInt(300)];
            if (!text) {
                random.nextBytes(body);
            }
            int fragments = 1 + random.nextInt(3);
            int from = 0;
            for (int f = 0; f < fragments; f++) {
                int to = f == fragments - 1 ? body.length : from + random.nextInt(body.length - from + 1);
                Opcode opcode = f > 0 ? Opcode.CONTINUATION : text ? Opcode.TEXT : Opcode.BINARY;
                frames.add(frame(new FrameHeader(f == fragments - 1, 0, opcode, masked, random.nextInt(), to - from),
                        java.util.Arrays.copyOfRange(body, from, to)));
                from = to;
                if (random.nextInt(4) == 0) {
                    Opcode control = random.nextBoolean() ? Opcode.PING : Opcode.PONG;
                    frames.add(frame(new FrameHeader(true, 0, control, masked, random.nextInt(), 3), new byte[] {1, 2, 3}));
                }
            }
        }
        if (random.nextBoolean()) {
            byte[] close = new byte[] {0x03, (byte) 0xe8, 'o', 'k'};
            frames.add(frame(new FrameHeader(true, 0, Opcode.CLOSE, masked, random.nextInt(), 4), close));
        }
        return Splits.concat(frames);
    }

    static byte[] frame(FrameHeader header, byte[] payload) {
        return FramePropertyTest.encode(new Frame(header, payload));
    }

    @Test
    void garbageOnlyEverFailsWithAViolationAndStaysWithinTheLimits() {
        boolean measure = Allocations.supported();
        long seed = 0x6A4BA6EL;
        Random random = new Random(seed);
        int violations = 0;
        int messages = 0;
        for (int round = 0; round < 4000; round++) {
            Input input = garbage(random);
            List<byte[]> pieces = Splits.randomPartition(input.bytes(), random, 1 + random.nextInt(8));
            long maxMessage = 1 + random.nextInt(1024);
            boolean expectMasked = random.nextInt(10) == 0 ? !input.masked() : input.masked();
            long maxFrame = random.nextBoolean() ? Long.MAX_VALUE : 1 << 20;
            boolean rsv1 = random.nextInt(4) == 0;
            String where = "seed=" + seed + " round=" + round + " maxMessage=" + maxMessage;
            Run run = new Run(pieces, maxMessage, expectMasked, maxFrame, rsv1);
            if (run.failure != null) {
                fail(where + ": only ProtocolException may escape", run.failure);
            }
            if (run.violation != null) {
                violations++;
                assertTrue(List.of(1002, 1007, 1009).contains(run.violation.closeCode()), where + " " + run.violation);
            }
            messages += (int) run.messages;
            // What the codec may allocate: the message in progress (doubling growth, then the
            // exact final copy, then the String: under 4x the limit), plus a small constant per
            // frame header and payload chunk (FrameHeader, slice, control payload copy).
            long bound = 4 * maxMessage + 400 * (run.frames + run.chunks) + 4 * 1024;
            if (measure && run.allocated > bound) {
                // The first run of a code path also links string concatenations and loads
                // classes; what counts is what the same input costs again.
                Run again = new Run(pieces, maxMessage, expectMasked, maxFrame, rsv1);
                assertTrue(again.allocated <= bound, where + ": allocated " + again.allocated + " > " + bound);
            }
        }
        assertTrue(violations > 1000, "garbage should mostly be rejected: " + violations);
        assertTrue(messages > 500, "damaged streams should still deliver some messages: " + messages);
    }

    /** One pass of garbage through a fresh decoder and assembler, measured. */
    static final class Run {
        long allocated;
        long frames;
        long chunks;
        long messages;
        ProtocolException violation;
        Throwable failure;

        Run(List<byte[]> pieces, long maxMessage, boolean expectMasked, long maxFrame, boolean rsv1) {
            ByteBuffer[] buffers = new ByteBuffer[pieces.size()];
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = ByteBuffer.wrap(pieces.get(i).clone()); // the decoder unmasks in place
            }
            CountingSink messageSink = new CountingSink();
            CountingSink frameSink = new CountingSink(new MessageAssembler(maxMessage, messageSink));
            FrameDecoder decoder = new FrameDecoder(expectMasked, maxFrame);
            if (rsv1) {
                decoder.allowRsv(FrameHeader.RSV1);
            }
            long before = Allocations.currentThread();
            try {
                for (ByteBuffer buffer : buffers) {
                    decoder.decode(buffer, frameSink);
                }
            } catch (ProtocolException e) {
                violation = e;
            } catch (Throwable t) {
                failure = t;
            }
            allocated = Allocations.currentThread() - before;
            frames = frameSink.frames;
            chunks = frameSink.chunks;
            messages = messageSink.messages;
        }
    }
}
