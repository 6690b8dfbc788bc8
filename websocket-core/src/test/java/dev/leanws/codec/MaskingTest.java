package dev.leanws.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.leanws.testing.Hex;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MaskingTest {

    /** How the buffer under test is made: heap, direct, either in little-endian order, or a heap slice with an array offset. */
    enum Kind {
        ARRAY(null),
        HEAP(ByteBuffer::allocate),
        HEAP_LITTLE_ENDIAN(n -> ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN)),
        HEAP_SLICE(n -> ByteBuffer.allocate(n + 3).position(3).slice()),
        DIRECT(ByteBuffer::allocateDirect),
        DIRECT_LITTLE_ENDIAN(n -> ByteBuffer.allocateDirect(n).order(ByteOrder.LITTLE_ENDIAN)),
        DIRECT_SLICE(n -> ByteBuffer.allocateDirect(n + 5).position(5).slice());

        final IntFunction<ByteBuffer> factory;

        Kind(IntFunction<ByteBuffer> factory) {
            this.factory = factory;
        }

        /** Masks a copy of {@code data} with this kind of storage and returns the result and the returned offset. */
        byte[] mask(byte[] data, int from, int to, int key, int keyOffset, int[] returned) {
            if (factory == null) {
                byte[] copy = data.clone();
                returned[0] = Masking.mask(copy, from, to, key, keyOffset);
                return copy;
            }
            ByteBuffer buf = factory.apply(data.length);
            buf.put(0, data);
            buf.position(1 % (data.length + 1)).limit(data.length); // position/limit must not matter
            int position = buf.position();
            returned[0] = Masking.mask(buf, from, to, key, keyOffset);
            assertEquals(position, buf.position(), "position moved");
            assertEquals(data.length, buf.limit(), "limit moved");
            byte[] out = new byte[data.length];
            buf.get(0, out);
            return out;
        }
    }

    /** The reference: one byte at a time, straight from RFC 6455 §5.3 (j = i MOD 4). */
    static byte[] reference(byte[] data, int from, int to, int key, int keyOffset) {
        byte[] out = data.clone();
        for (int i = from; i < to; i++) {
            int j = (keyOffset + i - from) % 4;
            out[i] ^= (byte) (key >>> (24 - 8 * j));
        }
        return out;
    }

    @Test
    void rfcExampleMaskedHello() {
        // RFC 6455 §5.7: "Hello" with key 37 fa 21 3d is 7f 9f 4d 51 58.
        byte[] hello = "Hello".getBytes();
        Masking.mask(hello, 0, 5, 0x37fa213d, 0);
        assertEquals("7f9f4d5158", Hex.hex(hello));
    }

    @Test
    void keyZeroLeavesBytesUnchanged() {
        byte[] data = Hex.bytes("00 01 02 03 04 05 06 07 08 09 0a");
        assertEquals(3, Masking.mask(data, 0, data.length, 0, 0));
        assertEquals("000102030405060708090a", Hex.hex(data));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void matchesReferenceAtRandomOffsetsLengthsAndKeyOffsets(Kind kind) {
        long seed = 0x5EED_0001L + kind.ordinal();
        Random random = new Random(seed);
        int[] returned = new int[1];
        for (int round = 0; round < 3000; round++) {
            int length = random.nextInt(round < 1000 ? 40 : 300);
            byte[] data = new byte[length];
            random.nextBytes(data);
            int from = random.nextInt(length + 1);
            int to = from + random.nextInt(length - from + 1);
            int key = random.nextInt();
            int keyOffset = random.nextInt(4);
            String where = "seed=" + seed + " round=" + round + " len=" + length + " [" + from + "," + to
                    + ") key=" + Integer.toHexString(key) + " keyOffset=" + keyOffset;
            byte[] masked = kind.mask(data, from, to, key, keyOffset, returned);
            // Same bytes as the reference, including untouched bytes outside [from, to).
            assertArrayEquals(reference(data, from, to, key, keyOffset), masked, where);
            assertEquals((keyOffset + to - from) & 3, returned[0], where);
            // Masking twice is the identity.
            assertArrayEquals(data, kind.mask(masked, from, to, key, keyOffset, returned), where);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void maskingInPiecesWithCarriedOffsetEqualsMaskingWhole(Kind kind) {
        long seed = 0x5EED_0002L + kind.ordinal();
        Random random = new Random(seed);
        int[] returned = new int[1];
        for (int round = 0; round < 300; round++) {
            byte[] data = new byte[random.nextInt(200)];
            random.nextBytes(data);
            int key = random.nextInt();
            byte[] pieces = data;
            int offset = 0;
            int at = 0;
            while (at < data.length) {
                int next = at + 1 + random.nextInt(Math.min(20, data.length - at));
                pieces = kind.mask(pieces, at, next, key, offset, returned);
                offset = returned[0];
                at = next;
            }
            assertArrayEquals(reference(data, 0, data.length, key, 0), pieces, "seed=" + seed + " round=" + round);
        }
    }

    @Test
    void rejectsBadArguments() {
        byte[] a = new byte[10];
        assertThrows(IndexOutOfBoundsException.class, () -> Masking.mask(a, 5, 11, 1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> Masking.mask(a, 6, 5, 1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> Masking.mask(a, -1, 5, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Masking.mask(a, 0, 5, 1, 4));
        assertThrows(IllegalArgumentException.class, () -> Masking.mask(a, 0, 5, 1, -1));
        ByteBuffer limited = ByteBuffer.allocateDirect(10).limit(6);
        assertThrows(IndexOutOfBoundsException.class, () -> Masking.mask(limited, 0, 7, 1, 0));
        ByteBuffer readOnly = ByteBuffer.allocate(10).asReadOnlyBuffer();
        assertThrows(ReadOnlyBufferException.class, () -> Masking.mask(readOnly, 0, 9, 1, 0));
    }
}
