package dev.leanws.server.conformance;

import dev.leanws.testing.conformance.AutobahnLimits;

/** Autobahn section 9 (limits and performance, tagged slow) against our server with its default limits. */
class AutobahnServerLimitsTest extends AutobahnLimits {

    AutobahnServerLimitsTest() {
        super("server", () -> EchoServer.start(EchoServer.CONFIG));
    }
}
