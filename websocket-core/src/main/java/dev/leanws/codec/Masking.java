package dev.leanws.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The masking transform of RFC 6455 §5.3: byte {@code i} of a payload is XORed with byte
 * {@code i mod 4} of the 32-bit masking key. The transform is its own inverse, so the same
 * method masks (client side) and unmasks (server side), in place.
 *
 * <p>A payload often arrives in pieces. Each call says at which key byte it starts
 * ({@code keyOffset}, 0-3) and returns the key byte for the next piece, so a payload can be
 * unmasked chunk by chunk as the decoder hands it on, without ever being buffered whole.
 *
 * <p>Speed: the key is spread over a {@code long} and the payload is XORed eight bytes per
 * step through a native-order {@link VarHandle} view (unaligned plain access is allowed for
 * view handles); only the last 0-7 bytes go through a byte loop. The view is in native order,
 * so no byte swap happens per step, and the key long is built in the same order. The byte order
 * that a {@link ByteBuffer} object is set to plays no part: indexes are absolute and the views
 * ignore it.
 *
 * <p>A key of 0 is legal and leaves the bytes unchanged. It is not a "no mask" sentinel: the
 * MASK bit of such a frame is still set (the JDK client's {@code mask == 0} shortcut is the
 * kind of sentinel this library avoids).
 */
public final class Masking {

    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final VarHandle ARRAY_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, NATIVE);
    private static final VarHandle BUFFER_LONG = MethodHandles.byteBufferViewVarHandle(long[].class, NATIVE);

    private Masking() {
    }

    /**
     * XORs bytes {@code [from, to)} of {@code buf} in place with the 4-byte big-endian
     * {@code maskKey}, starting at key byte {@code keyOffset} (0-3). Indexes are absolute; the
     * buffer's position and limit are not touched. Works on heap and direct buffers.
     *
     * @return the key offset for the byte after {@code to}: {@code (keyOffset + (to - from)) & 3}
     * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= buf.limit()}
     * @throws IllegalArgumentException unless {@code 0 <= keyOffset <= 3}
     * @throws java.nio.ReadOnlyBufferException if the buffer is read-only and the range not empty
     */
    public static int mask(ByteBuffer buf, int from, int to, int maskKey, int keyOffset) {
        Objects.checkFromToIndex(from, to, buf.limit());
        checkKeyOffset(keyOffset);
        if (buf.hasArray()) {
            int base = buf.arrayOffset();
            return mask(buf.array(), base + from, base + to, maskKey, keyOffset);
        }
        if (from == to) {
            return keyOffset;
        }
        if (buf.isReadOnly()) {
            throw new java.nio.ReadOnlyBufferException();
        }
        int rotated = Integer.rotateLeft(maskKey, keyOffset << 3);
        long wide = wideKey(rotated);
        int i = from;
        for (int end = to - 7; i < end; i += 8) {
            BUFFER_LONG.set(buf, i, (long) BUFFER_LONG.get(buf, i) ^ wide);
        }
        // The 8-byte steps do not move the key offset (8 is a multiple of 4): byte i uses key
        // byte (i - from) & 3 of the rotated key.
        for (; i < to; i++) {
            buf.put(i, (byte) (buf.get(i) ^ (rotated >>> (24 - ((i - from) & 3) * 8))));
        }
        return (keyOffset + (to - from)) & 3;
    }

    /**
     * The same transform over {@code a[from, to)}.
     *
     * @return the key offset for the byte after {@code to}: {@code (keyOffset + (to - from)) & 3}
     * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= a.length}
     * @throws IllegalArgumentException unless {@code 0 <= keyOffset <= 3}
     */
    public static int mask(byte[] a, int from, int to, int maskKey, int keyOffset) {
        Objects.checkFromToIndex(from, to, a.length);
        checkKeyOffset(keyOffset);
        int rotated = Integer.rotateLeft(maskKey, keyOffset << 3);
        long wide = wideKey(rotated);
        int i = from;
        for (int end = to - 7; i < end; i += 8) {
            ARRAY_LONG.set(a, i, (long) ARRAY_LONG.get(a, i) ^ wide);
        }
        for (; i < to; i++) {
            a[i] ^= (byte) (rotated >>> (24 - ((i - from) & 3) * 8));
        }
        return (keyOffset + (to - from)) & 3;
    }

    /**
     * The rotated key repeated twice, laid out so that a native-order long read of 8 payload
     * bytes meets key byte 0, 1, 2, 3, 0, 1, 2, 3 in memory order.
     */
    private static long wideKey(int rotated) {
        long bigEndian = ((long) rotated << 32) | (rotated & 0xFFFF_FFFFL);
        return NATIVE == ByteOrder.BIG_ENDIAN ? bigEndian : Long.reverseBytes(bigEndian);
    }

    private static void checkKeyOffset(int keyOffset) {
        if ((keyOffset & ~3) != 0) {
            throw new IllegalArgumentException("keyOffset must be 0-3: " + keyOffset);
        }
    }
}
