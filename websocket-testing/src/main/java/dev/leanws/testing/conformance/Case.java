package dev.leanws.testing.conformance;

import java.util.List;
import java.util.function.Supplier;

/**
 * One Autobahn|Testsuite case, as data: its id ("6.4.1"), what it does, and a script built
 * when it runs (large payloads exist only while their case runs).
 *
 * @param id          the Autobahn case id
 * @param description what the case sends, in a line
 * @param script      builds the steps and the expectation
 */
public record Case(String id, String description, Supplier<Script> script) {

    /** The steps to run and what counts as OK. */
    public record Script(List<Step> steps, Expectation expectation) {
        public Script {
            steps = List.copyOf(steps);
        }
    }

    public static Case of(String id, String description, Expectation expectation, Step... steps) {
        Script script = new Script(List.of(steps), expectation);
        return new Case(id, description, () -> script);
    }

    /** The section: the number before the first dot. */
    public int section() {
        return Integer.parseInt(id.substring(0, id.indexOf('.')));
    }

    @Override
    public String toString() {
        return id + " " + description;
    }
}
