package dev.leanws.server.conformance;

import dev.leanws.testing.WirePeer;
import dev.leanws.testing.conformance.Case;
import dev.leanws.testing.conformance.CaseRunner;
import dev.leanws.testing.conformance.Catalogue;
import dev.leanws.testing.conformance.Ratchet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Autobahn|Testsuite section 9 (limits and performance: up to 16 MiB messages, 4 MiB in 64-byte
 * fragments, 1 MiB in 64-byte TCP chops, 1000 round trips) against our server with its
 * default limits. Tagged slow: CI runs it, {@code -Dleanws.excludedGroups=slow} skips it.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AutobahnServerLimitsTest {

    private final Ratchet ratchet = Ratchet.load(AutobahnServerTest.EXPECTED, "server");
    private EchoServer server;

    @BeforeAll
    void start() throws Exception {
        server = EchoServer.start(EchoServer.CONFIG);
    }

    @AfterAll
    void stop() {
        server.close();
        ratchet.writeReport("section-9");
    }

    Stream<Case> limits() {
        return Catalogue.section(9).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limits")
    void section9LimitsAndPerformance(Case c) throws Exception {
        ratchet.check(c, server.judge(CaseRunner.run(c, WirePeer.connect(server.port(), "/"))));
    }
}
