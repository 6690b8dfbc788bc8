package dev.leanws.testing.conformance;

import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Autobahn|Testsuite section 9 (limits and performance: up to 16 MiB messages, 4 MiB in 64-byte
 * fragments, 1 MiB in 64-byte TCP chops, 1000 round trips) against an implementation with its
 * default limits. Tagged slow: CI runs it, {@code -Dleanws.excludedGroups=slow} skips it.
 */
@Tag("slow")
public abstract class AutobahnLimits extends AutobahnCases {

    protected AutobahnLimits(String side, Starter starter) {
        super(side, "section-9", starter);
    }

    public Stream<Case> limits() {
        return Catalogue.section(9).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limits")
    public void section9LimitsAndPerformance(Case c) throws Exception {
        check(c);
    }
}
