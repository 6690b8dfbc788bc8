package dev.leanws.http.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

public class HttpHeadParserTest {

    private static final String REQUEST = "GET /chat?room=1 HTTP/1.1\r\n"
            + "Host: server.example.com\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: keep-alive, Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "sec-websocket-protocol: chat\r\n"
            + "SEC-WEBSOCKET-PROTOCOL: superchat\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "\r\n";
    /** A masked text frame "Hi" pipelined right behind the head. */
    private static final byte[] FRAME = {(byte) 0x81, (byte) 0x82, 1, 2, 3, 4, 'H' ^ 1, 'i' ^ 2};

    private static final String RESPONSE = "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
            + "\r\n";

    @Test
    void parsesARequestWithCaseInsensitiveRepeatedHeaders() throws Exception {
        HttpRequestHead head = parseRequest(REQUEST);
        assertEquals("GET", head.method());
        assertEquals("/chat?room=1", head.target());
        assertEquals("HTTP/1.1", head.version());
        assertEquals("/chat", head.path());
        assertEquals(Optional.of("room=1"), head.query());
        assertEquals(List.of("chat", "superchat"), head.headers().all("Sec-WebSocket-Protocol"));
        assertTrue(head.headers().containsToken("connection", "upgrade"));
        assertEquals(7, head.headers().size());
    }

    @Test
    void aLentLineBufferIsOutgrownWhenTooSmallAndNothingParsedAliasesIt() throws Exception {
        byte[] lent = new byte[8];   // shorter than most lines of REQUEST
        HttpHeadParser first = new HttpHeadParser(8192, 100, lent);
        assertTrue(first.feed(ByteBuffer.wrap(REQUEST.getBytes(ISO_8859_1))));
        HttpRequestHead head = first.request();
        // The next request parsed with the same buffer must not change what the first one read.
        HttpHeadParser second = new HttpHeadParser(8192, 100, lent);
        String other = "GET /other HTTP/1.1\r\nHost: h\r\nX: 12345678\r\n\r\n";
        assertTrue(second.feed(ByteBuffer.wrap(other.getBytes(ISO_8859_1))));
        assertEquals(parseRequest(REQUEST), head);
        assertEquals("/other", second.request().target());
        assertEquals(Optional.of("12345678"), second.request().headers().first("X"));
    }

    @Test
    void knownStringsAreSharedButAlwaysSpelledAsSent() throws Exception {
        HttpRequestHead a = parseRequest(REQUEST);
        HttpRequestHead b = parseRequest(REQUEST.replace("Host:", "host:").replace("websocket", "WebSocket"));
        assertTrue(a.method() == b.method() && a.version() == b.version(), "GET and HTTP/1.1 are shared");
        assertTrue(a.headers().nameAt(1) == b.headers().nameAt(1), "Upgrade is shared");
        assertEquals("Host", a.headers().nameAt(0));
        assertEquals("host", b.headers().nameAt(0));
        assertEquals("websocket", a.headers().valueAt(1));
        assertEquals("WebSocket", b.headers().valueAt(1));
        assertEquals("HTTP/1.0", parseRequest("GET / HTTP/1.0\r\n\r\n").version());
    }

    @Test
    void requestSplitAtEveryPairOfPointsParsesTheSameWithTheSameLeftover() throws Exception {
        byte[] data = concat(REQUEST.getBytes(ISO_8859_1), FRAME);
        HttpRequestHead expected = parseRequest(REQUEST);
        for (int i = 0; i <= data.length; i++) {
            for (int j = i; j <= data.length; j++) {
                Fed fed = feedInPieces(data, i, j);
                assertEquals(expected, fed.parser.request(), "split at " + i + ", " + j);
                assertArrayEquals(FRAME, fed.leftover, "split at " + i + ", " + j);
            }
        }
    }

