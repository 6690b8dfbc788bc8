package dev.leanws.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.DeflateConfig;
import dev.leanws.HandshakeException;
import dev.leanws.codec.DeflateParams;
import dev.leanws.handshake.HandshakeResult.Accepted;
import dev.leanws.http.internal.HeaderFields;
import dev.leanws.http.internal.HttpParseException;
import dev.leanws.http.internal.HttpResponseHead;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 7692 §5-7 negotiation, as tables: what a server answers, and which answers a client accepts. */
class PerMessageDeflateTest {

    static final DeflateConfig DEFAULTS = DeflateConfig.defaults();

    /** The server's answer to a Sec-WebSocket-Extensions value, or "declined". */
    static String answer(String offers, DeflateConfig config) throws HttpParseException {
        return PerMessageDeflate.accept(HeaderTokens.parseExtensions(offers), config)
                .map(ExtensionOffer::toString).orElse("declined");
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            permessage-deflate                                             | permessage-deflate
            permessage-deflate; client_max_window_bits                     | permessage-deflate
            permessage-deflate; client_max_window_bits=10                  | permessage-deflate; client_max_window_bits=10
            permessage-deflate; server_max_window_bits=10                  | permessage-deflate; server_max_window_bits=10
            permessage-deflate; server_max_window_bits=8                   | permessage-deflate; server_max_window_bits=8
            permessage-deflate; server_max_window_bits=15                  | permessage-deflate; server_max_window_bits=15
            permessage-deflate; server_max_window_bits="9"                 | permessage-deflate; server_max_window_bits=9
            permessage-deflate; server_no_context_takeover                 | permessage-deflate; server_no_context_takeover
            permessage-deflate; client_no_context_takeover                 | permessage-deflate; client_no_context_takeover
            permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=12; client_max_window_bits=11 | permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=12; client_max_window_bits=11
            x-webkit-deflate-frame, permessage-deflate                     | permessage-deflate
            permessage-deflate; server_max_window_bits                     | declined
            permessage-deflate; server_max_window_bits=7                   | declined
            permessage-deflate; server_max_window_bits=16                  | declined
            permessage-deflate; server_max_window_bits=09                  | declined
            permessage-deflate; server_max_window_bits=abc                 | declined
            permessage-deflate; client_max_window_bits=7                   | declined
            permessage-deflate; client_max_window_bits=010                 | declined
            permessage-deflate; server_no_context_takeover=1               | declined
            permessage-deflate; client_no_context_takeover=x               | declined
            permessage-deflate; server_no_context_takeover; server_no_context_takeover | declined
            permessage-deflate; client_max_window_bits; client_max_window_bits=9 | declined
            permessage-deflate; unknown_parameter                          | declined
            permessage-deflate; Server_No_Context_Takeover                 | declined
            permessage-deflate; unknown, permessage-deflate; server_max_window_bits=9 | permessage-deflate; server_max_window_bits=9
            permessage-deflate; server_max_window_bits=10, permessage-deflate | permessage-deflate; server_max_window_bits=10
            permessage-deflate; server_max_window_bits=99, permessage-deflate; client_max_window_bits | permessage-deflate
            x-webkit-deflate-frame                                         | declined
            """)
    void serverAnswersTheFirstAcceptableOffer(String offers, String expected) throws HttpParseException {
        assertEquals(expected, answer(offers, DEFAULTS));
    }

    @ParameterizedTest(name = "[{index}] {0} with {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            permessage-deflate                                  | serverNoContext   | permessage-deflate; server_no_context_takeover
            permessage-deflate                                  | clientNoContext   | permessage-deflate; client_no_context_takeover
            permessage-deflate                                  | server10          | permessage-deflate; server_max_window_bits=10
            permessage-deflate; server_max_window_bits=12       | server10          | permessage-deflate; server_max_window_bits=10
            permessage-deflate; server_max_window_bits=9        | server10          | permessage-deflate; server_max_window_bits=9
            permessage-deflate                                  | client10          | permessage-deflate
            permessage-deflate; client_max_window_bits          | client10          | permessage-deflate; client_max_window_bits=10
            permessage-deflate; client_max_window_bits=9        | client10          | permessage-deflate; client_max_window_bits=9
            permessage-deflate; client_max_window_bits=12       | client10          | permessage-deflate; client_max_window_bits=10
            permessage-deflate                                  | disabled          | declined
            """)
    void serverSettingsNarrowTheAnswer(String offers, String setting, String expected) throws HttpParseException {
        DeflateConfig.Builder b = DeflateConfig.builder();
        DeflateConfig config = switch (setting) {
            case "serverNoContext" -> b.serverNoContextTakeover(true).build();
            case "clientNoContext" -> b.clientNoContextTakeover(true).build();
            case "server10" -> b.serverMaxWindowBits(10).build();
            case "client10" -> b.clientMaxWindowBits(10).build();
            case "disabled" -> DeflateConfig.disabled();
            default -> throw new IllegalArgumentException(setting);
        };
        if (!config.enabled()) {
            assertEquals(List.of(), PerMessageDeflate.negotiator(config).negotiate(HeaderTokens.parseExtensions(offers)));
            return;
        }
        assertEquals(expected, answer(offers, config));
    }

