package dev.leanws.testing.conformance;

import static dev.leanws.testing.conformance.Payloads.bytes;
import static dev.leanws.testing.conformance.Payloads.concat;
import static dev.leanws.testing.conformance.Payloads.utf8;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Section 6.1-6.4, UTF-8 handling: empty fragments, valid text split on and inside code
 * points, invalid text whole and in 1-byte fragments, and fail-fast (6.4): the invalid byte
 * arrives in a second frame (6.4.1, 6.4.2) or a second TCP chop of one frame (6.4.3, 6.4.4)
 * after a 1 s pause, and the connection must be failed before the next 1 s pause ends, that
 * is before the rest of the message is sent. The vectors of 6.5-6.23 are in {@link Utf8Vectors}.
 */
final class Utf8Cases {

    /** "κόσμε", valid. */
    static final byte[] KOSME = bytes(0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xce, 0xbc, 0xce, 0xb5);
    private static final byte[] EDITED = bytes(0x65, 0x64, 0x69, 0x74, 0x65, 0x64);
    private static final String HELLO = "Hello-µ@ßöäüàá-UTF-8!!";

    private Utf8Cases() {
    }

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        cases.add(Case.of("6.1.1", "empty text message", Expectation.echo(Event.text("")), Step.send(Frame.text(""))));
        cases.add(Case.of("6.1.2", "text message in 3 empty fragments", Expectation.echo(Event.text("")),
                Step.send(new Frame(false, 0, Frame.TEXT, new byte[0])),
                Step.send(Frame.continuation(false, new byte[0])), Step.send(Frame.continuation(true, new byte[0]))));
        cases.add(Case.of("6.1.3", "text in 3 fragments, the first and last empty", Expectation.echo(Event.text("middle frame payload")),
                Step.send(new Frame(false, 0, Frame.TEXT, new byte[0])),
                Step.send(Frame.continuation(false, utf8("middle frame payload"))), Step.send(Frame.continuation(true, new byte[0]))));
        cases.add(Case.of("6.2.1", "valid UTF-8 text in one fragment", Expectation.echo(Event.text(HELLO)), Step.send(Frame.text(HELLO))));
        cases.add(Case.of("6.2.2", "valid UTF-8 text in 2 fragments split on a code point boundary",
                Expectation.echo(Event.text(HELLO)),
                Step.send(new Frame(false, 0, Frame.TEXT, utf8("Hello-µ@ßöä"))),
                Step.send(Frame.continuation(true, utf8("üàá-UTF-8!!")))));
        cases.add(oneByteFragments("6.2.3", "valid UTF-8 text in 1-byte fragments (frames end inside code points)", utf8(HELLO), true));
        cases.add(oneByteFragments("6.2.4", "valid UTF-8 text (κόσμε) in 1-byte fragments", KOSME, true));
        byte[] invalid = concat(KOSME, bytes(0xed, 0xa0, 0x80), EDITED);
        cases.add(Case.of("6.3.1", "invalid UTF-8 text (a surrogate) in one fragment", Expectation.fails(1007),
                Step.send(Frame.text(invalid))));
        cases.add(oneByteFragments("6.3.2", "invalid UTF-8 text (a surrogate) in 1-byte fragments", invalid, false));
        byte[] tooHigh = concat(KOSME, bytes(0xf4, 0x90, 0x80, 0x80), EDITED);
        cases.add(failFastFrames("6.4.1", "3 fragments, a pause after each; the 2nd makes the text invalid (U+110000)",
                tooHigh, KOSME.length, KOSME.length + 4));
        cases.add(failFastFrames("6.4.2", "3 fragments, a pause after each; the 2nd is only the byte that makes the text invalid",
                tooHigh, 12, 13));
        cases.add(failFastChops("6.4.3", "one frame in 3 TCP chops, a pause after each; the 2nd makes the text invalid",
                tooHigh, KOSME.length, KOSME.length + 4));
        cases.add(failFastChops("6.4.4", "one frame in 3 TCP chops, a pause after each; the 2nd is only the invalid byte",
                tooHigh, 12, 13));
        return cases;
    }

    private static Case oneByteFragments(String id, String description, byte[] text, boolean valid) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < text.length; i++) {
            byte[] one = {text[i]};
            boolean last = i == text.length - 1;
            steps.add(Step.send(i == 0 ? new Frame(last, 0, Frame.TEXT, one) : Frame.continuation(last, one)));
        }
        Expectation expectation = valid ? Expectation.echo(Event.text(text)) : Expectation.fails(1007);
        return Case.of(id, description, expectation, steps.toArray(Step[]::new));
    }

    /** OK: the connection is failed during the second pause; NON-STRICT: only after the rest was sent. */
    private static Expectation failFast() {
        return Expectation.fails(1007, Event.timeout("A")).orNonStrict(Event.timeout("A"), Event.timeout("B"));
    }

    private static Case failFastFrames(String id, String description, byte[] text, int cut1, int cut2) {
        return Case.of(id, description, failFast(),
                Step.send(new Frame(false, 0, Frame.TEXT, Arrays.copyOfRange(text, 0, cut1))),
                Step.pause(1000, "A"),
                Step.send(Frame.continuation(false, Arrays.copyOfRange(text, cut1, cut2))),
                Step.pause(1000, "B"),
                Step.send(Frame.continuation(true, Arrays.copyOfRange(text, cut2, text.length))));
    }

    private static Case failFastChops(String id, String description, byte[] text, int cut1, int cut2) {
        Frame frame = Frame.text(text);
        return Case.of(id, description, failFast(),
                new Step.SendPart(frame, 0, cut1),
                Step.pause(1000, "A"),
                new Step.SendPart(frame, cut1, cut2),
                Step.pause(1000, "B"),
                new Step.SendPart(frame, cut2, text.length));
    }
}
