package dev.leanws.handshake;

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

class HttpHeadersTest {

    @Test
    void namesAreCaseInsensitiveAndRepeatedFieldsKept() {
        HttpHeaders h = HttpHeaders.of("Host", "a", "X-Multi", "1", "x-multi", "2", "X-MULTI", "3");
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
        HttpHeaders h = HttpHeaders.of("Connection", "keep-alive, Upgrade", "connection", " ,close ,, ");
        assertEquals(List.of("keep-alive", "Upgrade", "close"), h.tokens("CONNECTION"));
        assertTrue(h.containsToken("Connection", "upgrade"));
        assertTrue(h.containsToken("connection", "KEEP-ALIVE"));
        assertFalse(h.containsToken("Connection", "upgrad"));
        assertFalse(h.containsToken("Upgrade", "websocket"));
    }

    @Test
    void setReplacesAllFieldsInPlace() {
        HttpHeaders h = HttpHeaders.of("A", "1", "B", "2", "a", "3");
        h.set("a", "x");
        assertEquals(HttpHeaders.of("a", "x", "B", "2"), h);
        h.set("C", "y");
        assertEquals(List.of("a", "B", "C"), h.names());
        h.remove("b");
        assertEquals(HttpHeaders.of("A", "x", "C", "y"), h);
    }

    @Test
    void toMapIsUnmodifiableAndCaseInsensitive() {
        Map<String, List<String>> map = HttpHeaders.of("Upgrade", "websocket", "X", "1", "x", "2").toMap();
        assertEquals(List.of("websocket"), map.get("upgrade"));
        assertEquals(List.of("1", "2"), map.get("X"));
        assertEquals(2, map.size());
        assertThrows(UnsupportedOperationException.class, () -> map.put("Y", List.of()));
        assertThrows(UnsupportedOperationException.class, () -> map.get("x").add("3"));
    }

    @Test
    void immutableCopyRefusesChangesAndIsDetached() {
        HttpHeaders h = HttpHeaders.of("A", "1");
        HttpHeaders frozen = h.immutableCopy();
        h.add("B", "2");
        assertEquals(1, frozen.size());
        assertTrue(frozen.isReadOnly());
        assertThrows(UnsupportedOperationException.class, () -> frozen.add("C", "3"));
        assertThrows(UnsupportedOperationException.class, () -> frozen.set("A", "3"));
        assertThrows(UnsupportedOperationException.class, () -> frozen.remove("A"));
        assertEquals(frozen, frozen.immutableCopy());
        HttpHeaders thawed = frozen.mutableCopy().add("C", "3");
        assertEquals(2, thawed.size());
    }

    @Test
    void equalityIgnoresNameCaseButNotOrderOrValueCase() {
        assertEquals(HttpHeaders.of("A", "x"), HttpHeaders.of("a", "x"));
        assertEquals(HttpHeaders.of("A", "x").hashCode(), HttpHeaders.of("a", "x").hashCode());
        assertNotEquals(HttpHeaders.of("A", "x"), HttpHeaders.of("A", "X"));
        assertNotEquals(HttpHeaders.of("A", "1", "B", "2"), HttpHeaders.of("B", "2", "A", "1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bad Name", "Bad:Name", "Bad\r\nName", "Nämé"})
    void invalidNamesAreRefused(String name) {
        assertThrows(IllegalArgumentException.class, () -> new HttpHeaders().add(name, "v"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nInjected: yes", "a\nb", "a\rb", "nul\0", "del\u007F", "snow\u2603"})
    void valuesThatCouldBreakTheHeadAreRefused(String value) {
        assertThrows(IllegalArgumentException.class, () -> new HttpHeaders().add("X", value));
        assertThrows(IllegalArgumentException.class, () -> new HttpHeaders().set("X", value));
    }

    @Test
    void tabAndLatin1ValuesAreAllowed() {
        assertEquals(Optional.of("a\tb é"), new HttpHeaders().add("X", "a\tb é").first("x"));
    }

    @Test
    void oddPairsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> HttpHeaders.of("A"));
    }
}
