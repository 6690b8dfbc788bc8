package dev.leanws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The defaults the README's "Limits and defaults" table documents, and the settings refused. */
class WebSocketConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        WebSocketConfig c = WebSocketConfig.defaults();
        assertEquals(16L << 20, c.maxFrameSize());
        assertEquals(16L << 20, c.maxMessageSize());
        assertEquals(16 << 10, c.maxHandshakeBytes());
        assertEquals(Duration.ofSeconds(10), c.handshakeTimeout());
        assertEquals(Duration.ofSeconds(30), c.pingInterval());
        assertEquals(Duration.ofSeconds(10), c.pongTimeout());
        assertEquals(Duration.ZERO, c.idleTimeout());
        assertEquals(Duration.ofSeconds(30), c.frameTimeout());
        assertEquals(Duration.ofSeconds(5), c.closeTimeout());
        assertEquals(Duration.ofSeconds(30), c.writeTimeout());
        assertEquals(16L << 20, c.maxOutboundBytes());
        assertSame(BackpressurePolicy.BLOCK, c.backpressurePolicy());
        assertEquals(c, WebSocketConfig.builder().build());
        assertEquals(c, c.toBuilder().build());
    }

    @Test
    void refusesSettingsThatCannotWork() {
        assertThrows(IllegalArgumentException.class, () -> WebSocketConfig.builder().maxFrameSize(0).build());
        assertThrows(IllegalArgumentException.class, () -> WebSocketConfig.builder().maxMessageSize(-1).build());
        assertThrows(IllegalArgumentException.class, () -> WebSocketConfig.builder().maxHandshakeBytes(0).build());
        assertThrows(IllegalArgumentException.class, () -> WebSocketConfig.builder().maxOutboundBytes(0).build());
        assertThrows(IllegalArgumentException.class, () -> WebSocketConfig.builder().handshakeTimeout(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class,
                () -> WebSocketConfig.builder().pingInterval(Duration.ofSeconds(-1)).build());
        assertThrows(IllegalArgumentException.class, () -> WebSocketConfig.builder().pongTimeout(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class,
                () -> WebSocketConfig.builder().idleTimeout(Duration.ofSeconds(-1)).build());
        assertThrows(IllegalArgumentException.class, () -> WebSocketConfig.builder().frameTimeout(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> WebSocketConfig.builder().closeTimeout(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> WebSocketConfig.builder().writeTimeout(Duration.ZERO).build());
        assertThrows(NullPointerException.class, () -> WebSocketConfig.builder().backpressurePolicy(null).build());
        // Zero means "off" where the README says so.
        assertEquals(Duration.ZERO, WebSocketConfig.builder().pingInterval(Duration.ZERO).build().pingInterval());
    }
}
