package dev.leanws.testing.conformance;

import static dev.leanws.testing.conformance.Payloads.ascii;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Section 5, fragmentation: fragmented control frames fail, fragmented messages are reassembled
 * (with a ping in between answered at once), continuations without a message fail, and a
 * message split across a pause is answered after it.
 */
final class FragmentationCases {

    private static final byte[] F1 = ascii("fragment1");
    private static final byte[] F2 = ascii("fragment2");
    private static final byte[] PING = ascii("ping payload");

    private FragmentationCases() {
    }

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        cases.add(Case.of("5.1", "ping fragmented into 2 fragments", Expectation.fails(1002),
                Step.send(new Frame(false, 0, Frame.PING, F1)), Step.send(Frame.continuation(true, F2))));
        cases.add(Case.of("5.2", "pong fragmented into 2 fragments", Expectation.fails(1002),
                Step.send(new Frame(false, 0, Frame.PONG, F1)), Step.send(Frame.continuation(true, F2))));
        Frame[] twoFragments = {new Frame(false, 0, Frame.TEXT, F1), Frame.continuation(true, F2)};
        Event message = Event.text(Payloads.concat(F1, F2));
        cases.add(chops("5.3", "text message in 2 fragments", Expectation.echo(message), twoFragments, Chop.TOGETHER));
        cases.add(chops("5.4", "text message in 2 fragments, frame-wise chops", Expectation.echo(message), twoFragments, Chop.FRAME));
        cases.add(chops("5.5", "text message in 2 fragments, octet-wise chops", Expectation.echo(message), twoFragments, Chop.BYTE));
        Frame[] pingBetween = {new Frame(false, 0, Frame.TEXT, F1), Frame.ping(PING), Frame.continuation(true, F2)};
        Expectation pongThenMessage = Expectation.echo(Event.pong(PING), message);
        cases.add(chops("5.6", "text in 2 fragments, a ping in between", pongThenMessage, pingBetween, Chop.TOGETHER));
        cases.add(chops("5.7", "text in 2 fragments, a ping in between, frame-wise chops", pongThenMessage, pingBetween, Chop.FRAME));
        cases.add(chops("5.8", "text in 2 fragments, a ping in between, octet-wise chops", pongThenMessage, pingBetween, Chop.BYTE));
        for (boolean fin : new boolean[] {true, false}) {
            int n = fin ? 9 : 12;
            Frame[] orphan = {Frame.continuation(fin, ascii("non-continuation payload")), Frame.text("Hello, world!")};
            String what = "continuation (FIN = " + fin + ") with nothing to continue, then a text message";
            cases.add(chops("5." + n, what, Expectation.fails(1002), orphan, Chop.TOGETHER));
            cases.add(chops("5." + (n + 1), what + ", frame-wise chops", Expectation.fails(1002), orphan, Chop.FRAME));
            cases.add(chops("5." + (n + 2), what + ", octet-wise chops", Expectation.fails(1002), orphan, Chop.BYTE));
        }
        cases.add(Case.of("5.15", "text in 2 fragments, then a continuation (FIN = false) with nothing to continue, then text",
                Expectation.fails(1002, message).orNonStrict(),
                Step.send(twoFragments[0]), Step.send(twoFragments[1]),
                Step.send(Frame.continuation(false, ascii("fragment3"))), Step.send(Frame.text("fragment4"))));
        cases.add(twice("5.16", false));
        cases.add(twice("5.17", true));
        cases.add(Case.of("5.18", "text in 2 fragments, both with the text opcode", Expectation.fails(1002),
                Step.send(new Frame(false, 0, Frame.TEXT, F1)), Step.send(Frame.text(F2))));
        cases.add(pauseInside("5.19", false));
        cases.add(pauseInside("5.20", true));
        return cases;
    }

    private enum Chop { TOGETHER, FRAME, BYTE }

    private static Case chops(String id, String description, Expectation expectation, Frame[] frames, Chop chop) {
        Function<Frame, Step> step = switch (chop) {
            case TOGETHER -> Step::send;
            case FRAME -> Step::synced;
            case BYTE -> f -> Step.chopped(f, 1);
        };
        Step[] steps = new Step[frames.length];
        for (int i = 0; i < frames.length; i++) {
            steps[i] = step.apply(frames[i]);
        }
        return Case.of(id, description, expectation, steps);
    }

    /** Twice: a continuation with nothing to continue (FIN as given), then a text message in 2 fragments. */
    private static Case twice(String id, boolean fin) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            steps.add(Step.send(Frame.continuation(fin, ascii("fragment1"))));
            steps.add(Step.send(new Frame(false, 0, Frame.TEXT, ascii("fragment2"))));
            steps.add(Step.send(Frame.continuation(true, ascii("fragment3"))));
        }
        return Case.of(id, "2x: continuation (FIN = " + fin + ") with nothing to continue, then text in 2 fragments",
                Expectation.fails(1002), steps.toArray(Step[]::new));
    }

    /**
     * A message in 5 fragments with two pings and a 1 s pause after the first ping. Autobahn
     * expects the first pong "immediately", before the message ends; the marker after the pause
     * makes that part of the expectation (the pong must come before it).
     */
    private static Case pauseInside(String id, boolean sync) {
        byte[][] fragments = new byte[5][];
        for (int i = 0; i < 5; i++) {
            fragments[i] = ascii("fragment" + (i + 1));
        }
        byte[] ping1 = ascii("pongme 1!");
        byte[] ping2 = ascii("pongme 2!");
        Function<Frame, Step> send = sync ? Step::synced : Step::send;
        return Case.of(id, "text in 5 fragments, a ping after the 2nd, a 1 s pause, then 2 more, a ping and the last"
                        + (sync ? ", frame-wise chops" : ""),
                Expectation.echo(Event.pong(ping1), Event.timeout("A"), Event.pong(ping2), Event.text(Payloads.concat(fragments))),
                send.apply(new Frame(false, 0, Frame.TEXT, fragments[0])),
                send.apply(Frame.continuation(false, fragments[1])),
                send.apply(Frame.ping(ping1)),
                Step.pause(1000, "A"),
                send.apply(Frame.continuation(false, fragments[2])),
                send.apply(Frame.continuation(false, fragments[3])),
                send.apply(Frame.ping(ping2)),
                send.apply(Frame.continuation(true, fragments[4])));
    }
}
