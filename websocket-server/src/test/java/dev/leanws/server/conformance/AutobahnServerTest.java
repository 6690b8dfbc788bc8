package dev.leanws.server.conformance;

import dev.leanws.testing.WirePeer;
import dev.leanws.testing.conformance.AutobahnSections;

/**
 * The Autobahn|Testsuite case list, sections 1-7 and 10, played against our server by a raw
 * client ({@link WirePeer}): each case must end as {@code server-expected.txt} says (OK for
 * all of them), which includes the exact close code and the server closing TCP after the
 * closing handshake. Section 9 is in {@link AutobahnServerLimitsTest}. Results:
 * {@code target/conformance/server-*.txt}.
 */
class AutobahnServerTest extends AutobahnSections {

    AutobahnServerTest() {
        super("server", () -> EchoServer.start(EchoServer.CONFIG));
    }
}