    @Test
    void responseSplitAtEveryPointParsesTheSameWithTheSameLeftover() throws Exception {
        byte[] frame = {(byte) 0x81, 0x02, 'H', 'i'};
        byte[] data = concat(RESPONSE.getBytes(ISO_8859_1), frame);
        for (int i = 0; i <= data.length; i++) {
            Fed fed = feedInPieces(data, i);
            HttpResponseHead head = fed.parser.response();
            assertEquals(101, head.status());
            assertEquals("Switching Protocols", head.reason());
            assertEquals(Optional.of("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), head.headers().first("sec-websocket-accept"));
            assertArrayEquals(frame, fed.leftover, "split at " + i);
        }
    }

    @Test
    void oneByteAtATime() throws Exception {
        byte[] data = concat(REQUEST.getBytes(ISO_8859_1), FRAME);
        int[] cuts = new int[data.length];
        Arrays.setAll(cuts, i -> i);
        Fed fed = feedInPieces(data, cuts);
        assertEquals(parseRequest(REQUEST), fed.parser.request());
        assertArrayEquals(FRAME, fed.leftover);
        assertEquals(REQUEST.length(), fed.parser.consumedBytes());
    }

    @Test
    void nothingIsConsumedOnceComplete() throws Exception {
        HttpHeadParser parser = new HttpHeadParser(4096, 100);
        assertTrue(parser.feed(ByteBuffer.wrap(REQUEST.getBytes(ISO_8859_1))));
        ByteBuffer more = ByteBuffer.wrap(FRAME);
        assertTrue(parser.feed(more));
        assertEquals(0, more.position());
    }

    @Test
    void headIsNotAvailableBeforeItIsComplete() throws Exception {
        HttpHeadParser parser = new HttpHeadParser(4096, 100);
        assertFalse(parser.feed(ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: a\r\n".getBytes(ISO_8859_1))));
        assertFalse(parser.isComplete());
        assertThrows(IllegalStateException.class, parser::request);
        assertThrows(IllegalStateException.class, parser::response);
    }

    @Test
    void valuesAreTrimmedAndDecodedAsLatin1() throws Exception {
        byte[] head = concat("GET / HTTP/1.1\r\nHost: \t a b \t\r\nX-Empty:\r\nX-Latin: caf".getBytes(ISO_8859_1),
                new byte[] {(byte) 0xE9}, "\r\n\r\n".getBytes(ISO_8859_1));
        HttpHeadParser parser = new HttpHeadParser(4096, 100);
        assertTrue(parser.feed(ByteBuffer.wrap(head)));
        HeaderFields h = parser.request().headers();
        assertEquals(Optional.of("a b"), h.first("Host"));
        assertEquals(Optional.of(""), h.first("X-Empty"));
        assertEquals(Optional.of("café"), h.first("X-Latin"));
    }

    @Test
    void emptyLinesBeforeTheRequestLineAreIgnored() throws Exception {
        assertEquals(parseRequest(REQUEST), parseRequest("\r\n\r\n" + REQUEST));
    }

    @Test
    void http10Parses() throws Exception {
        assertEquals("HTTP/1.0", parseRequest("GET / HTTP/1.0\r\n\r\n").version());
    }

    @Test
    void headOfOneMebibyteWithoutEndFailsWith431AtTheLimit() {
        HttpHeadParser parser = new HttpHeadParser(16 * 1024, 100);
        byte[] junk = new byte[1 << 20];
        Arrays.fill(junk, (byte) 'a');
        System.arraycopy("GET / HTTP/1.1\r\nX-Long: ".getBytes(ISO_8859_1), 0, junk, 0, 24);
        ByteBuffer in = ByteBuffer.wrap(junk);
        HttpParseException e = assertThrows(HttpParseException.class, () -> parser.feed(in));
        assertEquals(431, e.status());
        assertEquals(16 * 1024, in.position(), "consumed exactly the limit, not more");
        assertEquals(16 * 1024, parser.consumedBytes());
    }

    @Test
    void sizeLimitIsEnforcedAsBytesArriveInSmallPieces() throws Exception {
        HttpHeadParser parser = new HttpHeadParser(1024, 100);
        assertFalse(parser.feed(ByteBuffer.wrap("GET / HTTP/1.1\r\n".getBytes(ISO_8859_1))));
        byte[] line = "X-Filler: 0123456789\r\n".getBytes(ISO_8859_1);
        HttpParseException e = assertThrows(HttpParseException.class, () -> {
            for (int i = 0; i < 1000; i++) {
                parser.feed(ByteBuffer.wrap(line));
            }
        });
        assertEquals(431, e.status());
        assertEquals(1024, parser.consumedBytes());
    }

    @Test
    void headOfExactlyTheLimitParsesAndOneMoreByteDoesNot() throws Exception {
        String head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
        HttpHeadParser exact = new HttpHeadParser(head.length(), 100);
        assertTrue(exact.feed(ByteBuffer.wrap(head.getBytes(ISO_8859_1))));
        HttpHeadParser tooSmall = new HttpHeadParser(head.length() - 1, 100);
        assertEquals(431, assertThrows(HttpParseException.class,
                () -> tooSmall.feed(ByteBuffer.wrap(head.getBytes(ISO_8859_1)))).status());
    }

    @Test
    void headerCountLimit() throws Exception {
        String three = "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n";
        assertTrue(new HttpHeadParser(4096, 3).feed(ByteBuffer.wrap((three + "\r\n").getBytes(ISO_8859_1))));
        HttpParseException e = assertThrows(HttpParseException.class, () -> new HttpHeadParser(4096, 3)
                .feed(ByteBuffer.wrap((three + "D: 4\r\n").getBytes(ISO_8859_1))));
        assertEquals(431, e.status());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GET / HTTP/1.1\r\nNoColon\r\n\r\n",
            "GET / HTTP/1.1\r\nHost : a\r\n\r\n",              // space before the colon
            "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n",             // tab before the colon
            "GET / HTTP/1.1\r\nX-A: 1\r\n  folded\r\n\r\n",     // obs-fold
            "GET / HTTP/1.1\r\nX-A: 1\r\n\tfolded\r\n\r\n",     // obs-fold with a tab
            "GET / HTTP/1.1\r\n Host: a\r\n\r\n",               // whitespace before the first header
            "GET / HTTP/1.1\r\n: empty-name\r\n\r\n",
            "GET / HTTP/1.1\r\nX(y): 1\r\n\r\n",                // non-token name
            "GET / HTTP/1.1\r\nX: a\u0001b\r\n\r\n",            // control character in a value
            "GET / HTTP/1.1\r\nX: a\u007Fb\r\n\r\n",
            "GET / HTTP/1.1\nHost: a\r\n\r\n",                  // bare LF
            "GET / HTTP/1.1\r\nHost: a\n\n",
            "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n",             // bare CR
            "GET /  HTTP/1.1\r\n\r\n",                          // two spaces
            "GET / HTTP/1.1 \r\n\r\n",                          // trailing space
            " GET / HTTP/1.1\r\n\r\n",
            "GET /\r\n\r\n",                                    // HTTP/0.9 style
            "GET\r\n\r\n",
            "GET / http/1.1\r\n\r\n",                           // version is case-sensitive
            "GET / HTTP/1.10\r\n\r\n",
            "GET / HTTP/11\r\n\r\n",
            "GET / HTTP/1.x\r\n\r\n",
            "GE(T / HTTP/1.1\r\n\r\n",                          // non-token method
            "G\u00C9T / HTTP/1.1\r\n\r\n",
            "GET /a\u00E9 HTTP/1.1\r\n\r\n",                    // non-ASCII target
            "GET /a\tb HTTP/1.1\r\n\r\n",
    })
    void malformedRequestsAre400(String head) {
        assertEquals(400, assertThrows(HttpParseException.class, () -> parseRequest(head)).status());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "X-A: 1\\r\\n  folded: 2  | obs-fold",
            "X-A: 1\\r\\n\\tfolded   | obs-fold",
            "Host : a               | whitespace before the colon of header \"Host\"",
            "NoColon                | header line without a colon: \"NoColon\"",
            "X(y): 1                | header name is not a token: \"X(y)\"",
            "X: a\\u0001b            | control character 0x01 in header X",
            "Host: a\\nX: b          | bare LF",
            "Host: a\\rb             | CR not followed by LF",
    })
    void malformedLinesSayWhatIsWrong(String fields, String message) {
        String head = "GET / HTTP/1.1\r\n" + unescape(fields) + "\r\n\r\n";
        HttpParseException e = assertThrows(HttpParseException.class, () -> parseRequest(head));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/2.0", "HTTP/3.0", "HTTP/0.9"})
    void otherMajorVersionsAre505(String version) {
        assertEquals(505, assertThrows(HttpParseException.class,
                () -> parseRequest("GET / " + version + "\r\n\r\n")).status());
    }

    @Test
    void responseWithoutReasonPhrase() throws Exception {
        HttpResponseHead head = parseResponse("HTTP/1.1 101\r\nUpgrade: websocket\r\n\r\n");
        assertEquals(101, head.status());
        assertEquals("", head.reason());
        assertEquals("Not Found", parseResponse("HTTP/1.1 404 Not Found\r\n\r\n").reason());
        assertEquals("", parseResponse("HTTP/1.1 204 \r\n\r\n").reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "HTTP/1.1 10 Short\r\n\r\n",
            "HTTP/1.1 1011 Long\r\n\r\n",
            "HTTP/1.1 abc OK\r\n\r\n",
            "HTTP/1.1\r\n\r\n",
            "HTTP/1.1 200 O\u0001K\r\n\r\n",
            "HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n",
            "http/1.1 200 OK\r\n\r\n",
    })
    void malformedResponsesAre400(String head) {
        assertEquals(400, assertThrows(HttpParseException.class, () -> parseResponse(head)).status());
    }

    @Test
    void pathAndQueryOfTheTargetForms() {
        HeaderFields none = new HeaderFields();
        assertEquals("/", new HttpRequestHead("GET", "/", "HTTP/1.1", none).path());
        assertEquals(Optional.empty(), new HttpRequestHead("GET", "/a/b", "HTTP/1.1", none).query());
        assertEquals(Optional.of(""), new HttpRequestHead("GET", "/a?", "HTTP/1.1", none).query());
        assertEquals("/a", new HttpRequestHead("GET", "/a?x=1?y", "HTTP/1.1", none).path());
        assertEquals(Optional.of("x=1?y"), new HttpRequestHead("GET", "/a?x=1?y", "HTTP/1.1", none).query());
        assertEquals("/chat", new HttpRequestHead("GET", "http://h:80/chat?x", "HTTP/1.1", none).path());
        assertEquals("/", new HttpRequestHead("GET", "http://h", "HTTP/1.1", none).path());
        assertEquals("/", new HttpRequestHead("GET", "http://h?x", "HTTP/1.1", none).path());
        assertEquals("*", new HttpRequestHead("OPTIONS", "*", "HTTP/1.1", none).path());
    }

    @Test
    void headsCarryReadOnlyHeaders() {
        HeaderFields h = HeaderFields.of("A", "1");
        HttpRequestHead head = new HttpRequestHead("GET", "/", "HTTP/1.1", h);
        h.add("B", "2");
        assertEquals(1, head.headers().size());
        assertThrows(UnsupportedOperationException.class, () -> head.headers().add("C", "3"));
    }

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t").replace("\\u0001", "\u0001");
    }

    public static HttpRequestHead parseRequest(String head) throws HttpParseException {
        HttpHeadParser parser = new HttpHeadParser(16 * 1024, 100);
        ByteBuffer in = ByteBuffer.wrap(head.getBytes(ISO_8859_1));
        assertTrue(parser.feed(in), "head complete");
        assertFalse(in.hasRemaining());
        return parser.request();
    }

    public static HttpResponseHead parseResponse(String head) throws HttpParseException {
        HttpHeadParser parser = new HttpHeadParser(16 * 1024, 100);
        assertTrue(parser.feed(ByteBuffer.wrap(head.getBytes(ISO_8859_1))), "head complete");
        return parser.response();
    }

    private record Fed(HttpHeadParser parser, byte[] leftover) {
    }

    /**
     * Feeds {@code data} cut at the given ascending offsets, as a reader would: each piece in its
     * own buffer. Once the head is complete, the leftover is what remains of the current piece
     * followed by the pieces never fed.
     */
    private static Fed feedInPieces(byte[] data, int... cuts) throws HttpParseException {
        HttpHeadParser parser = new HttpHeadParser(4096, 100);
        int from = 0;
        for (int k = 0; k <= cuts.length; k++) {
            int to = k < cuts.length ? cuts[k] : data.length;
            ByteBuffer piece = ByteBuffer.wrap(data, from, to - from);
            if (parser.feed(piece)) {
                return new Fed(parser, Arrays.copyOfRange(data, piece.position(), data.length));
            }
            assertFalse(piece.hasRemaining(), "an incomplete head consumes all it is given");
            from = to;
        }
        throw new AssertionError("head never completed");
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
