package dev.leanws.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderFieldsTest {

    @Test
    void namesAreCaseInsensitiveAndRepeatedFieldsKept() {
        HeaderFields h = HeaderFields.of("Host", "a", "X-Multi", "1", "x-multi", "2", "X-MULTI", "3");
        assertEquals(Optional.of("a"), h.first("HOST"));
        assertEquals(List.of("1", "2", "3"), h.all("x-Multi"));
        assertEquals(3, h.count("X-MULTI"));
        assertTrue(h.contains("host"));
        assertFalse(h.contains("Upgrade"));
        assertEquals(Optional.empty(), h.first("Upgrade"));
        assertEquals(List.of(), h.all("Upgrade"));
        assertEquals(List.of("Host", "X-Multi"), h.names());
        assertEquals(4, h.size());
    }

    @Test
    void tokensSplitCommaListsAcrossFields() {
        HeaderFields h = HeaderFields.of("Connection", "keep-alive, Upgrade", "connection", " ,close ,, ");
        assertEquals(List.of("keep-alive", "Upgrade", "close"), h.tokens("CONNECTION"));
        assertTrue(h.containsToken("Connection", "upgrade"));
        assertTrue(h.containsToken("connection", "KEEP-ALIVE"));
        assertFalse(h.containsToken("Connection", "upgrad"));
        assertFalse(h.containsToken("Upgrade", "websocket"));
    }

    @Test
    void containsTokenMatchesWholeElementsIgnoringCaseAndWhitespaceExactlyAsTokensDoes() {
        String[] values = {"Upgrade", "keep-alive,Upgrade", " upgrade\t", "\tkeep-alive ,\tUPGRADE , ", ",,upgrade,,",
            "Upgrades", "Up grade", "upgrade-h2c", "x, Upgradex", "", ",", " , ", "keep-alive", "upgrade,"};
        for (String value : values) {
            HeaderFields h = HeaderFields.of("Connection", value);
            boolean byList = h.tokens("Connection").stream().anyMatch(t -> t.equalsIgnoreCase("Upgrade"));
            assertEquals(byList, h.containsToken("connection", "Upgrade"), "\"" + value + "\"");
        }
        assertTrue(HeaderFields.of("Connection", "keep-alive", "Connection", " upgrade").containsToken("Connection", "upgrade"));
        assertFalse(HeaderFields.of("Connection", "a,,b").containsToken("Connection", ""), "an empty element is no token");
    }

    @Test
    void aReadOnlyViewSharesTheFieldsAndRefusesChanges() {
        HeaderFields h = HeaderFields.of("A", "1", "B", "2");
        HeaderFields view = h.readOnlyView();
        assertTrue(view.isReadOnly());
        assertEquals(h, view);
        assertEquals("B", view.nameAt(1));
        assertEquals("2", view.valueAt(1));
        assertThrows(UnsupportedOperationException.class, () -> view.add("C", "3"));
        assertTrue(view == view.readOnlyView() && view == view.immutableCopy(), "a view is already read-only");
    }

    @Test
    void setReplacesAllFieldsInPlace() {
        HeaderFields h = HeaderFields.of("A", "1", "B", "2", "a", "3");
        h.set("a", "x");
        assertEquals(HeaderFields.of("a", "x", "B", "2"), h);
        h.set("C", "y");
        assertEquals(List.of("a", "B", "C"), h.names());
        h.remove("b");
        assertEquals(HeaderFields.of("A", "x", "C", "y"), h);
    }

    @Test
    void toMapIsUnmodifiableAndCaseInsensitive() {
        Map<String, List<String>> map = HeaderFields.of("Upgrade", "websocket", "X", "1", "x", "2").toMap();
        assertEquals(List.of("websocket"), map.get("upgrade"));
        assertEquals(List.of("1", "2"), map.get("X"));
        assertEquals(2, map.size());
        assertThrows(UnsupportedOperationException.class, () -> map.put("Y", List.of()));
        assertThrows(UnsupportedOperationException.class, () -> map.get("x").add("3"));
    }

    @Test
    void immutableCopyRefusesChangesAndIsDetached() {
        HeaderFields h = HeaderFields.of("A", "1");
        HeaderFields frozen = h.immutableCopy();
        h.add("B", "2");
        assertEquals(1, frozen.size());
        assertTrue(frozen.isReadOnly());
        assertThrows(UnsupportedOperationException.class, () -> frozen.add("C", "3"));
        assertThrows(UnsupportedOperationException.class, () -> frozen.set("A", "3"));
        assertThrows(UnsupportedOperationException.class, () -> frozen.remove("A"));
        assertEquals(frozen, frozen.immutableCopy());
        HeaderFields thawed = frozen.mutableCopy().add("C", "3");
        assertEquals(2, thawed.size());
    }

    @Test
    void equalityIgnoresNameCaseButNotOrderOrValueCase() {
        assertEquals(HeaderFields.of("A", "x"), HeaderFields.of("a", "x"));
        assertEquals(HeaderFields.of("A", "x").hashCode(), HeaderFields.of("a", "x").hashCode());
        assertNotEquals(HeaderFields.of("A", "x"), HeaderFields.of("A", "X"));
        assertNotEquals(HeaderFields.of("A", "1", "B", "2"), HeaderFields.of("B", "2", "A", "1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bad Name", "Bad:Name", "Bad\r\nName", "Nämé"})
    void invalidNamesAreRefused(String name) {
        assertThrows(IllegalArgumentException.class, () -> new HeaderFields().add(name, "v"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nInjected: yes", "a\nb", "a\rb", "nul\0", "del\u007F", "snow\u2603"})
    void valuesThatCouldBreakTheHeadAreRefused(String value) {
        assertThrows(IllegalArgumentException.class, () -> new HeaderFields().add("X", value));
        assertThrows(IllegalArgumentException.class, () -> new HeaderFields().set("X", value));
    }

    @Test
    void tabAndLatin1ValuesAreAllowed() {
        assertEquals(Optional.of("a\tb é"), new HeaderFields().add("X", "a\tb é").first("x"));
    }

    @Test
    void oddPairsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> HeaderFields.of("A"));
    }
}
