package dev.leanws.session;

import dev.leanws.CloseCause;
import dev.leanws.CloseStatus;
import dev.leanws.DeflateConfig;
import dev.leanws.WebSocketConfig;
import dev.leanws.codec.ByteBudget;
import dev.leanws.codec.ClosePayload;
import dev.leanws.codec.FrameDecoder;
import dev.leanws.codec.FrameHeader;
import dev.leanws.codec.MaskKeySource;
import dev.leanws.codec.MessageAssembler;
import dev.leanws.codec.MessageDeflater;
import dev.leanws.codec.MessageInflater;
import dev.leanws.codec.MessageSink;
import dev.leanws.codec.Opcode;
import dev.leanws.codec.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

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
 * With permessage-deflate ({@link Compression}), RSV1 is allowed by the decoder and judged by
 * the assembler (first frame of a data message only), and data messages of at least the
 * threshold are compressed as they are queued ({@link FrameQueue#enqueueCompressed}).
 *
 * <p>Closing is decided by the connection's {@link CloseHandshake} (who closed first, what to
 * echo, when reading is over); the session sends the Close frames it asks for. After the peer's
 * Close, or after a violation, the rest of the input is ignored.
 */
public final class ProtocolSession {

    /** What the session reports to the runtime, on the reader thread, in wire order. */
    public interface Listener {
        void onText(String text);

        void onBinary(ByteBuffer data);

        void onPong(ByteBuffer payload);

        /** The peer broke the protocol; a Close frame with the violation's code is queued (if we could still send one). */
        void onViolation(ProtocolException violation);
    }

    private final Role role;
    private final FrameQueue queue;
    private final MaskKeySource maskKeys;
    private final Listener listener;
    private final FrameDecoder decoder;
    private final MessageAssembler assembler;
    private final CloseHandshake closing = new CloseHandshake();
    private final MessageDeflater deflater;     // null without permessage-deflate
    private final MessageInflater inflater;     // null without permessage-deflate
    private final int compressionThreshold;
    private final OutboundDeflate outboundDeflate;   // null without permessage-deflate

    /**
     * @param role     our end of the connection
     * @param config   frame and message limits
     * @param maskKeys masking keys (client role; ignored by a server)
     * @param queue    where outgoing frames go
     * @param listener where inbound events go
     */
    public ProtocolSession(Role role, WebSocketConfig config, MaskKeySource maskKeys, FrameQueue queue,
            Listener listener) {
        this(role, config, maskKeys, queue, listener, ByteBudget.UNLIMITED, 0, null);
    }

    /**
     * A session whose message buffers are charged to {@code memory} (see
     * {@link MessageAssembler#MessageAssembler(long, MessageSink, ByteBudget, int)}).
     */
    public ProtocolSession(Role role, WebSocketConfig config, MaskKeySource maskKeys, FrameQueue queue,
            Listener listener, ByteBudget memory, int unchargedMessageBytes) {
        this(role, config, maskKeys, queue, listener, memory, unchargedMessageBytes, null);
    }

    /**
     * A session whose message buffers (inflated bytes included) are charged to {@code memory},
     * and that runs permessage-deflate.
     *
     * @param compression what the handshake agreed and our settings; null for none
     */
    public ProtocolSession(Role role, WebSocketConfig config, MaskKeySource maskKeys, FrameQueue queue,
            Listener listener, ByteBudget memory, int unchargedMessageBytes, Compression compression) {
        this.role = Objects.requireNonNull(role, "role");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.maskKeys = role.masksOutgoing() ? Objects.requireNonNull(maskKeys, "maskKeys") : null;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.decoder = new FrameDecoder(role.expectsMaskedIncoming(), config.maxFrameSize());
        if (compression == null) {
            this.deflater = null;
            this.inflater = null;
            this.compressionThreshold = Integer.MAX_VALUE;
            this.outboundDeflate = null;
        } else {
            boolean server = role == Role.SERVER;
            DeflateConfig own = compression.config();
            // What was agreed, or less if our own settings ask for less (a server's answer never
            // names a client window the client did not offer, nor must it repeat our hints).
            int bits = Math.min(compression.params().maxWindowBits(server),
                    server ? own.serverMaxWindowBits() : own.clientMaxWindowBits());
            boolean noTakeover = compression.params().noContextTakeover(server)
                    || (server ? own.serverNoContextTakeover() : own.clientNoContextTakeover());
            this.deflater = new MessageDeflater(own.compressionLevel(), bits, noTakeover);
            this.inflater = new MessageInflater(compression.params().noContextTakeover(!server));
            this.compressionThreshold = compression.config().threshold();
            this.outboundDeflate = new OutboundDeflate(own.compressionLevel(), bits, noTakeover, compressionThreshold);
            decoder.allowRsv(FrameHeader.RSV1);
        }
        this.assembler = new MessageAssembler(config.maxMessageSize(), new Inbound(), memory, unchargedMessageBytes,
                inflater);
    }

    /**
     * Frees the inflater's native memory if it holds no context and was idle for
     * {@code idleNanos} (any thread; never waits).
     */
    public void releaseIdleInflater(long nowNanos, long idleNanos) {
        if (inflater != null) {
            inflater.releaseIfIdle(nowNanos, idleNanos);
        }
    }

    /** Frees the inflater's native memory once the connection has ended (reader thread). */
    public void releaseInflater() {
        if (inflater != null) {
            inflater.release();
        }
    }

    /** The connection is over (reader thread): gives back what a partial message held. */
    public void discardInput() {
        assembler.discard();
    }

    /** The connection's close state machine (the runtime reports aborts and the end of TCP to it). */
    public CloseHandshake closeHandshake() {
        return closing;
    }

    // ---------------------------------------------------------------- inbound (reader thread)

    /**
     * Processes all bytes of {@code in} (its position moves to its limit). Events reach the
     * listener before this returns. Input after the peer's Close or after a violation is
     * ignored.
     */
    public void receive(ByteBuffer in) {
        if (closing.isReadingDone()) {
            in.position(in.limit());
            return;
        }
        try {
            decoder.decode(in, assembler);
        } catch (ProtocolException e) {
            in.position(in.limit());
            assembler.discard();   // no more input is read: a partial message is garbage now
            // After the peer's Close the handshake ignores it: those bytes are not ours to judge (§5.5.1).
            CloseHandshake.Action action = closing.violation(e);
            if (action == CloseHandshake.Action.SEND_CLOSE) {
                queueClose(e.closeStatus());
            }
            if (closing.state().violation() == e) {
                listener.onViolation(e);
            }
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

    /**
     * Whether no more frames matter: the connection failed, or both Close frames were exchanged
     * (ours is queued, not just decided: another thread may be about to queue it).
     */
    public boolean isDone() {
        CloseHandshake.Phase phase = closing.phase();
        return phase == CloseHandshake.Phase.FAILED || phase == CloseHandshake.Phase.ENDED
                || (phase == CloseHandshake.Phase.HANDSHAKE_DONE && queue.isCloseQueued());
    }

    /** Receives the assembler's output; runs inside {@link #receive}. */
    private final class Inbound implements MessageSink {
        @Override
        public void onText(String text) {
            if (!closing.isReadingDone()) {
                listener.onText(text);
            }
        }

        @Override
        public void onBinary(ByteBuffer data) {
            if (!closing.isReadingDone()) {
                listener.onBinary(data);
            }
        }

        @Override
        public void onPing(ByteBuffer payload) {
            if (closing.isReadingDone()) {
                return;
            }
            // RFC 6455 §5.5.2: answer with a Pong carrying the same application data. After our
            // Close we send nothing more, so the queue refuses it, which is what we want.
            send(Opcode.PONG, payload.duplicate(), null);
        }

        @Override
        public void onPong(ByteBuffer payload) {
            if (!closing.isReadingDone()) {
                listener.onPong(payload);
            }
        }

        @Override
        public void onClose(CloseStatus status) {
            if (closing.closeReceived(status) == CloseHandshake.Action.ECHO_CLOSE) {
                queueClose(closing.state().sent());
            }
        }
    }

    // ---------------------------------------------------------------- outbound (any thread)

    /**
     * Queues a text message; false if refused (see {@link FrameQueue#enqueue}).
     *
     * @param written completed once the message is written, failed if it never will be; may be null
     */
    public boolean sendText(String text, CompletableFuture<Void> written) {
        return send(Opcode.TEXT, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), written);
    }

    /** Queues a binary message with the buffer's remaining bytes (position unchanged); see {@link #sendText}. */
    public boolean sendBinary(ByteBuffer data, CompletableFuture<Void> written) {
        return send(Opcode.BINARY, data.slice(), written);
    }

    /**
     * Queues a data message compressed by this connection's own compressor, in its queue order
     * (a broadcast to a connection with context takeover); without permessage-deflate, or below
     * the threshold, uncompressed. The payload is only read (its position does not move).
     */
    public boolean sendOwnCompressed(Opcode opcode, ByteBuffer payload) {
        return send(opcode, payload.slice(), null);
    }

    /** How this end compresses what it sends, or null without permessage-deflate. */
    public OutboundDeflate outboundDeflate() {
        return outboundDeflate;
    }

    /** Queues a ping with at most 125 bytes of application data. */
    public boolean ping(ByteBuffer payload) {
        if (payload.remaining() > 125) {
            throw new IllegalArgumentException("ping payload longer than 125 bytes: " + payload.remaining());
        }
        return send(Opcode.PING, payload.slice(), null);
    }

    /**
     * Starts the closing handshake with this status, if nothing started it before.
     *
     * @param cause why we close (the close event reports it)
     * @return false if closing had started already (by either side) or the connection failed
     * @throws IllegalArgumentException if the status cannot be sent (see {@link CloseStatus#requireSendable()})
     */
    public boolean close(CloseCause cause, CloseStatus status) {
        status.requireSendable();
        if (closing.closeRequested(cause, status) != CloseHandshake.Action.SEND_CLOSE) {
            return false;
        }
        queueClose(status);
        return true;
    }

    /** Queues a Close frame; a null status sends an empty Close (the echo of one without a code). */
    private void queueClose(CloseStatus status) {
        ByteBuffer payload = status == null ? ByteBuffer.allocate(0) : ClosePayload.encode(status);
        queue.enqueueClose(header(Opcode.CLOSE, true, payload.remaining()), payload);
    }

    private boolean send(Opcode opcode, ByteBuffer payload, CompletableFuture<Void> written) {
        if (deflater != null && !opcode.isControl() && payload.remaining() >= compressionThreshold) {
            return queue.enqueueCompressed(header(opcode, true, payload.remaining()), payload, written, deflater);
        }
        return queue.enqueue(header(opcode, true, payload.remaining()), payload, written);
    }

    private FrameHeader header(Opcode opcode, boolean fin, long length) {
        return role.masksOutgoing()
                ? FrameHeader.masked(fin, opcode, maskKeys.nextKey(), length)
                : FrameHeader.unmasked(fin, opcode, length);
    }
}
