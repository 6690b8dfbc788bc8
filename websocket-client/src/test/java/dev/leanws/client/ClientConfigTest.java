package dev.leanws.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.WebSocketConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientConfigTest {

    @Test
    void defaults() {
        ClientConfig o = ClientConfig.defaults();
        assertEquals(List.of(), o.subprotocols());
        assertEquals(List.of(), o.extensions());
        assertEquals(Map.of(), o.headers());
        assertEquals(Duration.ofSeconds(10), o.connectTimeout());
        assertEquals(WebSocketConfig.defaults(), o.config());
        assertTrue(o.events().isEmpty());
        assertEquals(List.of(), o.subscribers());
    }

    @Test
    void headersKeepOrderAndRepeatedValues() {
        ClientConfig o = ClientConfig.builder().header("Cookie", "a=1").header("Origin", "http://x")
                .header("Cookie", "b=2").build();
        assertEquals(List.of("Cookie", "Origin"), List.copyOf(o.headers().keySet()));
        assertEquals(List.of("a=1", "b=2"), o.headers().get("Cookie"));
        assertEquals(o, o.toBuilder().build());
    }

    @Test
    void refusesHeadersTheHandshakeOwns() {
        for (String owned : List.of("Host", "upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
                "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions", "Content-Length")) {
            assertThrows(IllegalArgumentException.class, () -> ClientConfig.builder().header(owned, "x").build(), owned);
        }
        assertThrows(IllegalArgumentException.class, () -> ClientConfig.builder().header("Bad Name", "x").build());
        assertThrows(IllegalArgumentException.class, () -> ClientConfig.builder().header("X-Evil", "a\r\nInjected: 1").build());
    }

    @Test
    void refusesBadOffersAndTimeouts() {
        assertThrows(IllegalArgumentException.class, () -> ClientConfig.builder().subprotocols(List.of("a b")).build());
        assertThrows(IllegalArgumentException.class, () -> ClientConfig.builder().subprotocols(List.of("x", "x")).build());
        assertThrows(IllegalArgumentException.class, () -> ClientConfig.builder().extensions(List.of("a, b")).build());
        assertThrows(IllegalArgumentException.class, () -> ClientConfig.builder().extensions(List.of("x; =1")).build());
        assertThrows(IllegalArgumentException.class, () -> ClientConfig.builder().connectTimeout(Duration.ZERO).build());
        assertEquals("permessage-deflate; client_max_window_bits", ClientConfig.builder()
                .extensions(List.of("permessage-deflate; client_max_window_bits")).build().extensionOffers().get(0).toString());
    }
}
