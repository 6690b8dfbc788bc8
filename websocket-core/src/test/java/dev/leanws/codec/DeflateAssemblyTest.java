package dev.leanws.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.testing.Allocations;
import dev.leanws.testing.Hex;
import dev.leanws.testing.RawFrames;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/**
 * Receiving permessage-deflate: RSV1 in context (RFC 7692 §6), compressed and uncompressed
 * messages side by side, fragmentation, context takeover or not, and the inflated size limit.
 */
class DeflateAssemblyTest {

    /** A client-side decoder with RSV1 allowed, feeding an assembler with an inflater. */
    static final class Pipeline {
        final RecordingMessageSink sink = new RecordingMessageSink();
        final MessageAssembler assembler;
        final FrameDecoder decoder = new FrameDecoder(false, Long.MAX_VALUE);

        Pipeline(long maxMessageSize, boolean peerNoContextTakeover) {
            assembler = new MessageAssembler(maxMessageSize, sink, new MessageInflater(peerNoContextTakeover));
            decoder.allowRsv(FrameHeader.RSV1);
        }

        Pipeline feed(byte[]... frames) throws ProtocolException {
            for (byte[] frame : frames) {
                decoder.decode(ByteBuffer.wrap(frame), assembler);
            }
            return this;
        }

        ProtocolException violation(byte[]... frames) {
            return assertThrows(ProtocolException.class, () -> feed(frames));
        }

        List<String> events() {
            return sink.events();
        }
    }

