package dev.leanws.bench;

import dev.leanws.codec.Masking;
import java.nio.ByteBuffer;
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
 * {@link Masking#mask} alone, in place, on heap and direct buffers, against the byte-at-a-time
 * loop most libraries use ({@code byteLoop}). {@code :bytes} counts payload bytes masked.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MaskingBenchmark {

    @Param({"16", "1024", "65536"})
    int size;

    private ByteBuffer heap;
    private ByteBuffer direct;
    private byte[] array;
    private final int key = 0x37fa213d;

    @Setup
    public void setUp() {
        heap = ByteBuffer.allocate(size);
        direct = ByteBuffer.allocateDirect(size);
        array = new byte[size];
    }

    @Benchmark
    public int heapBuffer(ByteCounter counter) {
        counter.bytes += size;
        return Masking.mask(heap, 0, size, key, 1);
    }

    @Benchmark
    public int directBuffer(ByteCounter counter) {
        counter.bytes += size;
        return Masking.mask(direct, 0, size, key, 1);
    }

    /** The baseline: one byte per step, key byte chosen with {@code i & 3}. */
    @Benchmark
    public byte byteLoop(ByteCounter counter) {
        counter.bytes += size;
        byte[] a = array;
        int k = key;
        for (int i = 0; i < a.length; i++) {
            a[i] ^= (byte) (k >>> (24 - 8 * (i & 3)));
        }
        return a[0];
    }
}
