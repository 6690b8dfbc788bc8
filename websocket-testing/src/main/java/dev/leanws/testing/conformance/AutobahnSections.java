package dev.leanws.testing.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Autobahn|Testsuite case list, sections 1-7 and 10, one parameterized test per section.
 * Section 9, the slow one, is {@link AutobahnLimits}.
 */
public abstract class AutobahnSections extends AutobahnCases {

    protected AutobahnSections(String side, Starter starter) {
        super(side, "sections-1-7-10", starter);
    }

    public Stream<Case> framing() {
        return Catalogue.section(1).stream();
    }

    public Stream<Case> pingsAndPongs() {
        return Catalogue.section(2).stream();
    }

    public Stream<Case> reservedBits() {
        return Catalogue.section(3).stream();
    }

    public Stream<Case> opcodes() {
        return Catalogue.section(4).stream();
    }

    public Stream<Case> fragmentation() {
        return Catalogue.section(5).stream();
    }

    public Stream<Case> utf8() {
        return Catalogue.section(6).stream();
    }

    public Stream<Case> closeHandling() {
        return Catalogue.section(7).stream();
    }

    public Stream<Case> autoFragmentation() {
        return Catalogue.section(10).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framing")
    public void section1Framing(Case c) throws Exception {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pingsAndPongs")
    public void section2PingsAndPongs(Case c) throws Exception {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reservedBits")
    public void section3ReservedBits(Case c) throws Exception {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("opcodes")
    public void section4Opcodes(Case c) throws Exception {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fragmentation")
    public void section5Fragmentation(Case c) throws Exception {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("utf8")
    public void section6Utf8(Case c) throws Exception {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("closeHandling")
    public void section7CloseHandling(Case c) throws Exception {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("autoFragmentation")
    public void section10AutoFragmentation(Case c) throws Exception {
        check(c);
    }

    @Test
    public void theRatchetFileListsEveryCaseOnceInOrder() {
        List<String> ids = Catalogue.all().stream().map(Case::id).toList();
        assertEquals(ids, ratchet().ids());
    }
}
