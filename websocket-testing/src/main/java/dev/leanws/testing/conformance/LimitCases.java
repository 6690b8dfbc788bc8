package dev.leanws.testing.conformance;

import static dev.leanws.testing.conformance.Payloads.ascii;
import static dev.leanws.testing.conformance.Payloads.bytes;
import static dev.leanws.testing.conformance.Payloads.filled;
import static dev.leanws.testing.conformance.Payloads.repeated;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Section 9, limits and performance: messages of 64 KiB to 16 MiB whole (9.1, 9.2), 4 MiB in
 * fragments of 64 B to 4 MiB (9.3, 9.4), 1 MiB in TCP chops of 64 B to 2 KiB (9.5, 9.6), and
 * 1000 round trips of 0 B to 4 KiB (9.7, 9.8). Payloads are built when a case runs.
 */
final class LimitCases {

    /**
     * How long a case may take. Each takes well under a second here; a tighter budget than
     * Autobahn's (up to 100 s) makes a performance collapse a FAILED case, as the quadratic
     * growth of fragmented messages once was (26 s for 9.3.1).
     */
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final byte[] TEXT = ascii("BAsd7&jh23");
    private static final byte[] BINARY = bytes(0x00, 0xfe, 0x23, 0xfa, 0xf0);

    private LimitCases() {
    }

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        int[] sizes = {64 << 10, 256 << 10, 1 << 20, 4 << 20, 8 << 20, 16 << 20};
        int[] fragments = {64, 256, 1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20};
        int[] chops = {64, 128, 256, 512, 1024, 2048};
        int[] roundTrips = {0, 16, 64, 256, 1024, 4096};
        for (boolean binary : new boolean[] {false, true}) {
            String kind = binary ? "binary" : "text";
            for (int i = 0; i < sizes.length; i++) {
                int size = sizes[i];
                cases.add(whole((binary ? "9.2." : "9.1.") + (i + 1), kind + " message of " + label(size), binary, size, 0));
            }
        }
        for (boolean binary : new boolean[] {false, true}) {
            for (int i = 0; i < fragments.length; i++) {
                cases.add(fragmented((binary ? "9.4." : "9.3.") + (i + 1), binary, 4 << 20, fragments[i]));
            }
        }
        for (boolean binary : new boolean[] {false, true}) {
            for (int i = 0; i < chops.length; i++) {
                cases.add(whole((binary ? "9.6." : "9.5.") + (i + 1), (binary ? "binary" : "text")
                        + " message of 1 MiB in TCP chops of " + chops[i] + " bytes", binary, 1 << 20, chops[i]));
            }
        }
        for (boolean binary : new boolean[] {false, true}) {
            for (int i = 0; i < roundTrips.length; i++) {
                cases.add(exchanges((binary ? "9.8." : "9.7.") + (i + 1), binary, roundTrips[i], 1000));
            }
        }
        return cases;
    }

    private static String label(int size) {
        return size >= 1 << 20 ? (size >> 20) + " MiB" : (size >> 10) + " KiB";
    }

    private static Case whole(String id, String description, boolean binary, int size, int chop) {
        return new Case(id, description, () -> {
            byte[] payload = repeated(binary ? BINARY : TEXT, size);
            return new Case.Script(List.of(Step.chopped(binary ? Frame.binary(payload) : Frame.text(payload), chop)),
                    Expectation.echo(binary ? Event.binary(payload) : Event.text(payload)).patient(WAIT));
        });
    }

    private static Case fragmented(String id, boolean binary, int size, int fragment) {
        String description = (binary ? "binary" : "text") + " message of " + label(size) + " in fragments of "
                + (fragment >= 1 << 10 ? label(fragment) : fragment + " bytes");
        return new Case(id, description, () -> {
            byte[] payload = filled(size, binary ? 0xfe : '*');
            List<Step> steps = new ArrayList<>();
            for (int at = 0; at < size; at += fragment) {
                byte[] part = java.util.Arrays.copyOfRange(payload, at, Math.min(size, at + fragment));
                boolean fin = at + fragment >= size;
                steps.add(Step.send(at == 0 ? new Frame(fin, 0, binary ? Frame.BINARY : Frame.TEXT, part)
                        : Frame.continuation(fin, part)));
            }
            return new Case.Script(steps, Expectation.echo(binary ? Event.binary(payload) : Event.text(payload)).patient(WAIT));
        });
    }

    private static Case exchanges(String id, boolean binary, int size, int count) {
        String description = count + " " + (binary ? "binary" : "text") + " messages of " + size + " bytes, one at a time";
        return new Case(id, description, () -> {
            byte[] payload = filled(size, binary ? 0xfe : '*');
            Event[] echoes = new Event[count];
            java.util.Arrays.fill(echoes, binary ? Event.binary(payload) : Event.text(payload));
            return new Case.Script(List.of(new Step.Exchange(binary ? Frame.binary(payload) : Frame.text(payload), count)),
                    Expectation.echo(echoes).patient(WAIT));
        });
    }
}
