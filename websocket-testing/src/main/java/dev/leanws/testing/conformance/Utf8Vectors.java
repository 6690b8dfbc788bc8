package dev.leanws.testing.conformance;

import static dev.leanws.testing.conformance.Payloads.ascii;
import static dev.leanws.testing.conformance.Payloads.bytes;
import static dev.leanws.testing.conformance.Payloads.concat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Sections 6.5-6.23: Markus Kuhn's UTF-8 decoder stress test, one text message per vector,
 * valid ones echoed, invalid ones failed with 1007. Each sub-section is one group below, in
 * Autobahn's order, so the case numbers match its report.
 */
final class Utf8Vectors {

    private record Vector(boolean valid, byte[] bytes) {
    }

    private Utf8Vectors() {
    }

    static List<Case> all() {
        List<List<Vector>> groups = List.of(
                // 6.5 valid sequences
                valid(concat(ascii("hello"), bytes(0x24), ascii("world")), concat(ascii("hello"), bytes(0xc2, 0xa2), ascii("world")),
                        concat(ascii("hello"), bytes(0xe2, 0x82, 0xac), ascii("world")),
                        concat(ascii("hello"), bytes(0xf0, 0xa4, 0xad, 0xa2), ascii("world")), Utf8Cases.KOSME),
                prefixes(Utf8Cases.KOSME),                                                                  // 6.6
                valid(bytes(0x00), bytes(0xc2, 0x80), bytes(0xe0, 0xa0, 0x80), bytes(0xf0, 0x90, 0x80, 0x80)), // 6.7
                invalid(bytes(0xf8, 0x88, 0x80, 0x80, 0x80), bytes(0xfc, 0x84, 0x80, 0x80, 0x80, 0x80)),        // 6.8
                valid(bytes(0x7f), bytes(0xdf, 0xbf), bytes(0xef, 0xbf, 0xbf), bytes(0xf4, 0x8f, 0xbf, 0xbf)),   // 6.9
                invalid(bytes(0xf7, 0xbf, 0xbf, 0xbf), bytes(0xfb, 0xbf, 0xbf, 0xbf, 0xbf),
                        bytes(0xfd, 0xbf, 0xbf, 0xbf, 0xbf, 0xbf)),                                          // 6.10
                join(valid(bytes(0xed, 0x9f, 0xbf), bytes(0xee, 0x80, 0x80), bytes(0xef, 0xbf, 0xbd),
                        bytes(0xf4, 0x8f, 0xbf, 0xbf)), invalid(bytes(0xf4, 0x90, 0x80, 0x80))),           // 6.11
                invalid(bytes(0x80), bytes(0xbf), bytes(0x80, 0xbf), bytes(0x80, 0xbf, 0x80), bytes(0x80, 0xbf, 0x80, 0xbf),
                        bytes(0x80, 0xbf, 0x80, 0xbf, 0x80), bytes(0x80, 0xbf, 0x80, 0xbf, 0x80, 0xbf),
                        range(0x80, 0xbf)),                                                                  // 6.12
                invalid(lonely(0xc0, 0xdf), lonely(0xe0, 0xef), lonely(0xf0, 0xf7), lonely(0xf8, 0xfb), lonely(0xfc, 0xfd)), // 6.13
                invalid(incomplete()),                                                                       // 6.14
                invalid(concat(incomplete())),                                                               // 6.15
                invalid(bytes(0xfe), bytes(0xff), bytes(0xfe, 0xfe, 0xff, 0xff)),                            // 6.16
                invalid(bytes(0xc0, 0xaf), bytes(0xe0, 0x80, 0xaf), bytes(0xf0, 0x80, 0x80, 0xaf),
                        bytes(0xf8, 0x80, 0x80, 0x80, 0xaf), bytes(0xfc, 0x80, 0x80, 0x80, 0x80, 0xaf)),      // 6.17
                invalid(bytes(0xc1, 0xbf), bytes(0xe0, 0x9f, 0xbf), bytes(0xf0, 0x8f, 0xbf, 0xbf),
                        bytes(0xf8, 0x87, 0xbf, 0xbf, 0xbf), bytes(0xfc, 0x83, 0xbf, 0xbf, 0xbf, 0xbf)),      // 6.18
                invalid(bytes(0xc0, 0x80), bytes(0xe0, 0x80, 0x80), bytes(0xf0, 0x80, 0x80, 0x80),
                        bytes(0xf8, 0x80, 0x80, 0x80, 0x80), bytes(0xfc, 0x80, 0x80, 0x80, 0x80, 0x80)),      // 6.19
                invalid(bytes(0xed, 0xa0, 0x80), bytes(0xed, 0xad, 0xbf), bytes(0xed, 0xae, 0x80), bytes(0xed, 0xaf, 0xbf),
                        bytes(0xed, 0xb0, 0x80), bytes(0xed, 0xbe, 0x80), bytes(0xed, 0xbf, 0xbf)),           // 6.20
                invalid(pairedSurrogates()),                                                                 // 6.21
                nonCharacters(),                                                                             // 6.22
                valid(bytes(0xef, 0xbf, 0xb9), bytes(0xef, 0xbf, 0xba), bytes(0xef, 0xbf, 0xbb), bytes(0xef, 0xbf, 0xbc),
                        bytes(0xef, 0xbf, 0xbd), bytes(0xef, 0xbf, 0xbe), bytes(0xef, 0xbf, 0xbf)));          // 6.23
        List<Case> cases = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            int n = 1;
            for (Vector v : groups.get(g)) {
                String id = "6." + (g + 5) + "." + n++;
                String hex = HexFormat.of().formatHex(v.bytes());
                cases.add(v.valid()
                        ? Case.of(id, "valid UTF-8 text " + hex, Expectation.echo(Event.text(v.bytes())), Step.send(Frame.text(v.bytes())))
                        : Case.of(id, "invalid UTF-8 text " + hex, Expectation.fails(1007), Step.send(Frame.text(v.bytes()))));
            }
        }
        return cases;
    }

    private static List<Vector> valid(byte[]... vectors) {
        return Arrays.stream(vectors).map(b -> new Vector(true, b)).toList();
    }

    private static List<Vector> invalid(byte[]... vectors) {
        return Arrays.stream(vectors).map(b -> new Vector(false, b)).toList();
    }

    private static List<Vector> join(List<Vector> a, List<Vector> b) {
        List<Vector> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Every prefix of {@code text}; valid when it ends on a code point boundary (decided by the JDK). */
    private static List<Vector> prefixes(byte[] text) {
        List<Vector> vectors = new ArrayList<>();
        for (int i = 1; i <= text.length; i++) {
            byte[] prefix = Arrays.copyOf(text, i);
            vectors.add(new Vector(Transcript.isUtf8(prefix), prefix));
        }
        return vectors;
    }

    /** Bytes {@code from} to {@code to - 1}. */
    private static byte[] range(int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int b = from; b < to; b++) {
            out.write(b);
        }
        return out.toByteArray();
    }

    /** Lead bytes {@code from} to {@code to - 1}, each followed by a space. */
    private static byte[] lonely(int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int b = from; b < to; b++) {
            out.write(b);
            out.write(0x20);
        }
        return out.toByteArray();
    }

    /** Sequences with their last continuation byte missing. */
    private static byte[][] incomplete() {
        return new byte[][] {bytes(0xc0), bytes(0xe0, 0x80), bytes(0xf0, 0x80, 0x80), bytes(0xf8, 0x80, 0x80, 0x80),
            bytes(0xfc, 0x80, 0x80, 0x80, 0x80), bytes(0xdf), bytes(0xef, 0xbf), bytes(0xf7, 0xbf, 0xbf),
            bytes(0xfb, 0xbf, 0xbf, 0xbf), bytes(0xfd, 0xbf, 0xbf, 0xbf, 0xbf)};
    }

    private static byte[][] pairedSurrogates() {
        int[][] high = {{0xa0, 0x80}, {0xad, 0xbf}, {0xae, 0x80}, {0xaf, 0xbf}};
        int[][] low = {{0xb0, 0x80}, {0xbf, 0xbf}};
        List<byte[]> pairs = new ArrayList<>();
        for (int[] h : high) {
            for (int[] l : low) {
                pairs.add(bytes(0xed, h[0], h[1], 0xed, l[0], l[1]));
            }
        }
        return pairs.toArray(byte[][]::new);
    }

    /** Non-characters (U+FFFE, U+FFFF, U+nFFFE, U+nFFFF): valid UTF-8 (RFC 3629). */
    private static List<Vector> nonCharacters() {
        List<byte[]> all = new ArrayList<>(List.of(bytes(0xef, 0xbf, 0xbe), bytes(0xef, 0xbf, 0xbf)));
        for (int lead : new int[] {0xf0, 0xf1, 0xf2, 0xf3, 0xf4}) {
            for (int second : new int[] {0x8f, 0x9f, 0xaf, 0xbf}) {
                if (lead == 0xf4 && second != 0x8f || lead == 0xf0 && second == 0x8f) {
                    continue;   // beyond U+10FFFF, or overlong
                }
                for (int last : new int[] {0xbe, 0xbf}) {
                    all.add(bytes(lead, second, 0xbf, last));
                }
            }
        }
        return valid(all.toArray(byte[][]::new));
    }
}
