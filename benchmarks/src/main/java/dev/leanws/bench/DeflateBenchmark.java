package dev.leanws.bench;

import dev.leanws.codec.MessageDeflater;
import dev.leanws.codec.MessageInflater;
import dev.leanws.codec.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * permessage-deflate on JSON-like text messages of {@code size} bytes (64 distinct messages in
 * turn, context takeover on, level 6), by window scheme:
 * <ul>
 *   <li>{@code w15}: the plain 32 KiB window of {@link java.util.zip.Deflater};</li>
 *   <li>{@code w9-bounded}: 512-byte window by chunks of 256 bytes with the previous 256 as
 *       preset dictionary (what leanws uses below 15 bits);</li>
 *   <li>{@code w9-huffman}: no matches at all (Huffman coding only), the other way to honour
 *       any window.</li>
 * </ul>
 * {@code :bytes} is the uncompressed bytes per second (MB/s = / 1e6); {@code :wire} the
 * compressed bytes per second, so {@code bytes / wire} is the compression ratio.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DeflateBenchmark {

    /** Uncompressed and compressed bytes, as rates. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long bytes;
        public long wire;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
            wire = 0;
        }
    }

    @Param({"w15", "w9-bounded", "w9-huffman"})
    String scheme;

    @Param({"1024", "65536"})
    int size;

    private static final int MESSAGES = 64;   // 64 KiB and more in turn: no message finds its own copy in a 32 KiB window
    private ByteBuffer[] messages;
    private ByteBuffer[] compressed;
    private MessageDeflater deflater;
    private MessageInflater inflater;
    private int next;
    private long sink;

    @Setup
    public void setUp() {
        Random random = new Random(11);
        messages = new ByteBuffer[MESSAGES];
        for (int m = 0; m < MESSAGES; m++) {
            StringBuilder sb = new StringBuilder();
            while (sb.length() < size) {
                sb.append("{\"id\":").append(random.nextInt(100_000)).append(",\"user\":\"user")
                        .append(random.nextInt(500)).append("\",\"price\":").append(random.nextInt(10_000) / 100.0)
                        .append(",\"tags\":[\"").append(random.nextBoolean() ? "new" : "sale").append("\"]}");
            }
            messages[m] = ByteBuffer.wrap(sb.substring(0, size).getBytes(StandardCharsets.US_ASCII));
        }
        deflater = newDeflater();
        MessageDeflater once = newDeflater();
        compressed = new ByteBuffer[MESSAGES];
        for (int m = 0; m < MESSAGES; m++) {
            compressed[m] = once.compress(messages[m]);
        }
        once.release();
        inflater = new MessageInflater(false);
    }

    private MessageDeflater newDeflater() {
        return switch (scheme) {
            case "w15" -> new MessageDeflater(6, 15, false);
            case "w9-bounded" -> new MessageDeflater(6, 9, false, MessageDeflater.SmallWindow.BOUNDED);
            case "w9-huffman" -> new MessageDeflater(6, 9, false, MessageDeflater.SmallWindow.HUFFMAN_ONLY);
            default -> throw new IllegalArgumentException(scheme);
        };
    }

    @TearDown
    public void tearDown() {
        deflater.release();
        inflater.release();
    }

    @Benchmark
    public ByteBuffer compress(Counters counters) {
        ByteBuffer message = messages[next++ & (MESSAGES - 1)];
        ByteBuffer out = deflater.compress(message);
        counters.bytes += message.remaining();
        counters.wire += out.remaining();
        return out;
    }

    /** Inflates the 64 messages in their order (each may refer to the ones before it). */
    @Benchmark
    public long inflate(Counters counters) throws ProtocolException {
        int i = next++ & (MESSAGES - 1);
        ByteBuffer in = compressed[i].duplicate();
        counters.wire += in.remaining();
        inflater.inflate(in, chunk -> sink += chunk.remaining());
        inflater.endMessage(chunk -> sink += chunk.remaining());
        counters.bytes += messages[i].remaining();
        return sink;
    }
}
