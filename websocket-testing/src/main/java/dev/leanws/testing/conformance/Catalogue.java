package dev.leanws.testing.conformance;

import java.util.ArrayList;
import java.util.List;

/**
 * The Autobahn|Testsuite case list we walk, by section: 1 framing, 2 pings/pongs, 3 reserved
 * bits, 4 opcodes, 5 fragmentation, 6 UTF-8, 7 close handling, 9 limits/performance,
 * 10 auto-fragmentation. Sections 12 and 13 (permessage-deflate) are left out until
 * compression exists; 8 and 11 are empty in the suite.
 */
public final class Catalogue {

    /** The sections we cover. */
    public static final List<Integer> SECTIONS = List.of(1, 2, 3, 4, 5, 6, 7, 9, 10);

    private Catalogue() {
    }

    /** The cases of one section, in Autobahn's order. */
    public static List<Case> section(int section) {
        return switch (section) {
            case 1 -> FramingCases.all();
            case 2 -> PingPongCases.all();
            case 3 -> ReservedCases.section3();
            case 4 -> ReservedCases.section4();
            case 5 -> FragmentationCases.all();
            case 6 -> {
                List<Case> cases = new ArrayList<>(Utf8Cases.all());
                cases.addAll(Utf8Vectors.all());
                yield cases;
            }
            case 7 -> CloseCases.all();
            case 9 -> LimitCases.all();
            case 10 -> List.of(autoFragmentation());
            default -> throw new IllegalArgumentException("no section " + section);
        };
    }

    /** Every case we cover. */
    public static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        SECTIONS.forEach(s -> cases.addAll(section(s)));
        return cases;
    }

    /** 10.1.1: a 64 KiB text message in 1300-byte fragments (the suite's auto-fragmentation), echoed. */
    private static Case autoFragmentation() {
        byte[] payload = Payloads.filled(65536, '*');
        List<Step> steps = new ArrayList<>();
        for (int at = 0; at < payload.length; at += 1300) {
            byte[] part = java.util.Arrays.copyOfRange(payload, at, Math.min(payload.length, at + 1300));
            boolean fin = at + 1300 >= payload.length;
            steps.add(Step.send(at == 0 ? new Frame(fin, 0, Frame.TEXT, part) : Frame.continuation(fin, part)));
        }
        return Case.of("10.1.1", "text message of 64 KiB in fragments of 1300 bytes",
                Expectation.echo(Event.text(payload)), steps.toArray(Step[]::new));
    }
}
