package dev.leanws.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Strict, streaming UTF-8 validation (RFC 3629 §3-4, as RFC 6455 §8.1 requires for text
 * messages and close reasons).
 *
 * <p>Rejected: bytes 0xC0, 0xC1 and 0xF5-0xFF, overlong forms, the surrogates U+D800-U+DFFF,
 * code points above U+10FFFF, and continuation bytes where none is expected or a missing one
 * where one is. A sequence may be split across {@code feed} calls (fragments of one message);
 * validation fails at the first invalid byte, not at the end of the message, so a peer cannot
 * make us buffer megabytes of a message that is already known to be bad.
 *
 * <p>The validator is a deterministic automaton in the style of Bjoern Hoehrmann's decoder:
 * each byte falls in one of 12 classes, and a transition table maps (state, class) to the next
 * state. The restricted second bytes of RFC 3629 §4 (A0-BF after E0, 80-9F after ED, 90-BF
 * after F0, 80-8F after F4) are states of their own, which is how overlongs, surrogates and
 * values past U+10FFFF are refused without computing a code point. The table is then compiled
 * into one {@code long} per byte value holding the next state for every current state, 6 bits
 * each (a "shift DFA"): a step is {@code state = (ROW[b] >>> state) & 63}, so the chain from
 * one byte's state to the next is a shift and a mask instead of two dependent table loads.
 * While in the accepting state, ASCII runs are skipped 8 or 16 bytes at a time
 * ({@code (word & 0x8080808080808080L) == 0}).
 *
 * <pre>{@code
 * Utf8Validator utf8 = new Utf8Validator();
 * for (ByteBuffer fragment : fragments) {
 *     if (!utf8.feed(fragment)) throw new ProtocolException(ProtocolViolation.INVALID_UTF8);
 * }
 * if (!utf8.isComplete()) throw new ProtocolException(ProtocolViolation.INVALID_UTF8);
 * }</pre>
 *
 * Not thread-safe; one instance per message stream, {@link #reset()} between messages.
 */
public final class Utf8Validator {

    // Byte classes.
    private static final int ASCII = 0;         // 00-7F
    private static final int CONT_80_8F = 1;
    private static final int CONT_90_9F = 2;
    private static final int CONT_A0_BF = 3;
    private static final int LEAD_2 = 4;         // C2-DF
    private static final int LEAD_E0 = 5;        // E0: second byte A0-BF (no overlong)
    private static final int LEAD_3 = 6;         // E1-EC, EE-EF
    private static final int LEAD_ED = 7;        // ED: second byte 80-9F (no surrogate)
    private static final int LEAD_F0 = 8;        // F0: second byte 90-BF (no overlong)
    private static final int LEAD_4 = 9;         // F1-F3
    private static final int LEAD_F4 = 10;       // F4: second byte 80-8F (<= U+10FFFF)
    private static final int INVALID = 11;      // C0, C1, F5-FF
    private static final int CLASSES = 12;

    // States, as bit offsets into a row: 6 bits per state, 9 states.
    private static final int BITS = 6;
    private static final int ACCEPT = 0;
    private static final int REJECT = 1 * BITS;
    private static final int NEED_1 = 2 * BITS;      // one more 80-BF
    private static final int NEED_2 = 3 * BITS;      // two more 80-BF
    private static final int NEED_3 = 4 * BITS;      // three more 80-BF
    private static final int AFTER_E0 = 5 * BITS;    // A0-BF, then one more
    private static final int AFTER_ED = 6 * BITS;    // 80-9F, then one more
    private static final int AFTER_F0 = 7 * BITS;    // 90-BF, then two more
    private static final int AFTER_F4 = 8 * BITS;    // 80-8F, then two more
    private static final int STATES = 9;

    /** ROW[b] >>> state & 63 is the state after byte b. */
    private static final long[] ROW = new long[256];

    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;
    private static final VarHandle ARRAY_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BUFFER_LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    static {
        int[] classOf = new int[256];
        classes(classOf, 0x00, 0x7F, ASCII);
        classes(classOf, 0x80, 0x8F, CONT_80_8F);
        classes(classOf, 0x90, 0x9F, CONT_90_9F);
        classes(classOf, 0xA0, 0xBF, CONT_A0_BF);
        classes(classOf, 0xC0, 0xC1, INVALID);
        classes(classOf, 0xC2, 0xDF, LEAD_2);
        classes(classOf, 0xE0, 0xE0, LEAD_E0);
        classes(classOf, 0xE1, 0xEC, LEAD_3);
        classes(classOf, 0xED, 0xED, LEAD_ED);
        classes(classOf, 0xEE, 0xEF, LEAD_3);
        classes(classOf, 0xF0, 0xF0, LEAD_F0);
        classes(classOf, 0xF1, 0xF3, LEAD_4);
        classes(classOf, 0xF4, 0xF4, LEAD_F4);
        classes(classOf, 0xF5, 0xFF, INVALID);

        int[][] next = new int[STATES][CLASSES];
        for (int[] row : next) {
            java.util.Arrays.fill(row, REJECT); // everything not listed below, and all of REJECT's row
        }
        go(next, ACCEPT, ASCII, ACCEPT);
        go(next, ACCEPT, LEAD_2, NEED_1);
        go(next, ACCEPT, LEAD_E0, AFTER_E0);
        go(next, ACCEPT, LEAD_3, NEED_2);
        go(next, ACCEPT, LEAD_ED, AFTER_ED);
        go(next, ACCEPT, LEAD_F0, AFTER_F0);
        go(next, ACCEPT, LEAD_4, NEED_3);
        go(next, ACCEPT, LEAD_F4, AFTER_F4);
        for (int c : new int[] {CONT_80_8F, CONT_90_9F, CONT_A0_BF}) {
            go(next, NEED_1, c, ACCEPT);
            go(next, NEED_2, c, NEED_1);
            go(next, NEED_3, c, NEED_2);
        }
        go(next, AFTER_E0, CONT_A0_BF, NEED_1);
        go(next, AFTER_ED, CONT_80_8F, NEED_1);
        go(next, AFTER_ED, CONT_90_9F, NEED_1);
        go(next, AFTER_F0, CONT_90_9F, NEED_2);
        go(next, AFTER_F0, CONT_A0_BF, NEED_2);
        go(next, AFTER_F4, CONT_80_8F, NEED_2);

        for (int b = 0; b < 256; b++) {
            long row = 0;
            for (int state = 0; state < STATES; state++) {
                row |= (long) next[state][classOf[b]] << (state * BITS);
            }
            ROW[b] = row;
        }
    }

    private static void classes(int[] classOf, int from, int to, int byteClass) {
        for (int b = from; b <= to; b++) {
            classOf[b] = byteClass;
        }
    }

    private static void go(int[][] next, int state, int byteClass, int nextState) {
        next[state / BITS][byteClass] = nextState;
    }

    private int state = ACCEPT;

    /**
     * Validates the bytes between {@code chunk}'s position and limit; the position does not move.
     *
     * @return false as soon as an invalid byte is seen, and on every call after that
     */
    public boolean feed(ByteBuffer chunk) {
        if (chunk.hasArray()) {
            int base = chunk.arrayOffset();
            return feed(chunk.array(), base + chunk.position(), base + chunk.limit());
        }
        int s = state;
        int i = chunk.position();
        int to = chunk.limit();
        while (i < to) {
            if (s == ACCEPT) {
                if (chunk.get(i) >= 0) {
                    i = skipAscii(chunk, i + 1, to);
                    continue;
                }
            } else if (s == REJECT) {
                break;
            }
            // A multi-byte character: step until it ends (ACCEPT), fails (REJECT) or the input does.
            do {
                s = (int) (ROW[chunk.get(i++) & 0xFF] >>> s) & 63;
            } while (s > REJECT && i < to);
        }
        state = s;
        return s != REJECT;
    }

    /**
     * Validates {@code a[from, to)}.
     *
     * @return false as soon as an invalid byte is seen, and on every call after that
     */
    public boolean feed(byte[] a, int from, int to) {
        Objects.checkFromToIndex(from, to, a.length);
        int s = state;
        int i = from;
        while (i < to) {
            if (s == ACCEPT) {
                if (a[i] >= 0) {
                    i = skipAscii(a, i + 1, to);
                    continue;
                }
            } else if (s == REJECT) {
                break;
            }
            // A multi-byte character: step until it ends (ACCEPT), fails (REJECT) or the input does.
            // Every state but these two is inside a character, and they are the two lowest.
            do {
                s = (int) (ROW[a[i++] & 0xFF] >>> s) & 63;
            } while (s > REJECT && i < to);
        }
        state = s;
        return s != REJECT;
    }

    /** The index of the first non-ASCII byte in {@code a[i, to)}, or {@code to}; whole words at a time. */
    private static int skipAscii(byte[] a, int i, int to) {
        for (int end = to - 15; i < end; i += 16) {
            if ((((long) ARRAY_LONG.get(a, i) | (long) ARRAY_LONG.get(a, i + 8)) & HIGH_BITS) != 0) {
                break;
            }
        }
        for (int end = to - 7; i < end; i += 8) {
            long high = (long) ARRAY_LONG.get(a, i) & HIGH_BITS;
            if (high != 0) {
                // Big-endian view: the first byte in memory is the top byte of the word.
                return i + (Long.numberOfLeadingZeros(high) >>> 3);
            }
        }
        while (i < to && a[i] >= 0) {
            i++;
        }
        return i;
    }

    private static int skipAscii(ByteBuffer buf, int i, int to) {
        for (int end = to - 15; i < end; i += 16) {
            if ((((long) BUFFER_LONG.get(buf, i) | (long) BUFFER_LONG.get(buf, i + 8)) & HIGH_BITS) != 0) {
                break;
            }
        }
        for (int end = to - 7; i < end; i += 8) {
            long high = (long) BUFFER_LONG.get(buf, i) & HIGH_BITS;
            if (high != 0) {
                return i + (Long.numberOfLeadingZeros(high) >>> 3);
            }
        }
        while (i < to && buf.get(i) >= 0) {
            i++;
        }
        return i;
    }

    /** Not failed, and not in the middle of a multi-byte sequence: the text so far is valid UTF-8. */
    public boolean isComplete() {
        return state == ACCEPT;
    }

    /** An invalid byte was seen since the last {@link #reset()}. */
    public boolean hasFailed() {
        return state == REJECT;
    }

    /** Forgets everything fed so far, for the next message. */
    public void reset() {
        state = ACCEPT;
    }

    /** Whether {@code a[from, to)} is complete, valid UTF-8. */
    public static boolean isValid(byte[] a, int from, int to) {
        Utf8Validator validator = new Utf8Validator();
        return validator.feed(a, from, to) && validator.isComplete();
    }
}
