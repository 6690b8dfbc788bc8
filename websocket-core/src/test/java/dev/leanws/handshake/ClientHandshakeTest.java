package dev.leanws.handshake;

import dev.leanws.http.internal.HttpHeadParserTest;
import dev.leanws.http.internal.HeaderFields;
import dev.leanws.http.internal.HttpHeadParser;
import dev.leanws.http.internal.HttpRequestHead;
import dev.leanws.http.internal.HttpResponseHead;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.HandshakeException;
import dev.leanws.UpgradeConfig;
import dev.leanws.handshake.HandshakeResult.Accepted;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClientHandshakeTest {

    /** A source of zero bytes: the key becomes {@code AAAAAAAAAAAAAAAAAAAAAA==}. */
    private static final RandomGenerator ZEROS = () -> 0L;
    private static final String ZERO_KEY = "AAAAAAAAAAAAAAAAAAAAAA==";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // URI                                  | Host header          | target              | host      | port
            "ws://example.com                       | example.com          | /                   | example.com | 80",
            "ws://example.com/                      | example.com          | /                   | example.com | 80",
            "ws://example.com:80/chat               | example.com          | /chat               | example.com | 80",
            "ws://example.com:8080/chat?room=1&x=%20| example.com:8080     | /chat?room=1&x=%20  | example.com | 8080",
            "ws://example.com?x=1                   | example.com          | /?x=1               | example.com | 80",
            "ws://example.com/a?                    | example.com          | /a?                 | example.com | 80",
            "wss://example.com/                     | example.com          | /                   | example.com | 443",
            "wss://example.com:443/s                | example.com          | /s                  | example.com | 443",
            "wss://example.com:80/                  | example.com:80       | /                   | example.com | 80",
            "ws://example.com:443/                  | example.com:443      | /                   | example.com | 443",
            "ws://[::1]:9001/chat                   | [::1]:9001           | /chat               | ::1         | 9001",
            "ws://[2001:db8::7]/                    | [2001:db8::7]        | /                   | 2001:db8::7 | 80",
            "wss://[::1]:443                        | [::1]                | /                   | ::1         | 443",
            "ws://127.0.0.1:9001/x/y%2Fz            | 127.0.0.1:9001       | /x/y%2Fz            | 127.0.0.1   | 9001",
            "WS://Example.COM/Path                  | Example.COM          | /Path               | Example.COM | 80",
            "ws://user:pw@example.com/              | example.com          | /                   | example.com | 80",
            "ws://example.com/café                  | example.com          | /caf%C3%A9          | example.com | 80",
    })
    void requestForUri(String uri, String hostHeader, String target, String host, int port) {
        ClientHandshake handshake = ClientHandshake.builder(URI.create(uri)).random(ZEROS).build();
        assertEquals("GET " + target + " HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + ZERO_KEY + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "\r\n", text(handshake.requestBytes()));
        assertEquals(host, handshake.target().host());
        assertEquals(port, handshake.target().port());
        assertEquals(uri.toLowerCase().startsWith("wss"), handshake.target().secure());
    }

    @Test
    void requestWithOffersAndCustomHeaders() {
        ClientHandshake handshake = ClientHandshake.builder(URI.create("ws://example.com/chat"))
                .random(ZEROS)
                .subprotocols(List.of("chat", "superchat"))
                .extensions(List.of(ExtensionOffer.of("permessage-deflate", ExtensionParam.of("client_max_window_bits"))))
                .header("Origin", "http://example.com")
                .headers(HeaderFields.of("Cookie", "a=1", "Cookie", "b=2"))
                .build();
        assertEquals("GET /chat HTTP/1.1\r\n"
                + "Host: example.com\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: chat, superchat\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                + "Origin: http://example.com\r\n"
                + "Cookie: a=1\r\n"
                + "Cookie: b=2\r\n"
                + "\r\n", text(handshake.requestBytes()));
        assertEquals(AcceptKey.compute(ZERO_KEY), handshake.expectedAccept());
    }

    @Test
    void defaultKeysAreStrongAndFresh() {
        ClientHandshake a = ClientHandshake.builder(URI.create("ws://h/")).build();
        ClientHandshake b = ClientHandshake.builder(URI.create("ws://h/")).build();
        assertTrue(AcceptKey.isValidKey(a.key()));
        assertNotEquals(a.key(), b.key());
        assertEquals(Optional.of(a.key()), a.request().headers().first("Sec-WebSocket-Key"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com/", "https://example.com/", "/relative", "ws:opaque",
            "ws://example.com/#fragment", "ws:///nohost", "ws://under_score.example/"})
    void refusedUris(String uri) {
        assertThrows(IllegalArgumentException.class, () -> ClientHandshake.builder(URI.create(uri)).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host", "upgrade", "CONNECTION", "Sec-WebSocket-Key", "sec-websocket-version",
            "Sec-WebSocket-Accept", "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions", "Content-Length",
            "Transfer-Encoding"})
    void headersTheHandshakeOwnsAreRefused(String name) {
        ClientHandshake.Builder builder = ClientHandshake.builder(URI.create("ws://h/"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> builder.header(name, "x"));
        assertTrue(e.getMessage().contains(name), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> builder.headers(HeaderFields.of(name, "x")));
    }

    @Test
    void headerInjectionAndBadOffersAreRefused() {
        ClientHandshake.Builder builder = ClientHandshake.builder(URI.create("ws://h/"));
        assertThrows(IllegalArgumentException.class, () -> builder.header("X-Token", "a\r\nHost: evil"));
        assertThrows(IllegalArgumentException.class, () -> builder.header("X Token", "a"));
        assertThrows(IllegalArgumentException.class, () -> builder.subprotocols(List.of("chat", "chat")).build());
        assertThrows(IllegalArgumentException.class, () -> builder.subprotocols(List.of("a b")).build());
    }

    @Test
    void roundTripThroughTheServerHandshake() throws Exception {
        ClientHandshake client = ClientHandshake.builder(URI.create("ws://example.com:9001/chat?x=1"))
                .subprotocols(List.of("v1", "v2"))
                .build();
        HttpHeadParser requestParser = new HttpHeadParser(4096, 100);
        assertTrue(requestParser.feed(client.requestBytes()));
        HttpRequestHead request = requestParser.request();
        assertEquals("/chat", request.path());
        assertEquals(Optional.of("x=1"), request.query());

        HandshakeResult result = ServerHandshake.process(request, UpgradeConfig.builder().subprotocols(List.of("v2")).build());
        HttpHeadParser responseParser = new HttpHeadParser(4096, 100);
        assertTrue(responseParser.feed(ServerHandshake.responseBytes(result)));
        Accepted accepted = client.validate(responseParser.response());
        assertEquals(Optional.of("v2"), accepted.subprotocol());
        assertEquals(List.of(), accepted.extensions());
    }

    @Test
    void acceptsTokenListsAndAnyCase() throws Exception {
        ClientHandshake client = client();
        Accepted accepted = client.validate(response(client, h -> {
            h.set("Upgrade", "WebSocket");
            h.set("Connection", "keep-alive, upgrade");
            h.add("Sec-WebSocket-Protocol", "superchat");
            h.add("Sec-WebSocket-Extensions", "permessage-deflate; server_no_context_takeover");
        }));
        assertEquals(Optional.of("superchat"), accepted.subprotocol());
        assertEquals(List.of("permessage-deflate; server_no_context_takeover"), accepted.extensions());
    }

    static Stream<Arguments> invalidResponses() {
        return Stream.of(
                invalid("wrong accept", h -> h.set("Sec-WebSocket-Accept", AcceptKey.compute("dGhlIHNhbXBsZSBub25jZQ==")),
                        "Sec-WebSocket-Accept is \"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\", expected"),
                invalid("no accept", h -> h.remove("Sec-WebSocket-Accept"), "Sec-WebSocket-Accept header missing"),
                invalid("two accepts", h -> h.add("Sec-WebSocket-Accept", "x"), "Sec-WebSocket-Accept header appears 2 times"),
                invalid("no Upgrade", h -> h.remove("Upgrade"), "Upgrade header missing"),
                invalid("Upgrade h2c", h -> h.set("Upgrade", "h2c"), "Upgrade header is \"h2c\""),
                invalid("two Upgrade", h -> h.add("Upgrade", "websocket"), "Upgrade header appears 2 times"),
                invalid("no Connection", h -> h.remove("Connection"), "Connection header missing"),
                invalid("Connection close", h -> h.set("Connection", "close"), "Connection header lacks the Upgrade token"),
                invalid("unsolicited subprotocol", h -> h.add("Sec-WebSocket-Protocol", "v3"),
                        "Sec-WebSocket-Protocol \"v3\" was not offered"),
                invalid("subprotocol in another case", h -> h.add("Sec-WebSocket-Protocol", "CHAT"),
                        "Sec-WebSocket-Protocol \"CHAT\" was not offered"),
                invalid("two subprotocol fields", h -> h.add("Sec-WebSocket-Protocol", "chat").add("Sec-WebSocket-Protocol", "superchat"),
                        "Sec-WebSocket-Protocol header appears 2 times"),
                invalid("two subprotocols in one field", h -> h.add("Sec-WebSocket-Protocol", "chat, superchat"),
                        "Sec-WebSocket-Protocol must name one subprotocol"),
                invalid("unoffered extension", h -> h.add("Sec-WebSocket-Extensions", "permessage-deflate, x-webkit"),
                        "Sec-WebSocket-Extensions: \"x-webkit\" was not offered"),
                invalid("malformed extensions", h -> h.add("Sec-WebSocket-Extensions", "permessage-deflate;"),
                        "malformed Sec-WebSocket-Extensions"),
                invalid("two extension fields", h -> h.add("Sec-WebSocket-Extensions", "permessage-deflate")
                        .add("Sec-WebSocket-Extensions", "permessage-deflate"), "Sec-WebSocket-Extensions header appears 2 times"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidResponses")
    void invalidResponsesFailNamingTheHeader(String name, Consumer<HeaderFields> change, String message) {
        ClientHandshake client = client();
        HttpResponseHead response = response(client, change);
        HandshakeException e = assertThrows(HandshakeException.class, () -> client.validate(response));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(101, e.status());
        assertEquals(response.headers().toMap(), e.headers());
    }

    @Test
    void subprotocolWhenNoneWasOfferedFails() {
        ClientHandshake client = ClientHandshake.builder(URI.create("ws://h/")).build();
        HttpResponseHead response = response(client, h -> h.add("Sec-WebSocket-Protocol", "chat"));
        HandshakeException e = assertThrows(HandshakeException.class, () -> client.validate(response));
        assertTrue(e.getMessage().contains("Sec-WebSocket-Protocol \"chat\" was not offered"), e.getMessage());
    }

    @Test
    void non101FailsWithStatusReasonAndHeaders() throws Exception {
        ClientHandshake client = client();
        HttpResponseHead notFound = HttpHeadParserTest.parseResponse("HTTP/1.1 404 Not Found\r\n"
                + "Content-Length: 0\r\nX-Request-Id: 42\r\nx-request-id: 43\r\n\r\n");
        HandshakeException e = assertThrows(HandshakeException.class, () -> client.validate(notFound));
        assertEquals(404, e.status());
        assertEquals("expected HTTP status 101 Switching Protocols, got 404 Not Found", e.getMessage());
        assertEquals(List.of("42", "43"), e.headers().get("X-REQUEST-ID"));
        assertThrows(UnsupportedOperationException.class, () -> e.headers().clear());
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.0", "HTTP/1.2", "HTTP/1.9"})
    void only101FromHttp11Upgrades(String version) {
        ClientHandshake client = client();
        HttpResponseHead ok = response(client, h -> { });
        HttpResponseHead other = new HttpResponseHead(version, 101, ok.reason(), ok.headers());
        HandshakeException e = assertThrows(HandshakeException.class, () -> client.validate(other));
        assertTrue(e.getMessage().contains("expected an HTTP/1.1 response, got " + version), e.getMessage());
    }

    /** A client offering chat/superchat and permessage-deflate. */
    private static ClientHandshake client() {
        return ClientHandshake.builder(URI.create("ws://example.com/chat"))
                .subprotocols(List.of("chat", "superchat"))
                .extensions(List.of(ExtensionOffer.of("permessage-deflate")))
                .build();
    }

    /** A valid 101 for {@code client}, then bent by {@code change}. */
    private static HttpResponseHead response(ClientHandshake client, Consumer<HeaderFields> change) {
        HeaderFields h = HeaderFields.of("Upgrade", "websocket", "Connection", "Upgrade",
                "Sec-WebSocket-Accept", client.expectedAccept());
        change.accept(h);
        return new HttpResponseHead("HTTP/1.1", 101, "Switching Protocols", h);
    }

    private static Arguments invalid(String name, Consumer<HeaderFields> change, String message) {
        return Arguments.of(name, change, message);
    }

    private static String text(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return new String(bytes, ISO_8859_1);
    }
}
