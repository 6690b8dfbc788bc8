package dev.leanws.bench;

import dev.leanws.codec.Utf8Validator;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
 * UTF-8 validation of a text payload of {@code size} bytes: pure ASCII, or mixed text (ASCII
 * words with Latin-1, Greek, CJK and emoji: 1- to 4-byte sequences). The JDK's strict
 * {@link CharsetDecoder} is the baseline ({@code jdkDecoder}, which also produces the chars).
 * {@code :bytes} counts bytes validated.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Utf8Benchmark {

    @Param({"ascii", "mixed"})
    String text;

    @Param({"1024", "65536"})
    int size;

    private ByteBuffer bytes;
    private final Utf8Validator validator = new Utf8Validator();
    private CharsetDecoder decoder;
    private CharBuffer chars;

    @Setup
    public void setUp() {
        String unit = text.equals("ascii")
                ? "The quick brown fox jumps over the lazy dog; 0123456789. "
                : "Grüße aus Köln, καλημέρα κόσμε, 你好世界 😀 and some ASCII. ";
        byte[] utf8 = unit.repeat(size / 8).getBytes(StandardCharsets.UTF_8);
        // Cut to size at a character boundary, so the input is valid.
        int end = size;
        while ((utf8[end] & 0xC0) == 0x80) {
            end--;
        }
        bytes = ByteBuffer.wrap(utf8, 0, end).slice();
        if (!Utf8Validator.isValid(utf8, 0, end)) {
            throw new IllegalStateException("benchmark input is not valid UTF-8");
        }
        decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        chars = CharBuffer.allocate(size);
    }

    @Benchmark
    public boolean validator(ByteCounter counter) {
        counter.bytes += bytes.remaining();
        validator.reset();
        return validator.feed(bytes) && validator.isComplete();
    }

    @Benchmark
    public boolean jdkDecoder(ByteCounter counter) {
        counter.bytes += bytes.remaining();
        decoder.reset();
        chars.clear();
        ByteBuffer in = bytes.duplicate();
        return !decoder.decode(in, chars, true).isError();
    }
}
