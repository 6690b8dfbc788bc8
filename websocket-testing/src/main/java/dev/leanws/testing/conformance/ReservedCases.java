package dev.leanws.testing.conformance;

import static dev.leanws.testing.conformance.Payloads.ascii;
import static dev.leanws.testing.conformance.Payloads.bytes;

import java.util.List;

/**
 * Section 3, reserved bits (no extension is negotiated, so every RSV bit fails with 1002), and
 * section 4, reserved opcodes (4.1: 3-7, 4.2: 11-15, all 1002). When a valid message comes
 * first, its echo must arrive before the Close (OK); a Close without it is NON-STRICT.
 */
final class ReservedCases {

    private static final byte[] HELLO = ascii("Hello, world!");

    /** How the frames of a case are written. */
    private enum Chops { TOGETHER, PER_FRAME, PER_BYTE }

    private ReservedCases() {
    }

    static List<Case> section3() {
        return List.of(
                Case.of("3.1", "small text message with RSV = 1", Expectation.fails(1002),
                        Step.send(Frame.text(HELLO).rsv(1))),
                afterEcho("3.2", "text, then text with RSV = 2, then ping", Frame.text(HELLO).rsv(2), Chops.TOGETHER),
                afterEcho("3.3", "text, then text with RSV = 3, then ping, in frame-wise chops",
                        Frame.text(HELLO).rsv(3), Chops.PER_FRAME),
                afterEcho("3.4", "text, then text with RSV = 4, then ping, in octet-wise chops",
                        Frame.text(HELLO).rsv(4), Chops.PER_BYTE),
                Case.of("3.5", "small binary message with RSV = 5", Expectation.fails(1002),
                        Step.send(Frame.binary(bytes(0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff)).rsv(5))),
                Case.of("3.6", "binary frame with RSV = 6", Expectation.fails(1002), Step.send(Frame.binary(HELLO).rsv(6))),
                Case.of("3.7", "Close with RSV = 7", Expectation.fails(1002),
                        Step.send(Frame.of(Frame.CLOSE, new byte[0]).rsv(7))));
    }

    static List<Case> section4() {
        byte[] reserved = ascii("reserved opcode payload");
        return List.of(
                Case.of("4.1.1", "frame with reserved non-control opcode 3", Expectation.fails(1002),
                        Step.send(Frame.of(3, new byte[0]))),
                Case.of("4.1.2", "frame with reserved non-control opcode 4 and a payload", Expectation.fails(1002),
                        Step.send(Frame.of(4, reserved))),
                afterEcho("4.1.3", "text, then opcode 5, then ping", Frame.of(5, new byte[0]), Chops.TOGETHER),
                afterEcho("4.1.4", "text, then opcode 6 with a payload, then ping", Frame.of(6, HELLO), Chops.TOGETHER),
                afterEcho("4.1.5", "text, then opcode 7 with a payload, then ping, in octet-wise chops",
                        Frame.of(7, HELLO), Chops.PER_BYTE),
                Case.of("4.2.1", "frame with reserved control opcode 11", Expectation.fails(1002),
                        Step.send(Frame.of(11, new byte[0]))),
                Case.of("4.2.2", "frame with reserved control opcode 12 and a payload", Expectation.fails(1002),
                        Step.send(Frame.of(12, reserved))),
                afterEcho("4.2.3", "text, then opcode 13, then ping", Frame.of(13, new byte[0]), Chops.TOGETHER),
                afterEcho("4.2.4", "text, then opcode 14 with a payload, then ping", Frame.of(14, HELLO), Chops.TOGETHER),
                afterEcho("4.2.5", "text, then opcode 15 with a payload, then ping, in octet-wise chops",
                        Frame.of(15, HELLO), Chops.PER_BYTE));
    }

    /** A valid text message, then {@code bad}, then a ping: the echo arrives, then a 1002, and no pong. */
    private static Case afterEcho(String id, String description, Frame bad, Chops chops) {
        Frame[] frames = {Frame.text(HELLO), bad, Frame.ping(new byte[0])};
        Step[] steps = new Step[frames.length];
        for (int i = 0; i < frames.length; i++) {
            steps[i] = switch (chops) {
                case TOGETHER -> Step.send(frames[i]);
                case PER_FRAME -> Step.synced(frames[i]);
                case PER_BYTE -> Step.chopped(frames[i], 1);
            };
        }
        return Case.of(id, description, Expectation.fails(1002, Event.text(HELLO)).orNonStrict(), steps);
    }
}
