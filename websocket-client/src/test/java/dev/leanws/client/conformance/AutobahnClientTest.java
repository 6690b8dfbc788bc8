package dev.leanws.client.conformance;

import dev.leanws.testing.WirePeer;
import dev.leanws.testing.conformance.AutobahnSections;

/**
 * The Autobahn|Testsuite case list, sections 1-7 and 10, played against our client by a raw
 * server ({@link WirePeer}) that sends the cases' frames unmasked: each case must end as
 * {@code client-expected.txt} says, which includes the client's masked Close with the exact
 * code and the client closing TCP after the server's. Section 9 is in
 * {@link AutobahnClientLimitsTest}. Results: {@code target/conformance/client-*.txt}.
 */
class AutobahnClientTest extends AutobahnSections {

    AutobahnClientTest() {
        super("client", EchoClient::player);
    }
}
