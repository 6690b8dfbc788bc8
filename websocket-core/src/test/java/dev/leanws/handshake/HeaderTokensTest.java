package dev.leanws.handshake;

import dev.leanws.http.internal.HttpParseException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderTokensTest {

    @Test
    void tokenCharacterTableMatchesRfc7230() {
        String tchar = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        for (int c = -1; c < 300; c++) {
            assertEquals(c >= 0 && tchar.indexOf(c) >= 0, HeaderTokens.isTokenChar(c), "char " + c);
        }
        assertTrue(HeaderTokens.isToken("permessage-deflate"));
        assertFalse(HeaderTokens.isToken(""));
        assertFalse(HeaderTokens.isToken(null));
        assertFalse(HeaderTokens.isToken("a b"));
    }

    static Stream<Arguments> validExtensionLists() {
        return Stream.of(
                Arguments.of("permessage-deflate", List.of(ExtensionOffer.of("permessage-deflate"))),
                Arguments.of("permessage-deflate; client_max_window_bits",
                        List.of(ExtensionOffer.of("permessage-deflate", ExtensionParam.of("client_max_window_bits")))),
                Arguments.of("permessage-deflate; client_max_window_bits=10; server_no_context_takeover",
                        List.of(ExtensionOffer.of("permessage-deflate", ExtensionParam.of("client_max_window_bits", "10"),
                                ExtensionParam.of("server_no_context_takeover")))),
                // whitespace around ';', '=' and ','
                Arguments.of("  a ;x = 1\t;\ty ,\tb  ", List.of(
                        ExtensionOffer.of("a", ExtensionParam.of("x", "1"), ExtensionParam.of("y")),
                        ExtensionOffer.of("b"))),
                Arguments.of("a;x=1;y", List.of(ExtensionOffer.of("a", ExtensionParam.of("x", "1"), ExtensionParam.of("y")))),
                // quoted strings are unquoted
                Arguments.of("a; x=\"10\"", List.of(ExtensionOffer.of("a", ExtensionParam.of("x", "10")))),
                Arguments.of("a; x=\"b\\az\"", List.of(ExtensionOffer.of("a", ExtensionParam.of("x", "baz")))),
                Arguments.of("a; x=\"\\1\\0\"", List.of(ExtensionOffer.of("a", ExtensionParam.of("x", "10")))),
                Arguments.of("a; x = \"q\" , b", List.of(ExtensionOffer.of("a", ExtensionParam.of("x", "q")), ExtensionOffer.of("b"))),
                // empty list elements are ignored (RFC 7230 §7)
                Arguments.of(" , a ,, b , ", List.of(ExtensionOffer.of("a"), ExtensionOffer.of("b"))),
                // one extension offered twice, in order of preference (RFC 7692 §5)
                Arguments.of("permessage-deflate; client_max_window_bits, permessage-deflate", List.of(
                        ExtensionOffer.of("permessage-deflate", ExtensionParam.of("client_max_window_bits")),
                        ExtensionOffer.of("permessage-deflate"))));
    }

    @ParameterizedTest
    @MethodSource("validExtensionLists")
    void parsesExtensionLists(String header, List<ExtensionOffer> expected) throws Exception {
        List<ExtensionOffer> parsed = HeaderTokens.parseExtensions(header);
        assertEquals(expected, parsed);
        // formatting is canonical and parses back to the same elements
        assertEquals(expected, HeaderTokens.parseExtensions(HeaderTokens.formatExtensions(parsed)));
    }

    @Test
    void formatsCanonically() throws Exception {
        assertEquals("a; x=1; y, b", HeaderTokens.formatExtensions(HeaderTokens.parseExtensions("a ;x=\"1\";y,b")));
    }

    @Test
    void severalHeaderFieldsAreOneList() throws Exception {
        assertEquals(List.of(ExtensionOffer.of("a"), ExtensionOffer.of("b", ExtensionParam.of("x"))),
                HeaderTokens.parseExtensions(List.of("a", "b; x")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            " , ",
            "a;",                   // ';' without a parameter
            "a; ",
            "a; =1",                // parameter without a name
            "a; x=",                // '=' without a value
            "a; x= ;y",
            "a; x=\"\"",            // empty quoted string is not a token
            "a; x=\"b c\"",         // not a token once unquoted (RFC 6455 §9.1)
            "a; x=\"b,c\"",
            "a; x=\"b\\\"c\"",      // an escaped quote is not a token character
            "a; x=\"abc",           // unterminated
            "a; x=\"abc\\\"",       // escaped closing quote: unterminated
            "a; x=\"ab\"c",         // text after the closing quote
            "a; x=1 2",
            "a b",
            "a=1",
            ";x",
            "a, ;x",
            "fo@o",
            "a; x@y",
            "a; x=@",
            "a; x=\"a\u0001\"",     // control character in a quoted string
    })
    void malformedExtensionListsAre400(String header) {
        HttpParseException e = assertThrows(HttpParseException.class, () -> HeaderTokens.parseExtensions(header));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().startsWith("Sec-WebSocket-Extensions: "), e.getMessage());
    }

    @Test
    void extensionRecordsRefuseNonTokens() {
        assertThrows(IllegalArgumentException.class, () -> ExtensionOffer.of("a b"));
        assertThrows(IllegalArgumentException.class, () -> ExtensionParam.of("x y"));
        assertThrows(IllegalArgumentException.class, () -> ExtensionParam.of("x", "1 2"));
        assertThrows(IllegalArgumentException.class, () -> ExtensionParam.of("x", ""));
    }

    @Test
    void paramLookup() throws Exception {
        ExtensionOffer offer = HeaderTokens.parseExtensions("permessage-deflate; client_max_window_bits=9; x").get(0);
        assertEquals(Optional.of(ExtensionParam.of("client_max_window_bits", "9")), offer.param("client_max_window_bits"));
        assertEquals(Optional.of(ExtensionParam.of("x")), offer.param("x"));
        assertEquals(Optional.empty(), offer.param("server_max_window_bits"));
    }

    @Test
    void subprotocolLists() throws Exception {
        assertEquals(List.of("chat", "superchat"), HeaderTokens.parseSubprotocols(List.of("chat, superchat")));
        assertEquals(List.of("chat", "superchat", "v2.chat"),
                HeaderTokens.parseSubprotocols(List.of(" chat ,, superchat", "v2.chat,")));
        assertEquals("chat, superchat", HeaderTokens.formatTokenList(List.of("chat", "superchat")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " , ", "chat superchat", "ch@t", "chat, \"superchat\"", "chat, chat", "a/b"})
    void malformedSubprotocolListsAre400(String header) {
        HttpParseException e = assertThrows(HttpParseException.class, () -> HeaderTokens.parseSubprotocols(List.of(header)));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().startsWith("Sec-WebSocket-Protocol: "), e.getMessage());
    }
}
