package dev.leanws.testing;

import java.util.Arrays;

/**
 * A small, slow, independent raw DEFLATE decoder (RFC 1951) for tests: it decodes a stream
 * and records the farthest back any match reaches, so a test can prove that a compressor kept
 * to a window size ({@link java.util.zip.Inflater} accepts any distance up to 32 KiB and cannot
 * tell). History carries over between {@link #read} calls, as a permessage-deflate receiver's
 * window does with context takeover.
 */
public final class DeflateReader {

    private static final int[] LENGTH_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51,
            59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    private static final int[] LENGTH_EXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
            5, 5, 5, 5, 0};
    private static final int[] DIST_BASE = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513,
            769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    private static final int[] DIST_EXTRA = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10,
            11, 11, 12, 12, 13, 13};
    private static final int[] CL_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

    private byte[] out = new byte[1024];
    private int size;
    private int maxDistance;
    private byte[] in;
    private int pos;
    private int bit;

    /** The largest match distance seen so far. */
    public int maxDistance() {
        return maxDistance;
    }

    /** Forgets the history (the sender reset its context). */
    public void reset() {
        size = 0;
    }

    /**
     * Decodes blocks until the input ends at a block boundary (a message with {@code 00 00 ff ff}
     * appended ends with an empty stored block) or a final block.
     *
     * @return the bytes this call produced
     */
    public byte[] read(byte[] data) {
        in = data;
        pos = 0;
        bit = 0;
        int start = size;
        while (pos < in.length) {
            boolean last = bits(1) == 1;
            int type = bits(2);
            switch (type) {
                case 0 -> stored();
                case 1 -> codes(fixedLit(), fixedDist());
                case 2 -> dynamic();
                default -> throw new IllegalArgumentException("block type 3");
            }
            if (last) {
                break;
            }
        }
        return Arrays.copyOfRange(out, start, size);
    }

    private void write(byte b) {
        if (size == out.length) {
            out = Arrays.copyOf(out, size * 2);
        }
        out[size++] = b;
    }

    private int bits(int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            if (pos >= in.length) {
                throw new IllegalArgumentException("input ended inside a block");
            }
            v |= ((in[pos] >>> bit) & 1) << i;
            if (++bit == 8) {
                bit = 0;
                pos++;
            }
        }
        return v;
    }

    private void stored() {
        if (bit != 0) {
            bit = 0;
            pos++;
        }
        int len = (in[pos] & 0xFF) | (in[pos + 1] & 0xFF) << 8;
        int nlen = (in[pos + 2] & 0xFF) | (in[pos + 3] & 0xFF) << 8;
        if ((len ^ 0xFFFF) != nlen) {
            throw new IllegalArgumentException("stored block length check");
        }
        pos += 4;
        for (int i = 0; i < len; i++) {
            write(in[pos + i]);
        }
        pos += len;
    }

    /** A canonical Huffman code: counts per length and symbols in order. */
    private record Huffman(int[] counts, int[] symbols) {
        static Huffman of(int[] lengths) {
            int[] counts = new int[16];
            for (int l : lengths) {
                counts[l]++;
            }
            counts[0] = 0;
            int[] offs = new int[16];
            for (int i = 1; i < 16; i++) {
                offs[i] = offs[i - 1] + counts[i - 1];
            }
            int[] symbols = new int[lengths.length];
            for (int s = 0; s < lengths.length; s++) {
                if (lengths[s] != 0) {
                    symbols[offs[lengths[s]]++] = s;
                }
            }
            return new Huffman(counts, symbols);
        }
    }

    private int decode(Huffman h) {
        int code = 0;
        int first = 0;
        int index = 0;
        for (int len = 1; len < 16; len++) {
            code |= bits(1);
            int count = h.counts[len];
            if (code - count < first) {
                return h.symbols[index + (code - first)];
            }
            index += count;
            first += count;
            first <<= 1;
            code <<= 1;
        }
        throw new IllegalArgumentException("bad code");
    }

    private static Huffman fixedLit() {
        int[] l = new int[288];
        for (int i = 0; i < 288; i++) {
            l[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
        }
        return Huffman.of(l);
    }

    private static Huffman fixedDist() {
        int[] l = new int[30];
        Arrays.fill(l, 5);
        return Huffman.of(l);
    }

    private void dynamic() {
        int hlit = bits(5) + 257;
        int hdist = bits(5) + 1;
        int hclen = bits(4) + 4;
        int[] cl = new int[19];
        for (int i = 0; i < hclen; i++) {
            cl[CL_ORDER[i]] = bits(3);
        }
        Huffman clCode = Huffman.of(cl);
        int[] lengths = new int[hlit + hdist];
        int i = 0;
        while (i < hlit + hdist) {
            int sym = decode(clCode);
            if (sym < 16) {
                lengths[i++] = sym;
            } else {
                int repeat;
                int value = 0;
                if (sym == 16) {
                    value = lengths[i - 1];
                    repeat = 3 + bits(2);
                } else if (sym == 17) {
                    repeat = 3 + bits(3);
                } else {
                    repeat = 11 + bits(7);
                }
                while (repeat-- > 0) {
                    lengths[i++] = value;
                }
            }
        }
        codes(Huffman.of(Arrays.copyOf(lengths, hlit)),
                Huffman.of(Arrays.copyOfRange(lengths, hlit, hlit + hdist)));
    }

    private void codes(Huffman lit, Huffman dist) {
        while (true) {
            int sym = decode(lit);
            if (sym < 256) {
                write((byte) sym);
            } else if (sym == 256) {
                return;
            } else {
                sym -= 257;
                int len = LENGTH_BASE[sym] + bits(LENGTH_EXTRA[sym]);
                int d = decode(dist);
                int distance = DIST_BASE[d] + bits(DIST_EXTRA[d]);
                maxDistance = Math.max(maxDistance, distance);
                if (distance > size) {
                    throw new IllegalArgumentException("distance " + distance + " too far back");
                }
                for (int k = 0; k < len; k++) {
                    write(out[size - distance]);
                }
            }
        }
    }
}
