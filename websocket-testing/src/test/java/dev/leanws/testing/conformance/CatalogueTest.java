package dev.leanws.testing.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The catalogue has Autobahn|Testsuite's cases: the same count per section, unique ids, in its order. */
class CatalogueTest {

    @Test
    void sectionsHaveAutobahnsCaseCounts() {
        Map<Integer, Integer> counts = new LinkedHashMap<>();
        Catalogue.SECTIONS.forEach(s -> counts.put(s, Catalogue.section(s).size()));
        assertEquals(Map.of(1, 16, 2, 11, 3, 7, 4, 10, 5, 20, 6, 145, 7, 37, 9, 54, 10, 1), counts);
    }

    @Test
    void idsAreUniqueAndInOrder() {
        List<String> ids = Catalogue.all().stream().map(Case::id).toList();
        assertEquals(ids.size(), new HashSet<>(ids).size());
        assertEquals(ids.stream().sorted(Ratchet.BY_ID).toList(), ids);
    }

    @Test
    void everyUtf8VectorIsJudgedAsTheJdkDecoderJudgesIt() {
        for (Case c : Catalogue.section(6)) {
            if (!c.id().matches("6\\.(\\d\\d|[5-9])\\..*")) {
                continue;   // 6.5-6.23: one text frame each
            }
            Case.Script script = c.script().get();
            byte[] text = ((Step.Send) script.steps().get(0)).frame().payload();
            assertEquals(Transcript.isUtf8(text), script.expectation().suiteCloses(), c.toString());
        }
    }
}
