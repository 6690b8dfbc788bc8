package dev.leanws.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class MaskKeySourceTest {

    /** A SecureRandom whose bytes count up, so every key a pool hands out is predictable and distinct. */
    static final class CountingRandom extends SecureRandom {
        int next;
        int fills;

        @Override
        public synchronized void nextBytes(byte[] bytes) {
            fills++;
            for (int i = 0; i < bytes.length; i += 4) {
                int value = next++;
                bytes[i] = (byte) (value >>> 24);
                bytes[i + 1] = (byte) (value >>> 16);
                bytes[i + 2] = (byte) (value >>> 8);
                bytes[i + 3] = (byte) value;
            }
        }
    }

    @Test
    void secureIsOneSharedSource() {
        assertSame(MaskKeySource.secure(), MaskKeySource.secure());
    }

    @Test
    void poolHandsOutEveryKeyOnceAndRefillsInBlocks() {
        CountingRandom random = new CountingRandom();
        SecureMaskKeys keys = new SecureMaskKeys(random, 16); // 4 keys per block
        List<Integer> drawn = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            drawn.add(keys.nextKey());
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), drawn);
        assertEquals(3, random.fills, "one fill up front, then one per 4 keys");
    }

    @Test
    void concurrentCallersNeverShareAKey() throws Exception {
        SecureMaskKeys keys = new SecureMaskKeys(new CountingRandom(), 64);
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        int threads = 8;
        int perThread = 20_000;
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            started.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    seen.add(keys.nextKey());
                }
            }));
        }
        for (Thread thread : started) {
            assertTrue(thread.join(java.time.Duration.ofSeconds(30)), "thread did not finish");
        }
        assertEquals(threads * perThread, seen.size(), "a key was handed out twice");
    }

    @Test
    void secureKeysLookRandom() {
        MaskKeySource source = MaskKeySource.secure();
        Set<Integer> keys = new HashSet<>();
        int ones = 0;
        int n = 10_000; // several blocks of 2048 keys
        for (int i = 0; i < n; i++) {
            int key = source.nextKey();
            keys.add(key);
            ones += Integer.bitCount(key);
        }
        assertTrue(keys.size() > n - 5, "too many repeated keys: " + (n - keys.size()));
        double meanBits = ones / (double) n;
        assertTrue(Math.abs(meanBits - 16) < 0.5, "mean set bits per key " + meanBits);
    }

    @Test
    void rejectsBlockSizesThatAreNotWholeKeys() {
        assertThrows(IllegalArgumentException.class, () -> new SecureMaskKeys(new SecureRandom(), 6));
        assertThrows(IllegalArgumentException.class, () -> new SecureMaskKeys(new SecureRandom(), 0));
    }
}
