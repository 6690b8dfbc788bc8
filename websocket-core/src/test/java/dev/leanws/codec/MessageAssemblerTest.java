package dev.leanws.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.testing.Hex;
import dev.leanws.testing.RawFrames;
import dev.leanws.testing.Splits;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessageAssemblerTest {

    /** A client-side decoder (unmasked frames) feeding an assembler. */
    static final class Pipeline {
        final RecordingMessageSink sink = new RecordingMessageSink();
        final MessageAssembler assembler;
        final FrameDecoder decoder = new FrameDecoder(false, Long.MAX_VALUE);

        Pipeline(long maxMessageSize) {
            assembler = new MessageAssembler(maxMessageSize, sink);
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

    static byte[] text(boolean fin, String s) {
        return RawFrames.text(s).fin(fin).build();
    }

    static byte[] textHex(boolean fin, String hex) {
        return RawFrames.frame().opcode(Opcode.TEXT.code()).fin(fin).payloadHex(hex).build();
    }

    static byte[] binary(boolean fin, String hex) {
        return RawFrames.frame().opcode(Opcode.BINARY.code()).fin(fin).payloadHex(hex).build();
    }

    static byte[] cont(boolean fin, String hex) {
        return RawFrames.continuation(fin, Hex.bytes(hex)).build();
    }

    static byte[] ping(String text) {
        return RawFrames.frame().opcode(Opcode.PING.code()).payload(text).build();
    }

    @Test
    void unfragmentedMessages() throws ProtocolException {
        Pipeline p = new Pipeline(1000).feed(text(true, "Hello"), binary(true, "010203"), text(true, ""), binary(true, ""));
        assertEquals(List.of("text:Hello", "binary:010203", "text:", "binary:"), p.events());
        assertFalse(p.assembler.isInsideMessage());
    }

    @Test
    void unfragmentedBinaryIsAllocatedOnceAtItsExactSize() throws ProtocolException {
        Pipeline p = new Pipeline(1 << 20).feed(binary(true, "00".repeat(5000)));
        ByteBuffer data = p.sink.binaries().get(0);
        assertEquals(5000, data.remaining());
        assertEquals(5000, data.capacity());
        assertEquals(0, data.position());
    }

    @Test
    void deliveredDataIsACopyNotAViewOfTheInput() throws ProtocolException {
        byte[] wire = binary(true, "0a0b0c");
        byte[] ping = RawFrames.frame().opcode(Opcode.PING.code()).payloadHex("0d").build();
        Pipeline p = new Pipeline(100).feed(wire, ping);
        java.util.Arrays.fill(wire, (byte) 0);
        java.util.Arrays.fill(ping, (byte) 0);
        assertEquals("0a0b0c", Hex.hex(p.sink.binaries().get(0)));
        assertEquals(List.of("binary:0a0b0c", "ping:0d"), p.events());
    }

    @Test
    void rfcFragmentedHello() throws ProtocolException {
        Pipeline p = new Pipeline(100).feed(Hex.bytes("01 03 48 65 6c"));
        assertTrue(p.assembler.isInsideMessage());
        assertEquals(List.of(), p.events());
        p.feed(Hex.bytes("80 02 6c 6f"));
        assertEquals(List.of("text:Hello"), p.events());
        assertFalse(p.assembler.isInsideMessage());
    }

    @Test
    void fragmentedBinaryWithEmptyFragments() throws ProtocolException {
        Pipeline p = new Pipeline(100).feed(binary(false, ""), cont(false, "0102"), cont(false, ""), cont(true, "03"));
        assertEquals(List.of("binary:010203"), p.events());
        assertEquals(0, p.sink.binaries().get(0).position());
    }

    @Test
    void controlFramesBetweenFragmentsAreDeliveredAtOnce() throws ProtocolException {
        Pipeline p = new Pipeline(100).feed(text(false, "Hel"));
        p.feed(ping("are you there"));
        assertEquals(List.of("ping:" + Hex.hex("are you there".getBytes())), p.events(), "delivered before the message ends");
        assertTrue(p.assembler.isInsideMessage());
        p.feed(RawFrames.frame().opcode(Opcode.PONG.code()).build(), cont(false, "6c"));
        p.feed(RawFrames.close(1001, "going").build());
        p.feed(cont(true, "6f"));
        assertEquals(List.of("ping:" + Hex.hex("are you there".getBytes()), "pong:", "close:1001:going", "text:Hello"), p.events());
    }

    @Test
    void controlFramesDoNotDisturbAUtf8SequenceSplitAcrossFragments() throws ProtocolException {
        Pipeline p = new Pipeline(100).feed(textHex(false, "41 c3"), ping(""), cont(true, "a9"));
        assertEquals(List.of("ping:", "text:Aé"), p.events());
    }

    @Test
    void continuationWithoutAStartedMessage() {
        ProtocolException e = new Pipeline(100).violation(cont(true, "01"));
        assertEquals(ProtocolViolation.CONTINUATION_WITHOUT_START, e.violation());
        assertEquals(1002, e.closeCode());
    }

    @Test
    void continuationAfterAFinishedMessage() {
        ProtocolException e = new Pipeline(100).violation(text(true, "done"), cont(true, "01"));
        assertEquals(ProtocolViolation.CONTINUATION_WITHOUT_START, e.violation());
    }

    @Test
    void newDataFrameInsideAFragmentedMessage() {
        for (byte[] intruder : new byte[][] {text(true, "x"), binary(true, "01"), binary(false, "01")}) {
            ProtocolException e = new Pipeline(100).violation(text(false, "Hel"), intruder);
            assertEquals(ProtocolViolation.DATA_FRAME_INSIDE_FRAGMENTED_MESSAGE, e.violation());
            assertEquals(1002, e.closeCode());
        }
    }

    @Test
    void closeFramesAreParsed() throws ProtocolException {
        assertEquals(List.of("close:1005:"), new Pipeline(100).feed(RawFrames.frame().opcode(Opcode.CLOSE.code()).build()).events());
        assertEquals(List.of("close:4000:ok"), new Pipeline(100).feed(RawFrames.close(4000, "ok").build()).events());
        ProtocolException oneByte = new Pipeline(100).violation(RawFrames.frame().opcode(Opcode.CLOSE.code()).payloadHex("03").build());
        assertEquals(ProtocolViolation.CLOSE_PAYLOAD_ONE_BYTE, oneByte.violation());
        ProtocolException badCode = new Pipeline(100).violation(RawFrames.close(1005, "").build());
        assertEquals(ProtocolViolation.INVALID_CLOSE_CODE, badCode.violation());
        ProtocolException badReason = new Pipeline(100).violation(
                RawFrames.frame().opcode(Opcode.CLOSE.code()).payloadHex("03e8 ff").build());
        assertEquals(ProtocolViolation.INVALID_CLOSE_REASON_UTF8, badReason.violation());
        assertEquals(1007, badReason.closeCode());
    }

    @Test
    void messageLimitExceededByTheThirdFragmentFailsAtThatFragmentsHeader() throws ProtocolException {
        Pipeline p = new Pipeline(10).feed(binary(false, "0102030405"), cont(false, "060708"));
        byte[] third = cont(true, "090a0b");
        // Only the header of the third fragment: 5 + 3 + 3 > 10.
        ProtocolException e = assertThrows(ProtocolException.class, () -> p.feed(java.util.Arrays.copyOf(third, 2)));
        assertEquals(ProtocolViolation.MESSAGE_TOO_BIG, e.violation());
        assertEquals(1009, e.closeCode());
        assertEquals(List.of(), p.events());
    }

    @Test
    void aHugeDeclaredFragmentFailsBeforeAnyAllocation() throws ProtocolException {
        Pipeline p = new Pipeline(1 << 20).feed(binary(false, "01"));
        byte[] header = RawFrames.frame().opcode(Opcode.CONTINUATION.code()).declaredLength(1L << 40).build();
        ProtocolException e = assertThrows(ProtocolException.class, () -> p.feed(header));
        assertEquals(ProtocolViolation.MESSAGE_TOO_BIG, e.violation());
    }

    @Test
    void aMessageExactlyAtTheLimitPasses() throws ProtocolException {
        Pipeline p = new Pipeline(6).feed(text(false, "abc"), cont(true, "646566"));
        assertEquals(List.of("text:abcdef"), p.events());
        Pipeline single = new Pipeline(3).feed(binary(true, "010203"));
        assertEquals(List.of("binary:010203"), single.events());
        ProtocolException e = new Pipeline(3).violation(binary(true, "01020304"));
        assertEquals(ProtocolViolation.MESSAGE_TOO_BIG, e.violation());
    }

    @Test
    void theLimitIsPerMessage() throws ProtocolException {
        Pipeline p = new Pipeline(4);
        for (int i = 0; i < 10; i++) {
            p.feed(binary(false, "0102"), cont(true, "0304"));
        }
        assertEquals(10, p.events().size());
    }

    @Test
    void controlFramesDoNotCountTowardsTheMessageLimit() throws ProtocolException {
        Pipeline p = new Pipeline(4).feed(binary(false, "0102"), ping("a long ping payload"), cont(true, "0304"));
        assertEquals("binary:01020304", p.events().get(1));
    }

    @Test
    void invalidUtf8InTheFirstOfThreeFragmentsFailsBeforeTheRestArrives() throws ProtocolException {
        byte[] first = textHex(false, "48 65 ff 6c");
        Pipeline p = new Pipeline(100);
        // Header and payload up to and including the bad byte: nothing else is needed to fail.
        p.feed(java.util.Arrays.copyOf(first, 4));
        ProtocolException e = assertThrows(ProtocolException.class, () -> p.feed(new byte[] {first[4]}));
        assertEquals(ProtocolViolation.INVALID_UTF8, e.violation());
        assertEquals(1007, e.closeCode());
    }

    @Test
    void invalidUtf8SpanningTwoFragmentsFailsInTheSecond() throws ProtocolException {
        Pipeline p = new Pipeline(100).feed(textHex(false, "41 ed"));
        ProtocolException e = assertThrows(ProtocolException.class, () -> p.feed(cont(false, "a0 80")));
        assertEquals(ProtocolViolation.INVALID_UTF8, e.violation());
    }

    @Test
    void textEndingInsideASequenceFailsAtTheEnd() throws ProtocolException {
        Pipeline p = new Pipeline(100).feed(textHex(false, "41 e2 82"));
        ProtocolException e = assertThrows(ProtocolException.class, () -> p.feed(cont(true, "")));
        assertEquals(ProtocolViolation.INVALID_UTF8, e.violation());
        ProtocolException single = new Pipeline(100).violation(textHex(true, "c3"));
        assertEquals(ProtocolViolation.INVALID_UTF8, single.violation());
    }

    @Test
    void binaryIsNotValidated() throws ProtocolException {
        assertEquals(List.of("binary:ffc0"), new Pipeline(100).feed(binary(true, "ff c0")).events());
    }

    @Test
    void textSplitAtEveryByteStillAssembles() throws ProtocolException {
        String text = "Grüße, κόσμε, 😀 and plain ASCII!";
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= utf8.length; split++) {
            Pipeline p = new Pipeline(100).feed(
                    RawFrames.frame().opcode(Opcode.TEXT.code()).fin(false).payload(java.util.Arrays.copyOf(utf8, split)).build(),
                    RawFrames.continuation(true, java.util.Arrays.copyOfRange(utf8, split, utf8.length)).build());
            assertEquals(List.of("text:" + text), p.events(), "split at " + split);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("dev.leanws.codec.Utf8ValidatorTest#table")
    void utf8TableAsATextMessageSplitIntoTwoFragmentsAtEveryByte(String name, String hex, int failsAt) throws ProtocolException {
        byte[] utf8 = Hex.bytes(hex);
        for (int split = 0; split <= utf8.length; split++) {
            byte[] first = RawFrames.frame().opcode(Opcode.TEXT.code()).fin(false).payload(java.util.Arrays.copyOf(utf8, split)).build();
            byte[] second = RawFrames.continuation(true, java.util.Arrays.copyOfRange(utf8, split, utf8.length)).build();
            Pipeline p = new Pipeline(100);
            if (failsAt == Utf8ValidatorTest.VALID) {
                p.feed(first, second);
                assertEquals(List.of("text:" + new String(utf8, StandardCharsets.UTF_8)), p.events(), "split at " + split);
                continue;
            }
            boolean failsInFirst = failsAt >= 0 && failsAt < split;
            if (failsInFirst) {
                assertEquals(ProtocolViolation.INVALID_UTF8, p.violation(first).violation(), "split at " + split);
            } else {
                p.feed(first);
                assertEquals(ProtocolViolation.INVALID_UTF8, p.violation(second).violation(), "split at " + split);
            }
            assertEquals(List.of(), p.events());
        }
    }

    @Test
    void manySmallFragmentsGrowTheBufferCorrectly() throws ProtocolException {
        long seed = 77;
        Random random = new Random(seed);
        for (int round = 0; round < 50; round++) {
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            Pipeline p = new Pipeline(100_000);
            int fragments = 1 + random.nextInt(40);
            for (int i = 0; i < fragments; i++) {
                byte[] part = new byte[random.nextInt(300)];
                random.nextBytes(part);
                expected.writeBytes(part);
                p.feed(RawFrames.frame().opcode((i == 0 ? Opcode.BINARY : Opcode.CONTINUATION).code())
                        .fin(i == fragments - 1).payload(part).build());
            }
            ByteBuffer got = p.sink.binaries().get(0);
            byte[] bytes = new byte[got.remaining()];
            got.get(bytes);
            assertArrayEquals(expected.toByteArray(), bytes, "seed=" + seed + " round=" + round);
        }
    }

    @Test
    void sinkExceptionsPropagateUnchanged() {
        ProtocolException refusal = new ProtocolException(ProtocolViolation.POLICY, "no pings please");
        MessageAssembler assembler = new MessageAssembler(100, new RecordingMessageSink() {
            @Override
            public void onPing(ByteBuffer payload) {
                throw new IllegalStateException("boom");
            }
        });
        FrameDecoder decoder = new FrameDecoder(false, 100);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> decoder.decode(ByteBuffer.wrap(ping("x")), assembler));
        assertEquals("boom", e.getMessage());
        MessageSink refusing = new RecordingMessageSink() {
            @Override
            public void onText(String text) throws ProtocolException {
                throw refusal;
            }
        };
        ProtocolException p = assertThrows(ProtocolException.class,
                () -> new FrameDecoder(false, 100).decode(ByteBuffer.wrap(text(true, "hi")), new MessageAssembler(100, refusing)));
        assertSame(refusal, p);
    }

    @Test
    void checksControlFrameRulesWhenNotFedByTheDecoder() {
        MessageAssembler assembler = new MessageAssembler(100, new RecordingMessageSink());
        ProtocolException fragmented = assertThrows(ProtocolException.class,
                () -> assembler.onFrameStart(FrameHeader.unmasked(false, Opcode.PING, 0)));
        assertEquals(ProtocolViolation.CONTROL_FRAME_FRAGMENTED, fragmented.violation());
        ProtocolException tooLong = assertThrows(ProtocolException.class,
                () -> assembler.onFrameStart(FrameHeader.unmasked(true, Opcode.CLOSE, 126)));
        assertEquals(ProtocolViolation.CONTROL_FRAME_TOO_LONG, tooLong.violation());
    }

    @Test
    void everySplitOfAConversationGivesTheSameEvents() throws ProtocolException {
        byte[] stream = Splits.concat(text(false, "Hel"), ping("p"), cont(true, "6c6f"), binary(true, "0102"),
                RawFrames.close(1000, "bye").build());
        List<String> expected = List.of("ping:70", "text:Hello", "binary:0102", "close:1000:bye");
        for (int at = 0; at <= stream.length; at++) {
            Pipeline p = new Pipeline(100).feed(java.util.Arrays.copyOf(stream, at), java.util.Arrays.copyOfRange(stream, at, stream.length));
            assertEquals(expected, p.events(), "split at " + at);
        }
    }

    @Test
    void rejectsANegativeLimit() {
        assertThrows(IllegalArgumentException.class, () -> new MessageAssembler(-1, new RecordingMessageSink()));
    }

    @Test
    void aHeaderAloneCommitsAtMost64KiBHowEverLongTheDeclaredMessage() throws ProtocolException {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.leanws.testing.Allocations.supported(), "no per-thread allocation counter");
        Pipeline p = new Pipeline(16L << 20);
        byte[] header = RawFrames.frame().opcode(Opcode.BINARY.code()).declaredLength(16L << 20).build();
        long before = dev.leanws.testing.Allocations.currentThread();
        p.feed(header, new byte[1000]);   // the header and 1000 payload bytes of a 16 MiB message
        long allocated = dev.leanws.testing.Allocations.currentThread() - before;
        org.junit.jupiter.api.Assertions.assertTrue(allocated < (64 << 10) + 8 * 1024,   // the README's promise, not the constant under test
                "allocated " + allocated + " bytes for a stalled 16 MiB message");
    }

    @Test
    void aLargeMessageGrowsToExactlyItsSize() throws ProtocolException {
        Pipeline p = new Pipeline(1L << 20);
        byte[] payload = new byte[300_000];
        new java.util.Random(7).nextBytes(payload);
        byte[] frame = RawFrames.frame().opcode(Opcode.BINARY.code()).payload(payload).build();
        // fed in uneven pieces, as reads deliver it
        for (int from = 0; from < frame.length; from += 7_777) {
            p.feed(java.util.Arrays.copyOfRange(frame, from, Math.min(frame.length, from + 7_777)));
        }
        org.junit.jupiter.api.Assertions.assertEquals(1, p.sink.binaries().size());
        ByteBuffer got = p.sink.binaries().get(0);
        org.junit.jupiter.api.Assertions.assertEquals(payload.length, got.array().length, "no slack in the array");
        org.junit.jupiter.api.Assertions.assertEquals(ByteBuffer.wrap(payload), got);
    }

    /** Autobahn 9.3.1 took 26 s: each 64-byte fragment grew the buffer by 64 bytes, copying it whole. */
    @Test
    void aMessageInManySmallFragmentsIsCopiedAConstantNumberOfTimes() throws ProtocolException {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.leanws.testing.Allocations.supported(), "no per-thread allocation counter");
        int size = 256 << 10;
        int fragment = 16;
        byte[][] frames = new byte[size / fragment][];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = RawFrames.frame().opcode(i == 0 ? Opcode.BINARY.code() : Opcode.CONTINUATION.code())
                    .fin(i == frames.length - 1).payload(new byte[fragment]).build();
        }
        byte[] stream = Splits.concat(frames);
        Pipeline p = new Pipeline(1L << 20);
        long before = dev.leanws.testing.Allocations.currentThread();
        p.feed(stream);
        long allocated = dev.leanws.testing.Allocations.currentThread() - before;
        assertTrue(allocated < 8L * size + 256L * frames.length, "allocated " + allocated + " bytes for a " + size + "-byte message");
        assertEquals(size, p.sink.binaries().get(0).array().length, "delivered without slack");
    }
}