    static byte[] compress(MessageDeflater deflater, String text) {
        return MessageDeflaterTest.bytes(deflater.compress(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))));
    }

    static byte[] frame(Opcode opcode, boolean fin, int rsv, byte[] payload) {
        return RawFrames.frame().opcode(opcode.code()).fin(fin).rsv(rsv).payload(payload).build();
    }

    static final int RSV1 = FrameHeader.RSV1;

    @Test
    void rfcHelloCompressedAndUncompressedSideBySide() throws ProtocolException {
        Pipeline p = new Pipeline(1000, false);
        p.feed(Hex.bytes("c1 07 f2 48 cd c9 c9 07 00"),    // RFC 7692 §7.2.3.1
                RawFrames.text("plain").build(),            // RSV1 clear: not compressed (§6)
                Hex.bytes("c1 05 f2 00 11 00 00"));         // §7.2.3.2: "Hello" again, using the first
        assertEquals(List.of("text:Hello", "text:plain", "text:Hello"), p.events());
    }

    @Test
    void fragmentedCompressedMessageHasRsv1OnItsFirstFrameOnly() throws ProtocolException {
        byte[] c = compress(new MessageDeflater(6, 15, false), "fragmented ".repeat(50));
        int third = c.length / 3;
        Pipeline p = new Pipeline(10_000, false).feed(
                frame(Opcode.TEXT, false, RSV1, Arrays.copyOfRange(c, 0, third)),
                RawFrames.frame().opcode(Opcode.PING.code()).payload("x").build(),   // control frame in between
                frame(Opcode.CONTINUATION, false, 0, Arrays.copyOfRange(c, third, 2 * third)),
                frame(Opcode.CONTINUATION, true, 0, Arrays.copyOfRange(c, 2 * third, c.length)));
        assertEquals(List.of("ping:78", "text:" + "fragmented ".repeat(50)), p.events());
    }

    @Test
    void rsv1OnAContinuationFrameIs1002() {
        byte[] c = compress(new MessageDeflater(6, 15, false), "abcabcabc");
        ProtocolException e = new Pipeline(1000, false).violation(
                frame(Opcode.TEXT, false, RSV1, Arrays.copyOf(c, 2)),
                frame(Opcode.CONTINUATION, true, RSV1, Arrays.copyOfRange(c, 2, c.length)));
        assertEquals(ProtocolViolation.RSV1_ON_CONTINUATION, e.violation());
        assertEquals(1002, e.closeCode());
    }

    @Test
    void rsv1OnAControlFrameIs1002() {
        for (Opcode control : List.of(Opcode.PING, Opcode.PONG, Opcode.CLOSE)) {
            ProtocolException e = new Pipeline(1000, false).violation(frame(control, true, RSV1, new byte[0]));
            assertEquals(ProtocolViolation.RSV1_ON_CONTROL_FRAME, e.violation(), control.name());
            assertEquals(1002, e.closeCode());
        }
    }

    @Test
    void rsv1WithoutTheExtensionIs1002() {
        byte[] hello = Hex.bytes("c1 07 f2 48 cd c9 c9 07 00");
        // The decoder of a connection without permessage-deflate refuses it from the header...
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> new FrameDecoder(false, 1000).decode(ByteBuffer.wrap(hello), new MessageAssembler(1000, new RecordingMessageSink())));
        assertEquals(ProtocolViolation.RESERVED_BITS, e.violation());
        // ...and an assembler without an inflater does not rely on that.
        FrameDecoder lenient = new FrameDecoder(false, 1000);
        lenient.allowRsv(RSV1);
        e = assertThrows(ProtocolException.class,
                () -> lenient.decode(ByteBuffer.wrap(hello), new MessageAssembler(1000, new RecordingMessageSink())));
        assertEquals(ProtocolViolation.RESERVED_BITS, e.violation());
        assertEquals(1002, e.closeCode());
    }

    @Test
    void rsv2And3StayForbidden() {
        ProtocolException e = new Pipeline(1000, false).violation(frame(Opcode.TEXT, true, 0b010, new byte[] {0}));
        assertEquals(ProtocolViolation.RESERVED_BITS, e.violation());
    }

    @Test
    void invalidDeflateDataIs1007() {
        ProtocolException e = new Pipeline(1000, false).violation(frame(Opcode.BINARY, true, RSV1, Hex.bytes("ff ff ff ff")));
        assertEquals(ProtocolViolation.INVALID_COMPRESSED_DATA, e.violation());
        assertEquals(1007, e.closeCode());
    }

    @Test
    void invalidUtf8InsideACompressedTextIs1007() {
        Deflater d = new Deflater(6, true);
        d.setInput(Hex.bytes("48 65 c3 28"));
        byte[] out = new byte[64];
        int n = d.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        d.end();
        ProtocolException e = new Pipeline(1000, false).violation(frame(Opcode.TEXT, true, RSV1, Arrays.copyOf(out, n - 4)));
        assertEquals(ProtocolViolation.INVALID_UTF8, e.violation());
    }

    @Test
    void withoutPeerContextTakeoverAReferenceToAnEarlierMessageFails() throws ProtocolException {
        // The second RFC example refers to the first message's window: valid with takeover only.
        Pipeline p = new Pipeline(1000, true).feed(Hex.bytes("c1 07 f2 48 cd c9 c9 07 00"));
        ProtocolException e = p.violation(Hex.bytes("c1 05 f2 00 11 00 00"));
        assertEquals(ProtocolViolation.INVALID_COMPRESSED_DATA, e.violation());
    }

    @Test
    void emptyCompressedMessages() throws ProtocolException {
        Pipeline p = new Pipeline(1000, false).feed(
                frame(Opcode.TEXT, true, RSV1, new byte[] {0}),
                frame(Opcode.BINARY, true, RSV1, new byte[] {0}),
                frame(Opcode.BINARY, true, RSV1, new byte[0]));
        assertEquals(List.of("text:", "binary:", "binary:"), p.events());
    }

    @Test
    void aMessageEndingInAFinalBlockIsAccepted() throws ProtocolException {
        Deflater d = new Deflater(6, true);
        d.setInput("final".getBytes(StandardCharsets.US_ASCII));
        d.finish();
        byte[] out = new byte[64];
        int n = d.deflate(out);
        d.end();
        Pipeline p = new Pipeline(1000, false).feed(frame(Opcode.TEXT, true, RSV1, Arrays.copyOf(out, n)),
                Hex.bytes("c1 07 f2 48 cd c9 c9 07 00"));
        assertEquals(List.of("text:final", "text:Hello"), p.events());
    }

    @Test
    void inflatedSizeIsLimitedWhileInflating() {
        // ~1 MiB of DEFLATE that would inflate to 1 GiB, against a 1 MiB limit.
        byte[] bomb = zeros(1 << 30);
        assertTrue(bomb.length < 1_100_000, "bomb is " + bomb.length + " bytes");
        long limit = 1 << 20;
        Pipeline p = new Pipeline(limit, false);
        byte[] frame = frame(Opcode.BINARY, true, RSV1, bomb);
        long before = Allocations.currentThread();
        ProtocolException e = p.violation(frame);
        long allocated = Allocations.currentThread() - before;
        assertEquals(ProtocolViolation.MESSAGE_TOO_BIG, e.violation());
        assertEquals(1009, e.closeCode());
        if (Allocations.supported()) {
            // The message buffer doubles up to the limit (2x), plus one inflate chunk and change.
            assertTrue(allocated < 2 * limit + 4 * MessageInflater.CHUNK + 64 * 1024, "allocated " + allocated);
        }
    }

    @Test
    void inflatedBytesAreChargedToTheSharedBudget() {
        // A 16 MiB limit per message, but only 256 KiB left in the server-wide budget: the
        // bytes a small compressed message inflates to are what count, and past the budget it
        // is 1013 (try again later), before the message buffer grows.
        long[] reserved = {0};
        ByteBudget budget = new ByteBudget() {
            @Override
            public boolean tryReserve(long bytes) {
                if (reserved[0] + bytes > 256 * 1024) {
                    return false;
                }
                reserved[0] += bytes;
                return true;
            }

            @Override
            public void release(long bytes) {
                reserved[0] -= bytes;
            }
        };
        MessageAssembler assembler = new MessageAssembler(16 << 20, new RecordingMessageSink(), budget, 0,
                new MessageInflater(false));
        FrameDecoder decoder = new FrameDecoder(false, Long.MAX_VALUE);
        decoder.allowRsv(FrameHeader.RSV1);
        byte[] bomb = zeros(1 << 20);   // ~1 KiB inflating to 1 MiB
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> decoder.decode(ByteBuffer.wrap(frame(Opcode.BINARY, true, RSV1, bomb)), assembler));
        assertEquals(ProtocolViolation.MEMORY_BUDGET, e.violation());
        assertTrue(reserved[0] <= 256 * 1024, "reserved " + reserved[0]);
        assembler.discard();
        assertEquals(0, reserved[0], "given back when the connection ends");
    }

    @Test
    void aSmallBombStopsAfterAtMostOneChunkPastTheLimit() {
        // 1 KiB of DEFLATE inflating to about 1 MiB, against a 64 KiB limit: the sink sees the
        // limit crossed within one chunk.
        byte[] bomb = zeros(1 << 20);
        assertTrue(bomb.length <= 1100, "bomb is " + bomb.length + " bytes");
        long[] seen = {0};
        MessageInflater inflater = new MessageInflater(false);
        long limit = 64 * 1024;
        ProtocolException e = assertThrows(ProtocolException.class, () -> inflater.inflate(ByteBuffer.wrap(bomb), chunk -> {
            seen[0] += chunk.remaining();
            if (seen[0] > limit) {
                throw new ProtocolException(ProtocolViolation.MESSAGE_TOO_BIG);
            }
        }));
        assertEquals(ProtocolViolation.MESSAGE_TOO_BIG, e.violation());
        assertTrue(seen[0] <= limit + MessageInflater.CHUNK, "inflated " + seen[0]);
        inflater.release();
    }

    @Test
    void anIdleInflaterIsFreedOnlyWhenItHoldsNoContext() throws ProtocolException {
        byte[] hello = Hex.bytes("f2 48 cd c9 c9 07 00");
        MessageInflater.ChunkSink ignore = chunk -> { };
        MessageInflater keeps = new MessageInflater(false);
        keeps.inflate(ByteBuffer.wrap(hello), ignore);
        keeps.endMessage(ignore);
        assertTrue(!keeps.releaseIfIdle(System.nanoTime(), 0) && keeps.isAllocated(), "its window is the peer's context");
        keeps.release();

        MessageInflater resets = new MessageInflater(true);
        resets.inflate(ByteBuffer.wrap(hello), ignore);
        assertTrue(!resets.releaseIfIdle(System.nanoTime(), 0), "not in the middle of a message");
        resets.endMessage(ignore);
        assertTrue(!resets.releaseIfIdle(System.nanoTime(), 60_000_000_000L), "not idle long enough");
        assertTrue(resets.releaseIfIdle(System.nanoTime(), 0));
        assertTrue(!resets.isAllocated());
        StringBuilder again = new StringBuilder();
        resets.inflate(ByteBuffer.wrap(hello), chunk -> again.append(StandardCharsets.US_ASCII.decode(chunk)));
        resets.endMessage(ignore);
        assertEquals("Hello", again.toString());
        resets.release();
    }

    /**
     * Raw DEFLATE of {@code count} zero bytes, sync-flushed, tail removed. Past 16 MiB it
     * repeats the stream of 16 MiB: sync-flushed non-final blocks concatenate, and each copy
     * only refers to the zeros just before it.
     */
    static byte[] zeros(long count) {
        long piece = 16 << 20;
        if (count > piece && count % piece == 0) {
            byte[] one = MessageDeflaterTest.concat(zeros(piece), MessageDeflaterTest.TAIL);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (long i = 0; i < count / piece; i++) {
                all.write(one, 0, one.length);
            }
            byte[] bytes = all.toByteArray();
            return Arrays.copyOf(bytes, bytes.length - 4);
        }
        return deflateZeros(count);
    }

    private static byte[] deflateZeros(long count) {
        Deflater d = new Deflater(9, true);
        byte[] block = new byte[1 << 20];
        byte[] out = new byte[1 << 16];
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (long done = 0; done < count; done += block.length) {
            d.setInput(block, 0, (int) Math.min(block.length, count - done));
            while (!d.needsInput()) {
                all.write(out, 0, d.deflate(out));
            }
        }
        int n;
        while ((n = d.deflate(out, 0, out.length, Deflater.SYNC_FLUSH)) > 0) {
            all.write(out, 0, n);
            if (n < out.length) {
                break;
            }
        }
        d.end();
        byte[] bytes = all.toByteArray();
        return Arrays.copyOf(bytes, bytes.length - 4);
    }
}
