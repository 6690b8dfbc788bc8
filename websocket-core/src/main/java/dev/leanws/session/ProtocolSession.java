package dev.leanws.session;

import dev.leanws.CloseStatus;
import dev.leanws.WebSocketConfig;
import dev.leanws.codec.ClosePayload;
import dev.leanws.codec.FrameDecoder;
import dev.leanws.codec.FrameHeader;
import dev.leanws.codec.MaskKeySource;
import dev.leanws.codec.MessageAssembler;
import dev.leanws.codec.MessageSink;
import dev.leanws.codec.Opcode;
import dev.leanws.codec.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The per-connection protocol state machine of RFC 6455, without sockets or threads: bytes in,
 * events and frames out. This is the design's "incremental loop"; the runtime only adds a
 * socket, a thread and deadlines around it.
 *
 * <ul>
 *   <li>Inbound ({@link #receive}, the reader thread only): decodes any split of the byte
 *       stream, assembles messages, answers pings with pongs, echoes the peer's Close, and turns
 *       a violation into a Close frame with the violation's code.</li>
 *   <li>Outbound ({@code send*}, {@link #ping}, {@link #close}; any thread): builds frame
 *       headers (masked with a fresh key in the client role) and hands them to the
 *       {@link FrameQueue}.</li>
 * </ul>
 *
 * Closing, as RFC 6455 §5.5.1 and §7 describe it:
 * <pre>
 *   we close first:   close() -> [Close sent] ... peer's Close arrives -> handshake complete
 *   peer closes first: peer's Close arrives -> we echo its code -> handshake complete
 *   violation:         Close(code of the violation) sent, all further input ignored
 * </pre>
 * After the peer's Close, or after a violation, the rest of the input is ignored.
 */
public final class ProtocolSession {

    /** What the session reports to the runtime, on the reader thread, in wire order. */
    public interface Listener {
        void onText(String text);

        void onBinary(ByteBuffer data);

        /** A ping arrived; its pong is already queued. */
        void onPing(ByteBuffer payload);

        void onPong(ByteBuffer payload);

        /**
         * The peer's Close arrived. If we had not sent one, the echo is already queued.
         *
         * @param status        the peer's status ({@link CloseStatus#NO_STATUS} if it had no code)
         * @param weClosedFirst whether our Close was queued before the peer's arrived
         */
        void onCloseReceived(CloseStatus status, boolean weClosedFirst);

        /** The peer broke the protocol; a Close frame with the violation's code is queued. */
        void onViolation(ProtocolException violation);
    }

    private final Role role;
    private final FrameQueue queue;
    private final MaskKeySource maskKeys;
    private final Listener listener;
    private final FrameDecoder decoder;
    private final MessageAssembler assembler;

    // Reader-thread state; volatile where the runtime's watchdog reads it.
    private volatile boolean closeReceived;
    private volatile ProtocolException failure;

    /**
     * @param role     our end of the connection
     * @param config   frame and message limits
     * @param maskKeys masking keys (client role; ignored by a server)
     * @param queue    where outgoing frames go
     * @param listener where inbound events go
     */
    public ProtocolSession(Role role, WebSocketConfig config, MaskKeySource maskKeys, FrameQueue queue,
            Listener listener) {
        this.role = Objects.requireNonNull(role, "role");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.maskKeys = role.masksOutgoing() ? Objects.requireNonNull(maskKeys, "maskKeys") : null;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.decoder = new FrameDecoder(role.expectsMaskedIncoming(), config.maxFrameSize());
        this.assembler = new MessageAssembler(config.maxMessageSize(), new Inbound());
    }

    // ---------------------------------------------------------------- inbound (reader thread)

    /**
     * Processes all bytes of {@code in} (its position moves to its limit). Events reach the
     * listener before this returns. Input after the peer's Close or after a violation is
     * ignored.
     */
    public void receive(ByteBuffer in) {
        if (closeReceived || failure != null) {
            in.position(in.limit());
            return;
        }
        try {
            decoder.decode(in, assembler);
        } catch (ProtocolException e) {
            in.position(in.limit());
            if (!closeReceived) {
                fail(e);
            }
            // else: bytes after the peer's Close frame are not ours to judge (RFC 6455 §5.5.1)
        }
    }

    /** Whether no frame is partly received (the runtime's idle vs mid-frame deadline). */
    public boolean isAtFrameBoundary() {
        return decoder.isAtFrameBoundary();
    }

    /** How many frames have begun arriving (see {@link FrameDecoder#framesBegun()}). */
    public long framesBegun() {
        return decoder.framesBegun();
    }

    /** The violation that failed the connection, or null. */
    public ProtocolException failure() {
        return failure;
    }

    /** Whether both Close frames have been exchanged (or the connection failed): no more frames matter. */
    public boolean isDone() {
        return failure != null || (closeReceived && queue.isCloseQueued());
    }

    private void fail(ProtocolException violation) {
        failure = violation;
        queueClose(new CloseStatus(violation.closeCode(), violation.closeReason()));
        listener.onViolation(violation);
    }

    /** Receives the assembler's output; runs inside {@link #receive}. */
    private final class Inbound implements MessageSink {
        @Override
        public void onText(String text) {
            if (!closeReceived) {
                listener.onText(text);
            }
        }

        @Override
        public void onBinary(ByteBuffer data) {
            if (!closeReceived) {
                listener.onBinary(data);
            }
        }

        @Override
        public void onPing(ByteBuffer payload) {
            if (closeReceived) {
                return;
            }
            // RFC 6455 §5.5.2: answer with a Pong carrying the same application data. After our
            // Close we send nothing more, so the queue refuses it, which is what we want.
            send(Opcode.PONG, payload.duplicate(), true);
            listener.onPing(payload);
        }

        @Override
        public void onPong(ByteBuffer payload) {
            if (!closeReceived) {
                listener.onPong(payload);
            }
        }

        @Override
        public void onClose(CloseStatus status) throws ProtocolException {
            if (closeReceived) {
                return;
            }
            closeReceived = true;
            // RFC 6455 §5.5.1: echo the status code; an empty Close is answered with an empty one.
            boolean weClosedFirst = !queueClose(status.code() == CloseStatus.NO_STATUS.code()
                    ? null : new CloseStatus(status.code(), ""));
            listener.onCloseReceived(status, weClosedFirst);
        }
    }

    // ---------------------------------------------------------------- outbound (any thread)

    /** Queues a text message; false if refused (see {@link FrameQueue#enqueue}). */
    public boolean sendText(String text) {
        return send(Opcode.TEXT, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), true);
    }

    /** Queues a binary message with the buffer's remaining bytes (position unchanged). */
    public boolean sendBinary(ByteBuffer data) {
        return send(Opcode.BINARY, data.slice(), true);
    }

    /** Queues a ping with at most 125 bytes of application data. */
    public boolean ping(ByteBuffer payload) {
        if (payload.remaining() > 125) {
            throw new IllegalArgumentException("ping payload longer than 125 bytes: " + payload.remaining());
        }
        return send(Opcode.PING, payload.slice(), true);
    }

    /**
     * Starts the closing handshake with this status (validated by the caller).
     *
     * @return false if a Close frame was already queued (by us or as an echo)
     */
    public boolean close(CloseStatus status) {
        if (!status.isSendable()) {
            throw new IllegalArgumentException("cannot send close status " + status.code()
                    + " with a reason of " + status.reason().getBytes(StandardCharsets.UTF_8).length + " bytes");
        }
        return queueClose(status);
    }

    /** Queues a Close frame; a null status sends an empty Close (the echo of one without a code). */
    private boolean queueClose(CloseStatus status) {
        ByteBuffer payload = status == null ? ByteBuffer.allocate(0) : ClosePayload.encode(status);
        return queue.enqueueClose(header(Opcode.CLOSE, true, payload.remaining()), payload);
    }

    private boolean send(Opcode opcode, ByteBuffer payload, boolean fin) {
        return queue.enqueue(header(opcode, fin, payload.remaining()), payload);
    }

    private FrameHeader header(Opcode opcode, boolean fin, long length) {
        return role.masksOutgoing()
                ? FrameHeader.masked(fin, opcode, maskKeys.nextKey(), length)
                : FrameHeader.unmasked(fin, opcode, length);
    }
}
