package dev.leanws.handshake;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import dev.leanws.http.internal.HeaderFields;
import dev.leanws.http.internal.HttpParseException;
import dev.leanws.http.internal.Tokens;

/**
 * The token grammar of the handshake headers: the RFC 7230 {@code tchar} table, the
 * {@code Sec-WebSocket-Protocol} token list (RFC 6455 §4.1, §11.3.4) and the
 * {@code Sec-WebSocket-Extensions} list (RFC 6455 §9.1, RFC 7692 §5):
 *
 * <pre>
 *   extension-list = 1#element
 *   element        = token *( OWS ";" OWS param )
 *   param          = token [ OWS "=" OWS ( token / quoted-string ) ]
 * </pre>
 *
 * Lists follow RFC 7230 §7: optional whitespace around commas, empty elements ignored, but at
 * least one element. Several header fields are parsed as one list (RFC 7230 §3.2.2).
 * Malformed input throws {@link HttpParseException} with status 400, which a server answers
 * as is and a client turns into a handshake failure.
 */
public final class HeaderTokens {

    private HeaderTokens() {
    }

    /** Whether {@code c} may appear in a token (see {@link Tokens#isTokenChar}). */
    public static boolean isTokenChar(int c) {
        return Tokens.isTokenChar(c);
    }

    /** Whether {@code s} is a token (see {@link Tokens#isToken}). */
    public static boolean isToken(CharSequence s) {
        return Tokens.isToken(s);
    }

    /**
     * Parses {@code 1#token} across the given header values; empty elements are skipped.
     *
     * @throws HttpParseException (400) for a non-token element or a list with no element
     */
    public static List<String> parseTokenList(String headerName, List<String> headerValues) throws HttpParseException {
        List<String> tokens = HeaderFields.listElements(headerValues);
        for (String token : tokens) {
            if (!isToken(token)) {
                throw new HttpParseException(400, headerName + ": not a token: " + quote(token));
            }
        }
        if (tokens.isEmpty()) {
            throw new HttpParseException(400, headerName + ": empty list");
        }
        return List.copyOf(tokens);
    }

    /**
     * {@code protocols}, copied, if they are valid subprotocol offers: tokens, all unique (RFC
     * 6455 §4.1 item 10).
     *
     * @throws IllegalArgumentException otherwise
     */
    public static List<String> requireUniqueTokens(List<String> protocols) {
        Set<String> seen = new HashSet<>();
        for (String p : protocols) {
            if (!isToken(p) || !seen.add(p)) {
                throw new IllegalArgumentException("subprotocols must be unique tokens: " + protocols);
            }
        }
        return List.copyOf(protocols);
    }

    /**
     * Parses a {@code Sec-WebSocket-Protocol} request list: tokens, which RFC 6455 §4.1 requires
     * to be unique.
     *
     * @throws HttpParseException (400) for a malformed list or a repeated protocol
     */
    public static List<String> parseSubprotocols(List<String> headerValues) throws HttpParseException {
        List<String> protocols = parseTokenList(HandshakeHeaders.SEC_WEBSOCKET_PROTOCOL, headerValues);
        Set<String> seen = new HashSet<>();
        for (String p : protocols) {
            if (!seen.add(p)) {
                throw new HttpParseException(400, HandshakeHeaders.SEC_WEBSOCKET_PROTOCOL + ": " + quote(p) + " offered twice");
            }
        }
        return protocols;
    }

    static String quote(String s) {
        return Tokens.quote(s);
    }

    /** Joins tokens as one list value: {@code chat, superchat}. */
    public static String formatTokenList(List<String> tokens) {
        return String.join(", ", tokens);
    }

    /**
     * Parses {@code Sec-WebSocket-Extensions} values into elements, in order.
     *
     * @throws HttpParseException (400) naming the position of the first error
     */
    public static List<ExtensionOffer> parseExtensions(List<String> headerValues) throws HttpParseException {
        List<ExtensionOffer> offers = new ArrayList<>();
        for (String value : headerValues) {
            new ExtensionListParser(value).parseInto(offers);
        }
        if (offers.isEmpty()) {
            throw new HttpParseException(400, HandshakeHeaders.SEC_WEBSOCKET_EXTENSIONS + ": empty list");
        }
        return List.copyOf(offers);
    }

