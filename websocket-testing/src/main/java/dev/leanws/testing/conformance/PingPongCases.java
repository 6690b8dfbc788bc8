package dev.leanws.testing.conformance;

import static dev.leanws.testing.conformance.Payloads.ascii;
import static dev.leanws.testing.conformance.Payloads.bytes;
import static dev.leanws.testing.conformance.Payloads.filled;

import java.util.ArrayList;
import java.util.List;

/** Section 2, pings and pongs: payloads 0-125 answered, 126 refused, unsolicited pongs ignored. */
final class PingPongCases {

    private PingPongCases() {
    }

    static List<Case> all() {
        byte[] binary = bytes(0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff);
        byte[] unsolicited = ascii("unsolicited pong payload");
        List<Case> cases = new ArrayList<>(List.of(
                ping("2.1", "ping without payload", new byte[0], 0),
                ping("2.2", "ping with a small text payload", ascii("Hello, world!"), 0),
                ping("2.3", "ping with a small binary (non UTF-8) payload", binary, 0),
                ping("2.4", "ping with a binary payload of 125 bytes", filled(125, 0xfe), 0),
                Case.of("2.5", "ping with a binary payload of 126 bytes: fail (control frames carry at most 125)",
                        Expectation.fails(1002), Step.send(Frame.ping(filled(126, 0xfe)))),
                ping("2.6", "ping with a binary payload of 125 bytes, sent in 1-byte chops", filled(125, 0xfe), 1),
                Case.of("2.7", "unsolicited pong without payload: nothing in reply",
                        Expectation.echo(), Step.send(Frame.pong(new byte[0]))),
                Case.of("2.8", "unsolicited pong with payload: nothing in reply",
                        Expectation.echo(), Step.send(Frame.pong(unsolicited))),
                Case.of("2.9", "unsolicited pong, then a ping: only the ping's pong",
                        Expectation.echo(Event.pong(ascii("ping payload"))),
                        Step.send(Frame.pong(unsolicited)), Step.send(Frame.ping(ascii("ping payload"))))));
        cases.add(tenPings("2.10", "10 pings with payloads, back to back", 0));
        cases.add(tenPings("2.11", "10 pings with payloads, sent in 1-byte chops", 1));
        return cases;
    }

    private static Case ping(String id, String description, byte[] payload, int chop) {
        return Case.of(id, description, Expectation.echo(Event.pong(payload)), Step.chopped(Frame.ping(payload), chop));
    }

    private static Case tenPings(String id, String description, int chop) {
        Step[] steps = new Step[10];
        Event[] pongs = new Event[10];
        for (int i = 0; i < 10; i++) {
            byte[] payload = ascii("payload-" + i);
            steps[i] = Step.chopped(Frame.ping(payload), chop);
            pongs[i] = Event.pong(payload);
        }
        return Case.of(id, description, Expectation.echo(pongs), steps);
    }
}
