package dev.leanws.testing.conformance;

import static dev.leanws.testing.conformance.Payloads.filled;

import java.util.ArrayList;
import java.util.List;

/** Section 1, framing: text (1.1) and binary (1.2) messages of 0 to 65536 bytes, whole and chopped. */
final class FramingCases {

    private static final int[] LENGTHS = {0, 125, 126, 127, 128, 65535, 65536};

    private FramingCases() {
    }

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        for (boolean binary : new boolean[] {false, true}) {
            String sub = binary ? "1.2." : "1.1.";
            String kind = binary ? "binary" : "text";
            int i = 1;
            for (int length : LENGTHS) {
                cases.add(message(sub + i++, kind + " message of " + length + " bytes", binary, length, 0));
            }
            cases.add(message(sub + i, kind + " message of 65536 bytes, sent in chops of 997 bytes", binary, 65536, 997));
        }
        return cases;
    }

    private static Case message(String id, String description, boolean binary, int length, int chop) {
        byte[] payload = filled(length, binary ? 0xFE : '*');
        Frame frame = binary ? Frame.binary(payload) : Frame.text(payload);
        Event echo = binary ? Event.binary(payload) : Event.text(payload);
        return Case.of(id, description, Expectation.echo(echo), Step.chopped(frame, chop));
    }
}
