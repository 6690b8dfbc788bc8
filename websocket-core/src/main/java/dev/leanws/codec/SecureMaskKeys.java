package dev.leanws.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pool behind {@link MaskKeySource#secure()}.
 *
 * <p>Lock-free: the current block is an immutable array of random bytes plus an atomic cursor.
 * A thread claims a key with {@code getAndIncrement}, so no two callers ever get the same slot.
 * The thread that finds the block used up fills a new one and installs it with a CAS; threads
 * racing it may fill blocks of their own and lose the CAS, which only wastes random bytes.
 * No lock is held while {@code SecureRandom} runs: on Linux it may read {@code /dev/urandom},
 * and blocking inside a monitor would pin a virtual thread's carrier on Java 21.
 */
final class SecureMaskKeys implements MaskKeySource {

    static final SecureMaskKeys SHARED = new SecureMaskKeys(bulkRandom(), 8192);

    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final SecureRandom random;
    private final int blockBytes;
    private final AtomicReference<Block> current;

    SecureMaskKeys(SecureRandom random, int blockBytes) {
        if (blockBytes < 4 || (blockBytes & 3) != 0) {
            throw new IllegalArgumentException("blockBytes must be a positive multiple of 4: " + blockBytes);
        }
        this.random = random;
        this.blockBytes = blockBytes;
        this.current = new AtomicReference<>(newBlock());
    }

    /**
     * The JDK's DRBG (NIST SP 800-90A Hash_DRBG, seeded from the operating system). Filling a
     * block, it costs about 9 ns per key where Linux's default {@code NativePRNG}, which reads
     * {@code /dev/urandom} and mixes in SHA1PRNG output on every call, costs 40-100 ns. The
     * default {@code SecureRandom} is the fallback on a JDK without DRBG.
     */
    private static SecureRandom bulkRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    @Override
    public int nextKey() {
        while (true) {
            Block block = current.get();
            int slot = block.cursor.getAndIncrement();
            if (slot < block.keys) {
                return (int) INTS.get(block.bytes, slot << 2);
            }
            current.compareAndSet(block, newBlock());
        }
    }

    private Block newBlock() {
        byte[] bytes = new byte[blockBytes];
        random.nextBytes(bytes);
        return new Block(bytes);
    }

    private static final class Block {
        final byte[] bytes;
        final int keys;
        /** Next slot to hand out; may run past {@link #keys} while a refill is under way. */
        final AtomicInteger cursor = new AtomicInteger();

        Block(byte[] bytes) {
            this.bytes = bytes;
            this.keys = bytes.length >>> 2;
        }
    }
}