    /** Parses one {@code Sec-WebSocket-Extensions} value. */
    public static List<ExtensionOffer> parseExtensions(String headerValue) throws HttpParseException {
        return parseExtensions(List.of(headerValue));
    }

    /** Formats elements as one header value: {@code a; x=1, b}. */
    public static String formatExtensions(List<ExtensionOffer> extensions) {
        StringJoiner joiner = new StringJoiner(", ");
        extensions.forEach(e -> joiner.add(e.toString()));
        return joiner.toString();
    }

    /** A cursor over one header value. Empty values are allowed here; the caller checks 1#. */
    private static final class ExtensionListParser {
        private final String s;
        private int pos;

        ExtensionListParser(String s) {
            this.s = s;
        }

        void parseInto(List<ExtensionOffer> out) throws HttpParseException {
            skipEmptyElements();
            while (pos < s.length()) {
                String name = token("extension name");
                List<ExtensionParam> params = new ArrayList<>();
                skipOws();
                while (peek() == ';') {
                    pos++;
                    skipOws();
                    params.add(param());
                    skipOws();
                }
                if (pos < s.length() && peek() != ',') {
                    throw error("expected ';' or ','");
                }
                out.add(new ExtensionOffer(name, params));
                skipEmptyElements();
            }
        }

        private ExtensionParam param() throws HttpParseException {
            String name = token("parameter name");
            skipOws();
            if (peek() != '=') {
                return ExtensionParam.of(name);
            }
            pos++;
            skipOws();
            String value = peek() == '"' ? quotedToken() : token("parameter value");
            return ExtensionParam.of(name, value);
        }

        /**
         * RFC 7230 §3.2.6 quoted-string with quoted-pair, then RFC 6455 §9.1: "the value after
         * quoted-string unescaping MUST conform to the 'token' ABNF".
         */
        private String quotedToken() throws HttpParseException {
            int open = pos++;
            StringBuilder value = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '"') {
                    if (!isToken(value)) {
                        pos = open;
                        throw error("quoted value is not a token once unquoted (RFC 6455 §9.1)");
                    }
                    return value.toString();
                }
                if (c == '\\') {
                    if (pos == s.length() || !isQuotedPairChar(s.charAt(pos))) {
                        throw error("invalid quoted-pair");
                    }
                    c = s.charAt(pos++);
                } else if (!isQdText(c)) {
                    pos--;
                    throw error("invalid character in quoted string");
                }
                value.append(c);
            }
            pos = open;
            throw error("unterminated quoted string");
        }

        private String token(String what) throws HttpParseException {
            int start = pos;
            while (pos < s.length() && isTokenChar(s.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw error("expected " + what);
            }
            return s.substring(start, pos);
        }

        /** OWS, then any number of "," OWS: what may separate or precede elements. */
        private void skipEmptyElements() {
            skipOws();
            while (peek() == ',') {
                pos++;
                skipOws();
            }
        }

        private void skipOws() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
                pos++;
            }
        }

        private int peek() {
            return pos < s.length() ? s.charAt(pos) : -1;
        }

        private HttpParseException error(String problem) {
            String at = pos < s.length() ? "at index " + pos : "at the end";
            return new HttpParseException(400, HandshakeHeaders.SEC_WEBSOCKET_EXTENSIONS + ": " + problem
                    + " " + at + " of " + quote(s));
        }

        /** qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text */
        private static boolean isQdText(char c) {
            return c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5B)
                    || (c >= 0x5D && c <= 0x7E) || (c >= 0x80 && c <= 0xFF);
        }

        /** quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ) */
        private static boolean isQuotedPairChar(char c) {
            return c == '\t' || (c >= 0x20 && c <= 0x7E) || (c >= 0x80 && c <= 0xFF);
        }
    }
}
