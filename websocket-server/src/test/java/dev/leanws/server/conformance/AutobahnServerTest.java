package dev.leanws.server.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leanws.testing.WirePeer;
import dev.leanws.testing.conformance.Case;
import dev.leanws.testing.conformance.CaseRunner;
import dev.leanws.testing.conformance.Catalogue;
import dev.leanws.testing.conformance.Ratchet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Autobahn|Testsuite case list, sections 1-7 and 10, played against our server by a raw
 * client ({@link WirePeer}): each case must end as {@code server-expected.txt} says (OK for
 * all of them), which includes the exact close code and the server closing TCP after the
 * closing handshake. Section 9 is in {@link AutobahnServerLimitsTest}. Results:
 * {@code target/conformance/server-*.txt}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AutobahnServerTest {

    static final String EXPECTED = "/conformance/server-expected.txt";

    private final Ratchet ratchet = Ratchet.load(EXPECTED, "server");
    private EchoServer server;

    @BeforeAll
    void start() throws Exception {
        server = EchoServer.start(EchoServer.CONFIG);
    }

    @AfterAll
    void stop() {
        server.close();
        ratchet.writeReport("sections-1-7-10");
    }

    void run(Case c) throws Exception {
        ratchet.check(c, server.judge(CaseRunner.run(c, WirePeer.connect(server.port(), "/"))));
    }

    Stream<Case> framing() {
        return Catalogue.section(1).stream();
    }

    Stream<Case> pingsAndPongs() {
        return Catalogue.section(2).stream();
    }

    Stream<Case> reservedBits() {
        return Catalogue.section(3).stream();
    }

    Stream<Case> opcodes() {
        return Catalogue.section(4).stream();
    }

    Stream<Case> fragmentation() {
        return Catalogue.section(5).stream();
    }

    Stream<Case> utf8() {
        return Catalogue.section(6).stream();
    }

    Stream<Case> closeHandling() {
        return Catalogue.section(7).stream();
    }

    Stream<Case> autoFragmentation() {
        return Catalogue.section(10).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framing")
    void section1Framing(Case c) throws Exception {
        run(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pingsAndPongs")
    void section2PingsAndPongs(Case c) throws Exception {
        run(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reservedBits")
    void section3ReservedBits(Case c) throws Exception {
        run(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("opcodes")
    void section4Opcodes(Case c) throws Exception {
        run(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fragmentation")
    void section5Fragmentation(Case c) throws Exception {
        run(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("utf8")
    void section6Utf8(Case c) throws Exception {
        run(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("closeHandling")
    void section7CloseHandling(Case c) throws Exception {
        run(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("autoFragmentation")
    void section10AutoFragmentation(Case c) throws Exception {
        run(c);
    }

    @Test
    void theRatchetFileListsEveryCaseOnceInOrder() {
        List<String> ids = Catalogue.all().stream().map(Case::id).toList();
        assertEquals(ids, ratchet.ids());
    }
}