    @Test
    void serverHandshakeAnswersAndTheAgreementReadsBack() {
        ServerHandshakeTest.MutableRequest r = new ServerHandshakeTest.MutableRequest();
        r.headers.add("Sec-WebSocket-Extensions", "permessage-deflate; server_max_window_bits=10; client_max_window_bits");
        r.headers.add("Sec-WebSocket-Extensions", "permessage-deflate");
        Accepted a = assertInstanceOf(Accepted.class, ServerHandshake.process(r.build(), dev.leanws.UpgradeConfig.defaults(),
                PerMessageDeflate.negotiator(DeflateConfig.builder().clientNoContextTakeover(true).build())));
        assertEquals(Optional.of("permessage-deflate; client_no_context_takeover; server_max_window_bits=10"),
                a.responseHeaders().first("Sec-WebSocket-Extensions"));
        assertEquals(Optional.of(new DeflateParams(false, true, 10, 15)), PerMessageDeflate.agreed(a.extensions()));
        assertEquals(Optional.empty(), PerMessageDeflate.agreed(List.of("x-other; a=1")));
    }

    // ------------------------------------------------------------------ client

    @Test
    void clientOffersFromItsConfiguration() {
        assertEquals(Optional.empty(), PerMessageDeflate.offer(DeflateConfig.disabled()));
        assertEquals("permessage-deflate; client_max_window_bits", PerMessageDeflate.offer(DEFAULTS).orElseThrow().toString());
        assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9; "
                + "client_max_window_bits=10", PerMessageDeflate.offer(DeflateConfig.builder().serverNoContextTakeover(true)
                .clientNoContextTakeover(true).serverMaxWindowBits(9).clientMaxWindowBits(10).build()).orElseThrow().toString());
    }

    /** Whether a client that offered {@code offer} accepts {@code response}: "ok" or a word from the reason. */
    @ParameterizedTest(name = "[{index}] offered {0}, answered {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            permessage-deflate; client_max_window_bits | permessage-deflate                                       | ok
            permessage-deflate; client_max_window_bits | permessage-deflate; client_max_window_bits=8             | ok
            permessage-deflate; client_max_window_bits | permessage-deflate; client_max_window_bits               | needs a value
            permessage-deflate; client_max_window_bits | permessage-deflate; client_max_window_bits=16            | 8-15
            permessage-deflate; client_max_window_bits | permessage-deflate; server_no_context_takeover           | ok
            permessage-deflate; client_max_window_bits | permessage-deflate; client_no_context_takeover           | ok
            permessage-deflate; client_max_window_bits | permessage-deflate; server_max_window_bits=10            | ok
            permessage-deflate; client_max_window_bits | permessage-deflate; server_max_window_bits              | needs a value
            permessage-deflate; client_max_window_bits | permessage-deflate; server_max_window_bits=7            | 8-15
            permessage-deflate; client_max_window_bits | permessage-deflate; server_max_window_bits=08           | 8-15
            permessage-deflate; client_max_window_bits | permessage-deflate; foo                                  | unknown
            permessage-deflate; client_max_window_bits | permessage-deflate; server_no_context_takeover; server_no_context_takeover | twice
            permessage-deflate; client_max_window_bits | permessage-deflate; client_no_context_takeover=1         | no value
            permessage-deflate                         | permessage-deflate; client_max_window_bits=10            | not offered
            permessage-deflate; client_max_window_bits=10 | permessage-deflate; client_max_window_bits=11         | larger
            permessage-deflate; client_max_window_bits=10 | permessage-deflate; client_max_window_bits=10         | ok
            permessage-deflate; server_max_window_bits=10 | permessage-deflate; server_max_window_bits=11         | larger
            permessage-deflate; server_max_window_bits=10 | permessage-deflate; server_max_window_bits=9          | ok
            permessage-deflate; server_max_window_bits=10 | permessage-deflate                                    | not answered
            permessage-deflate; server_no_context_takeover | permessage-deflate                                   | not answered
            permessage-deflate; server_no_context_takeover | permessage-deflate; server_no_context_takeover       | ok
            """)
    void clientChecksTheAnswerAgainstItsOffer(String offer, String response, String verdict) throws HttpParseException {
        Optional<String> why = PerMessageDeflate.checkResponse(HeaderTokens.parseExtensions(response).get(0),
                HeaderTokens.parseExtensions(offer));
        if (verdict.equals("ok")) {
            assertEquals(Optional.empty(), why);
        } else {
            assertTrue(why.isPresent() && why.get().contains(verdict), "expected '" + verdict + "', got " + why);
        }
    }

    @Test
    void anAnswerIsValidIfItAcceptsAnyOfSeveralOffers() throws HttpParseException {
        List<ExtensionOffer> offers = HeaderTokens.parseExtensions(
                "permessage-deflate; server_max_window_bits=10, permessage-deflate; client_max_window_bits");
        assertEquals(Optional.empty(), PerMessageDeflate.checkResponse(
                HeaderTokens.parseExtensions("permessage-deflate; client_max_window_bits=9").get(0), offers));
        assertEquals(Optional.empty(), PerMessageDeflate.checkResponse(
                HeaderTokens.parseExtensions("permessage-deflate; server_max_window_bits=10").get(0), offers));
    }

    @Test
    void clientHandshakeFailsOnAnInvalidAnswerOrTwoAnswers() {
        ClientHandshake client = ClientHandshake.builder(URI.create("ws://example.com/"))
                .extensions(List.of(PerMessageDeflate.offer(DEFAULTS).orElseThrow())).build();
        HandshakeException e = assertThrows(HandshakeException.class,
                () -> client.validate(response(client, "permessage-deflate; server_max_window_bits=16")));
        assertTrue(e.getMessage().contains("server_max_window_bits"), e.getMessage());
        e = assertThrows(HandshakeException.class,
                () -> client.validate(response(client, "permessage-deflate, permessage-deflate")));
        assertTrue(e.getMessage().contains("2 times"), e.getMessage());
        Accepted ok = assertInstanceOf(Accepted.class, validate(client, "permessage-deflate; client_max_window_bits=9"));
        assertEquals(Optional.of(new DeflateParams(false, false, 15, 9)), PerMessageDeflate.agreed(ok.extensions()));
    }

    private static Accepted validate(ClientHandshake client, String extensions) {
        try {
            return client.validate(response(client, extensions));
        } catch (HandshakeException e) {
            throw new AssertionError(e);
        }
    }

    private static HttpResponseHead response(ClientHandshake client, String extensions) {
        HeaderFields h = HeaderFields.of("Upgrade", "websocket", "Connection", "Upgrade",
                "Sec-WebSocket-Accept", client.expectedAccept(), "Sec-WebSocket-Extensions", extensions);
        return new HttpResponseHead("HTTP/1.1", 101, "Switching Protocols", h);
    }
}
