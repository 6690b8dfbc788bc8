package dev.leanws.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.testing.Hex;
import dev.leanws.testing.Splits;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Utf8ValidatorTest {

    static final int VALID = -2;
    static final int TRUNCATED = -1;

    static Arguments row(String name, String hex, int failsAt) {
        return Arguments.of(name, hex, failsAt);
    }

    /** Name, bytes, and where validation must fail: VALID, TRUNCATED (only at the end), or the index of the first bad byte. */
    static Stream<Arguments> table() {
        return Stream.of(
                row("empty", "", VALID),
                row("ASCII", "48656c6c6f2c20776f726c6421", VALID),
                row("U+0000", "00", VALID),
                row("U+007F", "7f", VALID),
                row("U+0080", "c2 80", VALID),
                row("U+07FF", "df bf", VALID),
                row("U+0800", "e0 a0 80", VALID),
                row("U+D7FF (below the surrogates)", "ed 9f bf", VALID),
                row("U+E000 (above the surrogates)", "ee 80 80", VALID),
                row("U+FFFD", "ef bf bd", VALID),
                row("U+FFFF", "ef bf bf", VALID),
                row("U+10000", "f0 90 80 80", VALID),
                row("U+10FFFF", "f4 8f bf bf", VALID),
                row("kosme", "ce ba e1 bd b9 cf 83 ce bc ce b5", VALID),
                row("mixed", "41 c3 a9 e2 82 ac f0 9f 98 80 42 43 44 45 46 47 48 49 4a", VALID),
                // Overlong forms.
                row("overlong 2-byte C0 80 (U+0000)", "c0 80", 0),
                row("overlong 2-byte C1 BF (U+007F)", "c1 bf", 0),
                row("overlong 3-byte E0 80 80", "e0 80 80", 1),
                row("overlong 3-byte E0 9F BF (U+07FF)", "e0 9f bf", 1),
                row("overlong 4-byte F0 80 80 80", "f0 80 80 80", 1),
                row("overlong 4-byte F0 8F BF BF (U+FFFF)", "f0 8f bf bf", 1),
                row("overlong '/' in 2 bytes after text", "61 62 c0 af", 2),
                // Surrogates.
                row("U+D800", "ed a0 80", 1),
                row("U+DBFF", "ed af bf", 1),
                row("U+DC00", "ed b0 80", 1),
                row("U+DFFF", "ed bf bf", 1),
                row("surrogate pair U+D83D U+DE00", "ed a0 bd ed b8 80", 1),
                // Beyond U+10FFFF.
                row("U+110000", "f4 90 80 80", 1),
                row("U+13FFFF", "f4 bf bf bf", 1),
                row("F5 lead (U+140000)", "f5 80 80 80", 0),
                row("F7 lead (U+1FFFFF)", "f7 bf bf bf", 0),
                row("5-byte form", "f8 88 80 80 80", 0),
                row("6-byte form", "fc 84 80 80 80 80", 0),
                // Bytes that never appear.
                row("C0", "c0", 0),
                row("C1", "c1", 0),
                row("F5", "f5", 0),
                row("FE", "fe", 0),
                row("FF", "ff", 0),
                row("FF after text", "48 65 6c 6c 6f 20 77 6f 72 6c 64 ff", 11),
                // Lone and unexpected continuation bytes.
                row("lone 80", "80", 0),
                row("lone BF", "bf", 0),
                row("continuation after ASCII", "61 80", 1),
                row("extra continuation", "c3 a9 a9", 2),
                row("continuation after 8 ASCII bytes", "61 62 63 64 65 66 67 68 80", 8),
                // Missing continuation bytes.
                row("2-byte lead then ASCII", "c3 41", 1),
                row("3-byte lead, bad second", "e2 28 a1", 1),
                row("4-byte lead, bad third", "f0 90 28 bc", 2),
                row("4-byte lead, bad fourth", "f0 90 80 41", 3),
                row("lead then lead", "e2 e2 82 ac", 1),
                // Truncated at the end.
                row("truncated 2-byte", "c3", TRUNCATED),
                row("truncated 3-byte", "e2 82", TRUNCATED),
                row("truncated 3-byte after text", "61 62 e2", TRUNCATED),
                row("truncated 4-byte", "f0 9f 98", TRUNCATED),
                row("truncated U+10FFFF", "f4 8f bf", TRUNCATED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void table(String name, String hex, int failsAt) {
        byte[] bytes = Hex.bytes(hex);
        assertEquals(failsAt == VALID, Utf8Validator.isValid(bytes, 0, bytes.length));
        assertEquals(failsAt == VALID, jdkAccepts(bytes), "the JDK's decoder agrees");
        // Between ASCII runs long enough for the word-at-a-time path, on both sides.
        for (int pad : new int[] {1, 7, 8, 9, 15, 16, 17, 40}) {
            byte[] padded = Splits.concat("a".repeat(pad).getBytes(), bytes, "b".repeat(pad).getBytes());
            assertEquals(failsAt == VALID, Utf8Validator.isValid(padded, 0, padded.length), "padded with " + pad);
            Utf8Validator direct = new Utf8Validator();
            direct.feed(buffer(padded, 0, padded.length, true));
            assertEquals(failsAt == VALID, direct.isComplete(), "direct, padded with " + pad);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void failsAtTheFirstBadByteWhenFedOneByteAtATime(String name, String hex, int failsAt) {
        byte[] bytes = Hex.bytes(hex);
        Utf8Validator validator = new Utf8Validator();
        for (int i = 0; i < bytes.length; i++) {
            boolean ok = validator.feed(bytes, i, i + 1);
            assertEquals(failsAt < 0 || i < failsAt, ok, "byte " + i);
            assertEquals(!ok, validator.hasFailed());
        }
        assertEquals(failsAt == VALID, validator.isComplete());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void sameResultSplitAcrossTwoFragmentsAtEveryByte(String name, String hex, int failsAt) {
        byte[] bytes = Hex.bytes(hex);
        Utf8Validator validator = new Utf8Validator();
        for (int split = 0; split <= bytes.length; split++) {
            for (boolean direct : new boolean[] {false, true}) {
                validator.reset();
                boolean first = validator.feed(buffer(bytes, 0, split, direct));
                assertEquals(failsAt < 0 || failsAt >= split, first, "first fragment, split at " + split);
                boolean second = validator.feed(buffer(bytes, split, bytes.length, direct));
                assertEquals(failsAt < 0, second, "second fragment, split at " + split);
                assertEquals(failsAt == VALID, validator.isComplete(), "split at " + split);
            }
        }
    }

    /** The bytes [from, to) at a non-zero position in a heap or direct buffer. */
    static ByteBuffer buffer(byte[] bytes, int from, int to, boolean direct) {
        int n = to - from;
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(n + 6) : ByteBuffer.allocate(n + 6);
        b.put(3, bytes, from, n).position(3).limit(3 + n);
        return b;
    }

    @Test
    void feedDoesNotMoveThePositionAndFailureSticks() {
        ByteBuffer bad = ByteBuffer.wrap(Hex.bytes("61 ff 62"));
        Utf8Validator validator = new Utf8Validator();
        assertFalse(validator.feed(bad));
        assertEquals(0, bad.position());
        assertFalse(validator.feed(Hex.bytes("61"), 0, 1), "stays failed");
        assertFalse(validator.isComplete());
        validator.reset();
        assertTrue(validator.feed(Hex.bytes("61"), 0, 1));
        assertTrue(validator.isComplete());
    }

    @Test
    void readOnlyAndOffsetBuffersWork() {
        byte[] text = "xxHéllo wörld, this is longer than eight bytes".getBytes(StandardCharsets.UTF_8);
        Utf8Validator validator = new Utf8Validator();
        assertTrue(validator.feed(ByteBuffer.wrap(text).asReadOnlyBuffer()));
        validator.reset();
        // A slice starting in the middle of "é" must fail.
        assertFalse(validator.feed(ByteBuffer.wrap(text).position(4).slice()));
    }

    // Agreement with the JDK's strict decoder.

    private static final CharsetDecoder JDK = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private static final CharBuffer OUT = CharBuffer.allocate(1024);

    /** The oracle: the JDK's UTF-8 decoder with errors reported, not replaced. */
    static boolean jdkAccepts(byte[] bytes) {
        JDK.reset();
        OUT.clear();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CoderResult result = JDK.decode(in, OUT, true);
        if (result.isError()) {
            return false;
        }
        if (result.isOverflow()) {
            throw new AssertionError("test input too long for the oracle's buffer");
        }
        return !JDK.flush(OUT).isError() && !in.hasRemaining();
    }

    static void assertAgrees(byte[] bytes, String where) {
        boolean expected = jdkAccepts(bytes);
        assertEquals(expected, Utf8Validator.isValid(bytes, 0, bytes.length), where + " " + Hex.hex(bytes));
        Utf8Validator direct = new Utf8Validator();
        direct.feed(buffer(bytes, 0, bytes.length, true));
        assertEquals(expected, direct.isComplete(), where + " (direct) " + Hex.hex(bytes));
    }

    @Test
    void agreesWithTheJdkOnEveryOneAndTwoByteInput() {
        byte[] two = new byte[2];
        for (int a = 0; a < 256; a++) {
            assertAgrees(new byte[] {(byte) a}, "one byte");
            for (int b = 0; b < 256; b++) {
                two[0] = (byte) a;
                two[1] = (byte) b;
                assertAgrees(two, "two bytes");
            }
        }
    }

    @Test
    void agreesWithTheJdkOnEveryThreeByteInputWithAMultiByteLead() {
        int[] thirds = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xE0, 0xF0, 0xFF};
        byte[] three = new byte[3];
        for (int a = 0xC0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                for (int c : thirds) {
                    three[0] = (byte) a;
                    three[1] = (byte) b;
                    three[2] = (byte) c;
                    assertAgrees(three, "three bytes");
                }
            }
        }
    }

    @Test
    void agreesWithTheJdkOnEveryFourByteSequenceAroundTheEdges() {
        int[] edges = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xE0, 0xED, 0xF0, 0xF4, 0xF5, 0xFF};
        byte[] four = new byte[4];
        for (int a = 0xE0; a <= 0xFF; a++) {
            for (int b : edges) {
                for (int c : edges) {
                    for (int d : edges) {
                        four[0] = (byte) a;
                        four[1] = (byte) b;
                        four[2] = (byte) c;
                        four[3] = (byte) d;
                        assertAgrees(four, "four bytes");
                    }
                }
            }
        }
    }

    @Test
    void agreesWithTheJdkOnRandomAndCorruptedText() {
        long seed = 0x07F8_2026L;
        Random random = new Random(seed);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = round % 3 == 0 ? randomBytes(random) : corruptedText(random);
            String where = "seed=" + seed + " round=" + round;
            assertAgrees(bytes, where);
            // Any split into pieces gives the same answer.
            Utf8Validator pieces = new Utf8Validator();
            int at = 0;
            while (at < bytes.length) {
                int next = at + 1 + random.nextInt(bytes.length - at);
                pieces.feed(bytes, at, next);
                at = next;
            }
            assertEquals(jdkAccepts(bytes), pieces.isComplete(), where + " in pieces " + Hex.hex(bytes));
        }
    }

    static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(40)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Valid text of ASCII runs and multi-byte characters, then (usually) a byte or two changed, cut or added. */
    static byte[] corruptedText(Random random) {
        StringBuilder text = new StringBuilder();
        int parts = random.nextInt(12);
        for (int i = 0; i < parts; i++) {
            switch (random.nextInt(4)) {
                case 0 -> text.append("plain ascii text, plain ascii text", 0, 1 + random.nextInt(30));
                case 1 -> text.append((char) (0x80 + random.nextInt(0x780)));
                case 2 -> text.append((char) (0x800 + random.nextInt(0xD800 - 0x800)));
                default -> text.appendCodePoint(0x10000 + random.nextInt(0x100000));
            }
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0 && random.nextInt(4) != 0) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(3)) {
                case 0 -> bytes[at] = (byte) random.nextInt(256);
                case 1 -> bytes = java.util.Arrays.copyOf(bytes, at);
                default -> bytes[at] ^= (byte) (1 << random.nextInt(8));
            }
        }
        return bytes;
    }

    @Test
    void jdkDecoderSanity() {
        // The oracle itself must reject encoded surrogates, or the agreement tests prove nothing.
        assertFalse(jdkAccepts(Hex.bytes("ed a0 80")));
        assertFalse(jdkAccepts(Hex.bytes("c0 80")));
        assertTrue(jdkAccepts("\uD83D\uDE00".getBytes(StandardCharsets.UTF_8)));
        assertEquals("é", StandardCharsets.UTF_8.decode(ByteBuffer.wrap(Hex.bytes("c3a9"))).toString());
    }
}
