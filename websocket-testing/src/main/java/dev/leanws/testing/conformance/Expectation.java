package dev.leanws.testing.conformance;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What Autobahn|Testsuite calls OK for a case, and what it calls NON-STRICT.
 *
 * @param ok            the events an OK implementation produces, in order
 * @param nonStrict     the events of a tolerated but lax implementation, or null
 * @param suiteCloses   whether the suite starts the closing handshake (the implementation
 *                      must not); false means the implementation must fail the connection
 * @param closeCodes    close codes the implementation may send (an empty Close is accepted too)
 * @param requireClean  whether both Close frames must be exchanged (else dropping TCP is fine)
 * @param informational whether the RFC leaves the outcome open: the case records what
 *                      happened instead of judging it
 * @param patience      how long the suite waits for the expected events before closing anyway
 */
public record Expectation(List<Event> ok, List<Event> nonStrict, boolean suiteCloses, Set<Integer> closeCodes,
        boolean requireClean, boolean informational, Duration patience) {

    static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

    public Expectation {
        ok = List.copyOf(ok);
        nonStrict = nonStrict == null ? null : List.copyOf(nonStrict);
        closeCodes = Set.copyOf(closeCodes);
    }

    /** The implementation answers with {@code events}; the suite then closes with 1000, cleanly. */
    public static Expectation echo(Event... events) {
        return new Expectation(List.of(events), null, true, Set.of(1000), true, false, DEFAULT_WAIT);
    }

    /** The implementation fails the connection with one of {@code codes}, after {@code events}. */
    public static Expectation fails(Set<Integer> codes, Event... events) {
        return new Expectation(List.of(events), null, false, codes, false, false, DEFAULT_WAIT);
    }

    public static Expectation fails(int code, Event... events) {
        return fails(Set.of(code), events);
    }

    /** The suite sends a Close (in the script); the implementation answers with one of {@code codes}. */
    public static Expectation closedBySuite(boolean requireClean, Integer... codes) {
        return new Expectation(List.of(), null, true, Set.copyOf(List.of(codes)), requireClean, false, DEFAULT_WAIT);
    }

    public Expectation orNonStrict(Event... events) {
        return new Expectation(ok, List.of(events), suiteCloses, closeCodes, requireClean, informational, patience);
    }

    public Expectation asInformational() {
        return new Expectation(ok, nonStrict, suiteCloses, closeCodes, requireClean, true, patience);
    }

    public Expectation patient(Duration value) {
        return new Expectation(ok, nonStrict, suiteCloses, closeCodes, requireClean, informational, value);
    }
}
