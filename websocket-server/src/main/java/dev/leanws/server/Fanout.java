package dev.leanws.server;

import dev.leanws.WebSocket;
import dev.leanws.codec.FrameEncoder;
import dev.leanws.codec.FrameHeader;
import dev.leanws.codec.MessageDeflater;
import dev.leanws.codec.Opcode;
import dev.leanws.runtime.WebSocketConnection;
import dev.leanws.session.OutboundDeflate;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One message to many connections, the path that {@code broadcast} and topic publishes share:
 * a frame is encoded once and the same read-only bytes are offered to each connection's
 * queue, where that connection's own slow-consumer policy decides (skip or close); no
 * connection's slowness reaches the sender or the others.
 *
 * <p>With permessage-deflate (RFC 7692) a connection gets what it would get from its own
 * {@code send}: connections that drop their compression context after each message
 * ({@code server_no_context_takeover}) share one compressed frame per distinct window and
 * level, since for them the same message always compresses to the same bytes; a connection
 * with context takeover compresses the message itself, under its queue's lock, because its
 * frame must follow the context of everything it sent before. Messages below the threshold,
 * and connections without compression, share the one uncompressed frame.
 */
final class Fanout {

    private Fanout() {
    }

    /** One message on its way to many connections; its frames are encoded when first needed. Single-threaded. */
    static final class Message {
        private final Opcode opcode;
        private final ByteBuffer payload;
        private ByteBuffer plain;
        private Map<OutboundDeflate, ByteBuffer> compressed;

        private Message(Opcode opcode, ByteBuffer payload) {
            this.opcode = opcode;
            this.payload = payload;
        }

        /** The uncompressed frame, shared by every connection it fits. */
        ByteBuffer plain() {
            if (plain == null) {
                ByteBuffer slice = payload.duplicate();
                plain = FrameEncoder.encode(FrameHeader.unmasked(true, opcode, slice.remaining()), slice)
                        .asReadOnlyBuffer();
            }
            return plain.duplicate();
        }

        /** The compressed frame (RSV1 set) for every no-context-takeover connection with these settings. */
        ByteBuffer compressed(OutboundDeflate deflate) {
            if (compressed == null) {
                compressed = new HashMap<>(4);
            }
            return compressed.computeIfAbsent(deflate, d -> {
                MessageDeflater deflater = new MessageDeflater(d.level(), d.windowBits(), true);
                try {
                    ByteBuffer body = deflater.compress(payload);
                    FrameHeader header = FrameHeader.unmasked(true, opcode, payload.remaining())
                            .compressed(body.remaining());
                    return FrameEncoder.encode(header, body).asReadOnlyBuffer();
                } finally {
                    deflater.release();   // native memory: freed now, not when collected
                }
            }).duplicate();
        }

        /** Queues this message on {@code c} in the form that connection negotiated. */
        boolean sendTo(WebSocketConnection c) {
            OutboundDeflate deflate = c.outboundDeflate();
            if (deflate == null || payload.remaining() < deflate.threshold()) {
                return c.sendEncoded(plain());
            }
            if (deflate.noContextTakeover()) {
                return c.sendEncoded(compressed(deflate));
            }
            return c.sendOwnCompressed(opcode, payload);
        }
    }

    /** A message carrying the payload's remaining bytes (its position does not move). */
    static Message encode(Opcode opcode, ByteBuffer payload) {
        return new Message(opcode, payload.slice().asReadOnlyBuffer());
    }

    /**
     * Offers {@code message} to every connection of {@code to} that passes {@code filter}.
     *
     * @return how many queued it
     */
    static int offer(Message message, Iterable<WebSocketConnection> to, Predicate<? super WebSocket> filter) {
        int taken = 0;
        for (WebSocketConnection c : to) {
            if (filter.test(c) && message.sendTo(c)) {
                taken++;
            }
        }
        return taken;
    }
}
