package dev.leanws.client.conformance;

import dev.leanws.testing.conformance.AutobahnLimits;

/** Autobahn section 9 (limits and performance, tagged slow) against our client with its default limits. */
class AutobahnClientLimitsTest extends AutobahnLimits {

    AutobahnClientLimitsTest() {
        super("client", EchoClient::player);
    }
}
