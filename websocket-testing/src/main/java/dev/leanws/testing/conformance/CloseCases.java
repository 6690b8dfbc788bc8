package dev.leanws.testing.conformance;

import static dev.leanws.testing.conformance.Payloads.ascii;
import static dev.leanws.testing.conformance.Payloads.bytes;
import static dev.leanws.testing.conformance.Payloads.concat;
import static dev.leanws.testing.conformance.Payloads.filled;

import java.util.ArrayList;
import java.util.List;

/**
 * Section 7, close handling: what follows the suite's Close is ignored (7.1), close payload
 * lengths (7.3), an invalid reason (7.5), valid codes echoed (7.7), invalid codes refused
 * (7.9), and codes the RFC leaves open (7.13, informational). 7.1.6 is informational too.
 */
final class CloseCases {

    private static final int[] VALID = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999};
    private static final int[] INVALID = {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999};

    private CloseCases() {
    }

    static List<Case> all() {
        byte[] hello = ascii("Hello World!");
        Frame close = Frame.close(1000);
        List<Case> cases = new ArrayList<>(List.of(
                Case.of("7.1.1", "a text message, then a Close", Expectation.echo(Event.text(hello)), Step.send(Frame.text(hello))),
                Case.of("7.1.2", "two Close frames: the second is ignored", Expectation.closedBySuite(true, 1000),
                        Step.close(close), Step.send(Frame.of(Frame.CLOSE, new byte[0]))),
                Case.of("7.1.3", "a ping after the Close: no pong", Expectation.closedBySuite(true, 1000),
                        Step.close(close), Step.send(Frame.ping(new byte[0]))),
                Case.of("7.1.4", "a text message after the Close: no echo", Expectation.closedBySuite(true, 1000),
                        Step.close(close), Step.send(Frame.text(hello))),
                Case.of("7.1.5", "a fragment, the Close, then the last fragment: no echo", Expectation.closedBySuite(true, 1000),
                        Step.send(new Frame(false, 0, Frame.TEXT, ascii("fragment1"))), Step.close(close),
                        Step.send(Frame.continuation(true, ascii("fragment2")))),
                new Case("7.1.6", "a 256 KiB message, a small one, the Close, then a ping (informational)", () ->
                        new Case.Script(List.of(Step.send(Frame.text(Payloads.repeated(ascii("BAsd7&jh23"), 256 * 1024))),
                                Step.send(Frame.text(hello)), Step.close(close), Step.send(Frame.ping(new byte[0]))),
                                Expectation.closedBySuite(true, 1000).asInformational())),
                Case.of("7.3.1", "a Close with an empty payload", Expectation.closedBySuite(true, 1000),
                        Step.close(Frame.of(Frame.CLOSE, new byte[0]))),
                Case.of("7.3.2", "a Close with a 1-byte payload", Expectation.closedBySuite(false, 1002),
                        Step.close(Frame.of(Frame.CLOSE, ascii("a")))),
                Case.of("7.3.3", "a Close with a code and no reason", Expectation.closedBySuite(true, 1000), Step.close(close)),
                Case.of("7.3.4", "a Close with a code and a reason", Expectation.closedBySuite(true, 1000),
                        Step.close(Frame.close(1000, hello))),
                Case.of("7.3.5", "a Close with a reason of 123 bytes (the maximum)", Expectation.closedBySuite(true, 1000),
                        Step.close(Frame.close(1000, filled(123, '*')))),
                Case.of("7.3.6", "a Close with a reason of 124 bytes (a 126-byte control frame)",
                        Expectation.closedBySuite(false, 1002), Step.close(Frame.close(1000, filled(124, '*')))),
                Case.of("7.5.1", "a Close whose reason is not UTF-8", Expectation.closedBySuite(false, 1002, 1007),
                        Step.close(Frame.close(1000, concat(Utf8Cases.KOSME, bytes(0xed, 0xa0, 0x80, 0x65, 0x64, 0x69, 0x74, 0x65, 0x64)))))));
        for (int i = 0; i < VALID.length; i++) {
            int code = VALID[i];
            cases.add(Case.of("7.7." + (i + 1), "a Close with the valid code " + code + ": echoed",
                    Expectation.closedBySuite(true, 1000, code), Step.close(Frame.close(code))));
        }
        for (int i = 0; i < INVALID.length; i++) {
            int code = INVALID[i];
            cases.add(Case.of("7.9." + (i + 1), "a Close with the invalid code " + code + ": protocol error",
                    Expectation.closedBySuite(false, 1002), Step.close(Frame.close(code))));
        }
        cases.add(Case.of("7.13.1", "a Close with code 5000 (informational)",
                Expectation.closedBySuite(false, 1000, 5000, 1002).asInformational(), Step.close(Frame.close(5000))));
        cases.add(Case.of("7.13.2", "a Close with code 65535 (informational)",
                Expectation.closedBySuite(false, 1000, 65535, 1002).asInformational(), Step.close(Frame.close(65535))));
        return cases;
    }
}
