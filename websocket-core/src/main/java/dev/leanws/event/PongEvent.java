package dev.leanws.event;

import dev.leanws.WebSocket;
import java.nio.ByteBuffer;

/**
 * A Pong frame arrived: the answer to a ping, or an unsolicited heartbeat (RFC 6455 §5.5.3).
 *
 * @param connection where it came from
 * @param payload    its application data (0-125 bytes), read-only
 */
public record PongEvent(WebSocket connection, ByteBuffer payload) implements WsEvent {
}
