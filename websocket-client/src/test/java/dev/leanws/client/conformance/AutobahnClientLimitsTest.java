package dev.leanws.client.conformance;

import dev.leanws.testing.WirePeer;
import dev.leanws.testing.conformance.Case;
import dev.leanws.testing.conformance.Catalogue;
import dev.leanws.testing.conformance.Ratchet;
import java.net.ServerSocket;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Autobahn|Testsuite section 9 (limits and performance) against our client with its default
 * limits. Tagged slow: CI runs it, {@code -Dleanws.excludedGroups=slow} skips it.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AutobahnClientLimitsTest {

    private final Ratchet ratchet = Ratchet.load(AutobahnClientTest.EXPECTED, "client");
    private ServerSocket listener;

    @BeforeAll
    void listen() throws Exception {
        listener = WirePeer.listen();
    }

    @AfterAll
    void stop() throws Exception {
        listener.close();
        ratchet.writeReport("section-9");
    }

    Stream<Case> limits() {
        return Catalogue.section(9).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limits")
    void section9LimitsAndPerformance(Case c) throws Exception {
        AutobahnClientTest.run(c, listener, ratchet);
    }
}
