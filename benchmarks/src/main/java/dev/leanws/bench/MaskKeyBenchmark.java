package dev.leanws.bench;

import dev.leanws.codec.MaskKeySource;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of one masking key: the pooled {@link MaskKeySource#secure()} (amortised refills
 * of 8 KiB included) against a {@link SecureRandom#nextInt()} call per frame.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MaskKeyBenchmark {

    private final MaskKeySource pool = MaskKeySource.secure();
    private final SecureRandom random = new SecureRandom();

    @Benchmark
    public int pooledSecureKey() {
        return pool.nextKey();
    }

    @Benchmark
    public int secureRandomNextInt() {
        return random.nextInt();
    }
}
