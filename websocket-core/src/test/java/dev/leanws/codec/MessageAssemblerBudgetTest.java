package dev.leanws.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.leanws.testing.RawFrames;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Issue 11, F1: the message buffer is charged to a shared budget past a small allowance. */
class MessageAssemblerBudgetTest {

    private static final int UNCHARGED = 8 * 1024;

    /** A budget that counts what is held and refuses past {@code limit}. */
    private static final class Counting implements ByteBudget {
        final long limit;
        long used;

        Counting(long limit) {
            this.limit = limit;
        }

        @Override
        public boolean tryReserve(long bytes) {
            if (used + bytes > limit) {
                return false;
            }
            used += bytes;
            return true;
        }

        @Override
        public void release(long bytes) {
            used -= bytes;
            if (used < 0) {
                throw new AssertionError("released more than reserved");
            }
        }
    }

    private final FrameDecoder decoder = new FrameDecoder(false, Long.MAX_VALUE);
    private final RecordingMessageSink sink = new RecordingMessageSink();

    private void feed(MessageAssembler assembler, byte[] bytes) throws ProtocolException {
        decoder.decode(ByteBuffer.wrap(bytes), assembler);
    }

    @Test
    void smallMessagesAreNeverCharged() throws Exception {
        Counting budget = new Counting(0);   // refuses everything
        MessageAssembler assembler = new MessageAssembler(1 << 20, sink, budget, UNCHARGED);
        feed(assembler, RawFrames.binary(new byte[UNCHARGED]).build());
        feed(assembler, RawFrames.text("hello").fin(false).build());
        feed(assembler, RawFrames.continuation(true, "!".getBytes()).build());
        assertEquals(2, sink.events().size());
        assertEquals(0, budget.used);
    }

    @Test
    void growthIsChargedWhileTheMessageIsHeldAndGivenBackOnDelivery() throws Exception {
        Counting budget = new Counting(1 << 20);
        MessageAssembler assembler = new MessageAssembler(1 << 20, sink, budget, UNCHARGED);
        byte[] frame = RawFrames.binary(new byte[100_000]).build();
        feed(assembler, java.util.Arrays.copyOf(frame, 50_000));
        assertEquals(64 * 1024 - UNCHARGED, budget.used, "what the buffer holds past the allowance");
        feed(assembler, java.util.Arrays.copyOfRange(frame, 50_000, frame.length));
        assertEquals(1, sink.events().size());
        assertEquals(0, budget.used);
    }

    @Test
    void growthTheBudgetRefusesFailsWith1013BeforeAllocating() throws Exception {
        Counting budget = new Counting(200 * 1024);
        MessageAssembler assembler = new MessageAssembler(16 << 20, sink, budget, UNCHARGED);
        byte[] start = RawFrames.binary(new byte[300 * 1024]).declaredLength(4 << 20).build();
        ProtocolException e = assertThrows(ProtocolException.class, () -> feed(assembler, start));
        assertEquals(ProtocolViolation.MEMORY_BUDGET, e.violation());
        assertEquals(1013, e.closeStatus().code());
        // The header's eager 64 KiB fitted; growing to the 300 KiB that arrived did not.
        assertEquals(64 * 1024 - UNCHARGED, budget.used);
        assembler.discard();
        assertEquals(0, budget.used);
    }
}
