package dev.leanws.bench;

import dev.leanws.CloseStatus;
import dev.leanws.codec.FrameDecoder;
import dev.leanws.codec.FrameEncoder;
import dev.leanws.codec.FrameHeader;
import dev.leanws.codec.FrameSink;
import dev.leanws.codec.MessageAssembler;
import dev.leanws.codec.MessageSink;
import dev.leanws.codec.Opcode;
import dev.leanws.codec.ProtocolException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Server-side decoding of masked client frames: header parsing, checks, unmasking in place.
 * One operation decodes a 1 MiB buffer holding many frames of {@code payloadSize} bytes (at
 * least one frame). The buffer is decoded again on each call: unmasking is an XOR, so each
 * pass flips the payload between masked and clear and costs the same. {@code :bytes} counts
 * wire bytes (headers included).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FrameDecodeBenchmark {

    @Param({"16", "1024", "65536"})
    int payloadSize;

    private ByteBuffer stream;
    private FrameDecoder decoder;
    private CountingSink frameSink;
    private FrameDecoder assemblingDecoder;
    private MessageAssembler assembler;
    private DiscardingMessages messages;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        int frameSize = FrameEncoder.headerLength(payloadSize, true) + payloadSize;
        int frames = Math.max(1, (1 << 20) / frameSize);
        stream = ByteBuffer.allocate(frames * frameSize);
        byte[] payload = new byte[payloadSize];
        for (int i = 0; i < frames; i++) {
            random.nextBytes(payload);
            FrameHeader header = FrameHeader.masked(true, Opcode.BINARY, random.nextInt(), payloadSize);
            FrameEncoder.encodeInto(stream, header, ByteBuffer.wrap(payload));
        }
        stream.flip();
        decoder = new FrameDecoder(true, Long.MAX_VALUE);
        frameSink = new CountingSink();
        assemblingDecoder = new FrameDecoder(true, Long.MAX_VALUE);
        messages = new DiscardingMessages();
        assembler = new MessageAssembler(Long.MAX_VALUE, messages);
    }

    /** Frames only: decoder + unmasking, payload chunks counted. */
    @Benchmark
    public long decode(ByteCounter counter) throws ProtocolException {
        stream.clear();
        decoder.decode(stream, frameSink);
        counter.bytes += stream.capacity();
        return frameSink.payloadBytes;
    }

    /** Frames to messages: decoder + unmasking + MessageAssembler (one copy into a fresh array per message). */
    @Benchmark
    public long decodeAndAssemble(ByteCounter counter) throws ProtocolException {
        stream.clear();
        assemblingDecoder.decode(stream, assembler);
        counter.bytes += stream.capacity();
        return messages.bytes;
    }

    static final class CountingSink implements FrameSink {
        long payloadBytes;

        @Override
        public void onFrameStart(FrameHeader header) {
        }

        @Override
        public void onPayload(ByteBuffer chunk) {
            payloadBytes += chunk.remaining();
        }

        @Override
        public void onFrameEnd() {
        }
    }

    static final class DiscardingMessages implements MessageSink {
        long bytes;

        @Override
        public void onText(String text) {
            bytes += text.length();
        }

        @Override
        public void onBinary(ByteBuffer data) {
            bytes += data.remaining();
        }

        @Override
        public void onPing(ByteBuffer payload) {
        }

        @Override
        public void onPong(ByteBuffer payload) {
        }

        @Override
        public void onClose(CloseStatus status) {
        }
    }
}
