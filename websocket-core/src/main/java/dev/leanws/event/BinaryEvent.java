package dev.leanws.event;

import dev.leanws.WebSocket;
import java.nio.ByteBuffer;

/**
 * A binary message.
 *
 * @param connection where it came from
 * @param data       the message, a read-only buffer of its own (position 0, limit = length)
 */
public record BinaryEvent(WebSocket connection, ByteBuffer data) implements MessageEvent {

    /** A copy of the message bytes. */
    public byte[] bytes() {
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return copy;
    }
}
