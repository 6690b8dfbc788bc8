package dev.leanws.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Ways to cut a byte stream into the pieces a socket might deliver, for "any split decodes the
 * same" tests (the JDK's {@code forEachBufferPartition} idea).
 */
public final class Splits {

    private Splits() {
    }

    /** Calls {@code action(head, tail)} for every split point 0..length (both ends included). */
    public static void forEachSplit(byte[] data, BiConsumer<byte[], byte[]> action) {
        for (int at = 0; at <= data.length; at++) {
            action.accept(Arrays.copyOfRange(data, 0, at), Arrays.copyOfRange(data, at, data.length));
        }
    }

    /**
     * A random partition of {@code data} into at most {@code maxParts} contiguous pieces (some
     * may be empty), deterministic for a given {@code random} state. Concatenated, they give
     * {@code data} back.
     */
    public static List<byte[]> randomPartition(byte[] data, Random random, int maxParts) {
        if (maxParts < 1) {
            throw new IllegalArgumentException("maxParts must be >= 1: " + maxParts);
        }
        int cuts = random.nextInt(maxParts);
        TreeSet<Integer> points = new TreeSet<>();
        for (int i = 0; i < cuts; i++) {
            points.add(random.nextInt(data.length + 1));
        }
        List<byte[]> parts = new ArrayList<>();
        int from = 0;
        for (int to : points) {
            parts.add(Arrays.copyOfRange(data, from, to));
            from = to;
        }
        parts.add(Arrays.copyOfRange(data, from, data.length));
        return parts;
    }

    /** {@code data} cut into single bytes. */
    public static List<byte[]> oneByteAtATime(byte[] data) {
        List<byte[]> parts = new ArrayList<>(data.length);
        for (byte b : data) {
            parts.add(new byte[] {b});
        }
        return parts;
    }

    /** The concatenation of several byte arrays. */
    public static byte[] concat(byte[]... parts) {
        return concat(Arrays.asList(parts));
    }

    /** The concatenation of several byte arrays. */
    public static byte[] concat(List<byte[]> parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
