package dev.leanws.server;

import dev.leanws.WebSocket;
import dev.leanws.codec.FrameEncoder;
import dev.leanws.codec.FrameHeader;
import dev.leanws.codec.Opcode;
import dev.leanws.runtime.WebSocketConnection;
import java.nio.ByteBuffer;
import java.util.function.Predicate;

/**
 * One message to many connections, the path that {@code broadcast} and topic publishes share:
 * the frame is encoded once and the same read-only bytes are offered to each connection's
 * queue, where that connection's own slow-consumer policy decides (skip or close); no
 * connection's slowness reaches the sender or the others.
 */
final class Fanout {

    private Fanout() {
    }

    /** A complete unmasked data frame carrying the payload's remaining bytes (its position does not move). */
    static ByteBuffer encode(Opcode opcode, ByteBuffer payload) {
        ByteBuffer slice = payload.slice();
        ByteBuffer frame = FrameEncoder.encode(FrameHeader.unmasked(true, opcode, slice.remaining()), slice);
        return frame.asReadOnlyBuffer();
    }

    /**
     * Offers {@code frame} to every connection of {@code to} that passes {@code filter}.
     *
     * @return how many queued it
     */
    static int offer(ByteBuffer frame, Iterable<WebSocketConnection> to, Predicate<? super WebSocket> filter) {
        int taken = 0;
        for (WebSocketConnection c : to) {
            if (filter.test(c) && c.sendEncoded(frame)) {
                taken++;
            }
        }
        return taken;
    }
}
