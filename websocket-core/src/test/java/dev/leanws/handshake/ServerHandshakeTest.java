package dev.leanws.handshake;

import dev.leanws.http.internal.HttpHeadParserTest;
import dev.leanws.http.internal.HeaderFields;
import dev.leanws.http.internal.HttpHeadParser;
import dev.leanws.http.internal.HttpRequestHead;
import dev.leanws.http.internal.HttpResponseHead;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.UpgradeConfig;
import dev.leanws.handshake.HandshakeResult.Accepted;
import dev.leanws.handshake.HandshakeResult.Rejected;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ServerHandshakeTest {

    /** The request of RFC 6455 §1.3. */
    private static final String RFC_REQUEST = "GET /chat HTTP/1.1\r\n"
            + "Host: server.example.com\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Origin: http://example.com\r\n"
            + "Sec-WebSocket-Protocol: chat, superchat\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "\r\n";

    @Test
    void rfcExampleGetsTheRfcResponseByteForByte() throws Exception {
        HttpRequestHead request = HttpHeadParserTest.parseRequest(RFC_REQUEST);
        HandshakeResult result = ServerHandshake.process(request, UpgradeConfig.builder().subprotocols(List.of("chat")).build());
        Accepted accepted = assertInstanceOf(Accepted.class, result);
        assertEquals(Optional.of("chat"), accepted.subprotocol());
        assertEquals(List.of(), accepted.extensions());
        assertEquals("HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                + "Sec-WebSocket-Protocol: chat\r\n"
                + "\r\n", text(ServerHandshake.responseBytes(result)));
    }

    @Test
    void noSubprotocolOrExtensionHeaderUnlessAgreed() {
        Accepted accepted = assertInstanceOf(Accepted.class, ServerHandshake.process(
                request(h -> h.add("Sec-WebSocket-Extensions", "permessage-deflate")), UpgradeConfig.defaults()));
        assertEquals(HeaderFields.of("Upgrade", "websocket", "Connection", "Upgrade",
                "Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), accepted.responseHeaders());
        assertFalse(text(ServerHandshake.responseBytes(accepted)).contains("Content-Length"), "no body length on a 1xx");
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                refusal("HTTP/1.0", r -> r.version = "HTTP/1.0", 400, "HTTP/1.1"),
                refusal("POST", r -> r.method = "POST", 405, "GET", "Allow", "GET"),
                refusal("HEAD", r -> r.method = "HEAD", 405, "GET", "Allow", "GET"),
                refusal("lower-case get", r -> r.method = "get", 405, "GET", "Allow", "GET"),
                refusal("POST without Host: method first", r -> {
                    r.method = "POST";
                    r.headers.remove("Host");
                }, 405, "GET", "Allow", "GET"),
                refusal("no Host", r -> r.headers.remove("Host"), 400, "Host header missing"),
                refusal("two Host", r -> r.headers.add("Host", "other"), 400, "Host header appears 2 times"),
                refusal("no Upgrade", r -> r.headers.remove("Upgrade"), 426, "Upgrade header missing", "Upgrade", "websocket"),
                refusal("Upgrade h2c", r -> r.headers.set("Upgrade", "h2c"), 426, "Upgrade", "Upgrade", "websocket"),
                refusal("Upgrade websockets", r -> r.headers.set("Upgrade", "websockets"), 426, "Upgrade", "Upgrade", "websocket"),
                refusal("no Connection", r -> r.headers.remove("Connection"), 400, "Connection header missing"),
                refusal("Connection keep-alive", r -> r.headers.set("Connection", "keep-alive"), 400, "Connection"),
                refusal("no key", r -> r.headers.remove("Sec-WebSocket-Key"), 400, "Sec-WebSocket-Key header missing"),
                refusal("two keys", r -> r.headers.add("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAA=="), 400,
                        "Sec-WebSocket-Key header appears 2 times"),
                refusal("15-byte key", r -> r.headers.set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25j"), 400, "Sec-WebSocket-Key"),
                refusal("non-base64 key", r -> r.headers.set("Sec-WebSocket-Key", "not a key at all!!!!!!=="), 400, "Sec-WebSocket-Key"),
                refusal("no version", r -> r.headers.remove("Sec-WebSocket-Version"), 426, "Sec-WebSocket-Version header missing",
                        "Sec-WebSocket-Version", "13", "Upgrade", "websocket"),
                refusal("version 8", r -> r.headers.set("Sec-WebSocket-Version", "8"), 426, "Sec-WebSocket-Version",
                        "Sec-WebSocket-Version", "13", "Upgrade", "websocket"),
                refusal("version list", r -> r.headers.set("Sec-WebSocket-Version", "13, 8"), 426, "Sec-WebSocket-Version",
                        "Sec-WebSocket-Version", "13", "Upgrade", "websocket"),
                refusal("two versions", r -> r.headers.add("Sec-WebSocket-Version", "13"), 426,
                        "Sec-WebSocket-Version header appears 2 times", "Sec-WebSocket-Version", "13", "Upgrade", "websocket"),
                refusal("malformed protocol", r -> r.headers.add("Sec-WebSocket-Protocol", "ch@t"), 400, "Sec-WebSocket-Protocol"),
                refusal("empty protocol", r -> r.headers.add("Sec-WebSocket-Protocol", ""), 400, "Sec-WebSocket-Protocol"),
                refusal("duplicate protocol", r -> r.headers.add("Sec-WebSocket-Protocol", "chat, chat"), 400,
                        "Sec-WebSocket-Protocol"),
                refusal("malformed extensions", r -> r.headers.add("Sec-WebSocket-Extensions", "permessage-deflate;"), 400,
                        "Sec-WebSocket-Extensions"),
                refusal("empty extensions", r -> r.headers.add("Sec-WebSocket-Extensions", ""), 400,
                        "Sec-WebSocket-Extensions"),
                // Issue 11 (W4): a body on an upgrade would be read as frames; targets are paths.
                refusal("Content-Length 5", r -> r.headers.add("Content-Length", "5"), 400, "Content-Length"),
                refusal("Transfer-Encoding chunked", r -> r.headers.add("Transfer-Encoding", "chunked"), 400,
                        "Transfer-Encoding"),
                refusal("Transfer-Encoding identity", r -> r.headers.add("Transfer-Encoding", "identity"), 400,
                        "Transfer-Encoding"),
                refusal("asterisk target", r -> r.target = "*", 400, "origin form"),
                refusal("absolute target", r -> r.target = "http://server.example.com/chat", 400, "origin form"),
                refusal("authority target", r -> r.target = "server.example.com:80", 400, "origin form"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusals(String name, Consumer<MutableRequest> change, int status, String reasonPart, HeaderFields headers) throws Exception {
        MutableRequest r = new MutableRequest();
        change.accept(r);
        Rejected rejected = assertInstanceOf(Rejected.class, ServerHandshake.process(r.build(), UpgradeConfig.defaults()));
        assertEquals(status, rejected.status());
        assertTrue(rejected.reason().contains(reasonPart), rejected.reason());
        assertEquals(headers, rejected.responseHeaders());

        // Rendered, it parses back with the same status and headers plus the framing ones.
        HttpHeadParser parser = new HttpHeadParser(4096, 100);
        ByteBuffer bytes = ServerHandshake.responseBytes(rejected);
        assertTrue(parser.feed(bytes));
        HttpResponseHead response = parser.response();
        assertEquals(status, response.status());
        headers.forEach((n, v) -> assertEquals(List.of(v), response.headers().all(n)));
        assertEquals(Optional.of("close"), response.headers().first("Connection"));
        assertEquals(Optional.of(Integer.toString(bytes.remaining())), response.headers().first("Content-Length"));
        assertEquals(rejected.reason() + "\n", text(bytes));
    }

    @Test
    void contentLengthZeroIsNoBody() {
        MutableRequest r = new MutableRequest();
        r.headers.add("Content-Length", "0");
        assertInstanceOf(Accepted.class, ServerHandshake.process(r.build(), UpgradeConfig.defaults()));
    }

    @Test
    void refusalBytesExactly() {
        Rejected rejected = new Rejected(405, "use GET", HeaderFields.of("Allow", "GET"));
        assertEquals("HTTP/1.1 405 Method Not Allowed\r\n"
                + "Allow: GET\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 8\r\n"
                + "Connection: close\r\n"
                + "\r\n"
                + "use GET\n", text(ServerHandshake.responseBytes(rejected)));
    }

    @Test
    void lenientWhereTheRfcIs() {
        MutableRequest r = new MutableRequest();
        r.headers.set("Upgrade", "foo, WebSocket");                // token list, any case
        r.headers.set("Connection", "keep-alive");
        r.headers.add("connection", "UPGRADE");                    // token in a second field
        r.headers.add("Sec-WebSocket-Protocol", "a");
        r.headers.add("Sec-WebSocket-Protocol", " , chat");        // protocols across fields
        Accepted accepted = assertInstanceOf(Accepted.class,
                ServerHandshake.process(r.build(), UpgradeConfig.builder().subprotocols(List.of("chat")).build()));
        assertEquals(Optional.of("chat"), accepted.subprotocol());
        r.version = "HTTP/1.2";
        assertInstanceOf(Accepted.class, ServerHandshake.process(r.build(), UpgradeConfig.defaults()));
    }

    @ParameterizedTest(name = "server {0}, client {1}, reject {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // server prefs | client offers    | rejectOnNoMatch | expected (- = none, 400 = refused)
            "-              | -                 | false | -",
            "-              | -                 | true  | -",
            "chat           | -                 | true  | -",
            "-              | chat              | false | -",
            "-              | chat              | true  | 400",
            "chat           | chat              | false | chat",
            "chat           | superchat, chat   | true  | chat",
            "v2, v1         | v1, v2            | true  | v2",
            "v2, v1         | v1                | true  | v1",
            "v1, v2         | v2, v1            | false | v1",
            "v2, v1         | v3                | false | -",
            "v2, v1         | v3                | true  | 400",
            "chat           | Chat              | true  | 400",
    })
    void subprotocolSelection(String serverPrefs, String clientOffers, boolean reject, String expected) {
        UpgradeConfig config = new UpgradeConfig(serverPrefs == null ? List.of() : List.of(serverPrefs.split(",\\s*")), reject);
        MutableRequest r = new MutableRequest();
        if (clientOffers != null) {
            r.headers.add("Sec-WebSocket-Protocol", clientOffers);
        }
        HandshakeResult result = ServerHandshake.process(r.build(), config);
        if ("400".equals(expected)) {
            Rejected rejected = assertInstanceOf(Rejected.class, result);
            assertEquals(400, rejected.status());
            assertTrue(rejected.reason().contains("Sec-WebSocket-Protocol"), rejected.reason());
            return;
        }
        Accepted accepted = assertInstanceOf(Accepted.class, result);
        assertEquals(Optional.ofNullable(expected), accepted.subprotocol());
        assertEquals(Optional.ofNullable(expected), accepted.responseHeaders().first("Sec-WebSocket-Protocol"));
        assertEquals(expected == null ? 0 : 1, accepted.responseHeaders().count("Sec-WebSocket-Protocol"));
    }

    @Test
    void extensionNegotiatorSeesTheOffersAndItsAnswerIsSent() {
        List<List<ExtensionOffer>> seen = new ArrayList<>();
        ExtensionNegotiator deflate = offers -> {
            seen.add(offers);
            return List.of(ExtensionOffer.of("permessage-deflate", ExtensionParam.of("server_no_context_takeover")));
        };
        MutableRequest r = new MutableRequest();
        r.headers.add("Sec-WebSocket-Extensions", "x-other, permessage-deflate; client_max_window_bits");
        Accepted accepted = assertInstanceOf(Accepted.class, ServerHandshake.process(r.build(), UpgradeConfig.defaults(), deflate));
        assertEquals(List.of(List.of(ExtensionOffer.of("x-other"),
                ExtensionOffer.of("permessage-deflate", ExtensionParam.of("client_max_window_bits")))), seen);
        assertEquals(List.of("permessage-deflate; server_no_context_takeover"), accepted.extensions());
        assertEquals(Optional.of("permessage-deflate; server_no_context_takeover"),
                accepted.responseHeaders().first("Sec-WebSocket-Extensions"));
    }

    @Test
    void negotiatorIsNotAskedWithoutOffers() {
        ExtensionNegotiator failing = offers -> {
            throw new AssertionError("called without offers");
        };
        assertInstanceOf(Accepted.class, ServerHandshake.process(new MutableRequest().build(), UpgradeConfig.defaults(), failing));
    }

    @Test
    void negotiatorMayNotAnswerAnExtensionThatWasNotOffered() {
        MutableRequest r = new MutableRequest();
        r.headers.add("Sec-WebSocket-Extensions", "x-other");
        assertThrows(IllegalStateException.class, () -> ServerHandshake.process(r.build(), UpgradeConfig.defaults(),
                offers -> List.of(ExtensionOffer.of("permessage-deflate"))));
    }

    @Test
    void isUpgradeRequest() {
        assertTrue(ServerHandshake.isUpgradeRequest(new MutableRequest().build()));
        MutableRequest plain = new MutableRequest();
        plain.headers.remove("Upgrade");
        assertFalse(ServerHandshake.isUpgradeRequest(plain.build()));
        plain.headers.add("Upgrade", "h2c");
        assertFalse(ServerHandshake.isUpgradeRequest(plain.build()));
        plain.headers.set("upgrade", "h2c, WEBSOCKET");
        assertTrue(ServerHandshake.isUpgradeRequest(plain.build()));
    }

    /** A valid upgrade request (the RFC's key) that a test row bends one way. */
    static final class MutableRequest {
        String method = "GET";
        String version = "HTTP/1.1";
        String target = "/chat";
        final HeaderFields headers = HeaderFields.of(
                "Host", "server.example.com",
                "Upgrade", "websocket",
                "Connection", "Upgrade",
                "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==",
                "Sec-WebSocket-Version", "13");

        HttpRequestHead build() {
            return new HttpRequestHead(method, target, version, headers);
        }
    }

    @Test
    void requireSubprotocolRefusesAClientThatOffersNoneOrNoMatch() {
        UpgradeConfig config = UpgradeConfig.builder().subprotocols(List.of("chat.v1")).requireSubprotocol(true).build();
        Rejected none = assertInstanceOf(Rejected.class, ServerHandshake.process(new MutableRequest().build(), config));
        assertEquals(400, none.status());
        assertTrue(none.reason().contains("chat.v1"), none.reason());
        assertEquals(400, assertInstanceOf(Rejected.class, ServerHandshake.process(
                request(h -> h.add("Sec-WebSocket-Protocol", "other")), config)).status());
        Accepted ok = assertInstanceOf(Accepted.class, ServerHandshake.process(
                request(h -> h.add("Sec-WebSocket-Protocol", "other, chat.v1")), config));
        assertEquals(Optional.of("chat.v1"), ok.subprotocol());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> UpgradeConfig.builder().requireSubprotocol(true).build());
    }

    private static HttpRequestHead request(Consumer<HeaderFields> change) {
        MutableRequest r = new MutableRequest();
        change.accept(r.headers);
        return r.build();
    }

    private static Arguments refusal(String name, Consumer<MutableRequest> change, int status, String reasonPart,
                                     String... headers) {
        return Arguments.of(name, change, status, reasonPart, HeaderFields.of(headers));
    }

    /** The remaining bytes as text, consumed. */
    private static String text(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return new String(bytes, ISO_8859_1);
    }
}
