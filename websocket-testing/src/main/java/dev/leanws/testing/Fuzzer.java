package dev.leanws.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random WebSocket byte streams for fuzzing a decoder, a session or a whole endpoint:
 * valid conversations (fragments, control frames in between, text with multi-byte UTF-8,
 * sometimes a Close), the same damaged (bytes changed, bits flipped, cut, inserted, repeated,
 * deleted, or a hostile frame spliced in), hostile frames alone (reserved bits and opcodes,
 * long or fragmented control frames, lying and non-minimal lengths, huge declared lengths,
 * bad UTF-8, bad close payloads), and plain garbage. Every stream comes from the generator's
 * state alone, so a seed and an iteration number reproduce it.
 *
 * <pre>{@code
 * Fuzzer fuzzer = new Fuzzer(seed);
 * for (int i = 0; i < iterations; i++) {
 *     byte[] stream = fuzzer.stream(true);                 // masked, as a client sends
 *     for (byte[] chunk : fuzzer.chunks(stream)) { ... }    // any split
 * }
 * }</pre>
 */
public final class Fuzzer {

    private static final String[] WORDS = {"hello", "κόσμε", "😀", "日本語", "ü", "\u0000", "x".repeat(130), "€"};

    private final SplittableRandom random;

    public Fuzzer(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The next stream; {@code masked} as a client sends, else as a server does. */
    public byte[] stream(boolean masked) {
        return switch (random.nextInt(10)) {
            case 0 -> garbage();
            case 1, 2 -> hostile(masked, 1 + random.nextInt(4));
            case 3, 4, 5 -> conversation(masked);
            default -> damage(conversation(masked), masked);
        };
    }

    /** {@code stream} cut into 1 to 8 random pieces (some single bytes). */
    public List<byte[]> chunks(byte[] stream) {
        int pieces = 1 + random.nextInt(8);
        int[] cuts = random.ints(pieces - 1, 0, stream.length + 1).sorted().toArray();
        List<byte[]> chunks = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            chunks.add(Arrays.copyOfRange(stream, from, cut));
            from = cut;
        }
        chunks.add(Arrays.copyOfRange(stream, from, stream.length));
        return chunks;
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    private byte[] garbage() {
        byte[] bytes = new byte[random.nextInt(2000)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A valid stream of 1 to 6 messages, fragments interleaved with pings and pongs, maybe a Close. */
    public byte[] conversation(boolean masked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int messages = 1 + random.nextInt(6);
        for (int m = 0; m < messages; m++) {
            boolean text = random.nextBoolean();
            byte[] body = text ? text() : bytes(random.nextInt(random.nextInt(10) == 0 ? 70_000 : 300));
            int fragments = 1 + (random.nextInt(3) == 0 ? random.nextInt(6) : 0);
            int from = 0;
            for (int f = 0; f < fragments; f++) {
                boolean last = f == fragments - 1;
                int to = last ? body.length : from + random.nextInt(body.length - from + 1);
                int opcode = f > 0 ? 0x0 : text ? 0x1 : 0x2;
                out.writeBytes(encode(RawFrames.frame().fin(last).opcode(opcode).payload(Arrays.copyOfRange(body, from, to)), masked));
                from = to;
                if (random.nextInt(4) == 0) {
                    out.writeBytes(encode(RawFrames.frame().opcode(random.nextBoolean() ? 0x9 : 0xA).payload(bytes(random.nextInt(126))), masked));
                }
            }
        }
        if (random.nextInt(3) == 0) {
            out.writeBytes(encode(RawFrames.close(1000 + random.nextInt(12), "bye"), masked));
        }
        return out.toByteArray();
    }

    /** Text of a few words, sometimes cut inside a multi-byte character (invalid). */
    private byte[] text() {
        StringBuilder sb = new StringBuilder();
        int words = random.nextInt(12);
        for (int i = 0; i < words; i++) {
            sb.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        }
        byte[] utf8 = sb.toString().getBytes(StandardCharsets.UTF_8);
        return random.nextInt(8) == 0 && utf8.length > 0 ? Arrays.copyOf(utf8, random.nextInt(utf8.length)) : utf8;
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** {@code count} frames that break a rule, one way each. */
    public byte[] hostile(boolean masked, int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            RawFrames.Builder f = RawFrames.frame().opcode(random.nextInt(3)).payload(bytes(random.nextInt(40)));
            switch (random.nextInt(12)) {
                case 0 -> f.rsv(1 + random.nextInt(7));
                case 1 -> f.opcode(new int[] {3, 4, 5, 6, 7, 11, 12, 13, 14, 15}[random.nextInt(10)]);
                case 2 -> f.opcode(0x9).fin(false);
                case 3 -> f.opcode(0x9 + random.nextInt(2)).payload(bytes(126 + random.nextInt(200)));
                case 4 -> f.lengthEncoding(RawFrames.Length.BITS_16);
                case 5 -> f.lengthEncoding(RawFrames.Length.BITS_64).declaredLength(random.nextBoolean() ? -1L : 70_000);
                case 6 -> f.declaredLength(random.nextBoolean() ? 1L << 30 : Long.MAX_VALUE);
                case 7 -> f.opcode(0x1).payload(new byte[] {'o', 'k', (byte) (0x80 + random.nextInt(128))});
                case 8 -> f.opcode(0x8).payload(new byte[] {(byte) random.nextInt(256)});
                case 9 -> f.opcode(0x8).payload(new byte[] {(byte) random.nextInt(256), (byte) random.nextInt(256), (byte) 0xff});
                case 10 -> f.opcode(0x0);
                default -> f.declaredLength(random.nextInt(100));   // a length that lies about what follows
            }
            out.writeBytes(encode(f, random.nextInt(20) == 0 ? !masked : masked));
        }
        return out.toByteArray();
    }

    /** 1 to 4 random changes to {@code stream}. */
    private byte[] damage(byte[] stream, boolean masked) {
        byte[] s = stream;
        int changes = 1 + random.nextInt(4);
        for (int i = 0; i < changes && s.length > 0; i++) {
            int at = random.nextInt(s.length);
            switch (random.nextInt(7)) {
                case 0 -> s[at] = (byte) random.nextInt(256);
                case 1 -> s[at] ^= (byte) (1 << random.nextInt(8));
                case 2 -> s = Arrays.copyOf(s, at);
                case 3 -> s = splice(s, at, new byte[] {(byte) random.nextInt(256)}, 0);
                case 4 -> s = splice(s, at, Arrays.copyOfRange(s, at, Math.min(s.length, at + 1 + random.nextInt(64))), 0);
                case 5 -> s = splice(s, at, new byte[0], Math.min(s.length - at, 1 + random.nextInt(16)));
                default -> s = splice(s, at, hostile(masked, 1), 0);
            }
        }
        return s;
    }

    /** {@code s} with {@code removed} bytes at {@code at} replaced by {@code inserted}. */
    private static byte[] splice(byte[] s, int at, byte[] inserted, int removed) {
        byte[] out = new byte[s.length - removed + inserted.length];
        System.arraycopy(s, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(s, at + removed, out, at + inserted.length, s.length - at - removed);
        return out;
    }

    private byte[] encode(RawFrames.Builder frame, boolean masked) {
        return masked ? frame.masked(random.nextInt()).build() : frame.unmasked().build();
    }

    /** An iteration count from a system property, else {@code fallback}. */
    public static int iterations(String property, int fallback) {
        return Integer.getInteger(property, fallback);
    }

    /** The seed from {@code leanws.fuzz.seed}, else {@code fallback}. */
    public static long seed(long fallback) {
        return Long.getLong("leanws.fuzz.seed", fallback);
    }
}
