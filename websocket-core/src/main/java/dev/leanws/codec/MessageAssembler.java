package dev.leanws.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Turns frames into messages (RFC 6455 §5.4, §5.5, §5.6): the protocol rules that span frames,
 * between the {@link FrameDecoder} (bytes to frames) and a {@link MessageSink}.
 *
 * <ul>
 *   <li><b>Fragment order</b> (§5.4): a continuation frame needs a message to continue, and a
 *       new text or binary frame may not start while a fragmented message is open. Control
 *       frames may come between fragments; each is delivered as soon as it ends, and the
 *       message in progress is not disturbed.
 *   <li><b>Size</b>: the limit applies to the whole message (the sum of its fragments) and is
 *       checked from each frame's declared length when its header arrives, before anything is
 *       allocated or copied ({@link ProtocolViolation#MESSAGE_TOO_BIG}, 1009). A message of up to
 *       {@link #EAGER_RESERVE} bytes allocates exactly once; a larger one grows its buffer as
 *       payload arrives (doubling, never past the declared length of a final frame), so a header
 *       alone never commits more than 64 KiB and a binary message is delivered in an array of
 *       exactly its size.
 *   <li><b>UTF-8</b> (§8.1): text is validated chunk by chunk as it arrives and fails at the
 *       first invalid byte ({@link ProtocolViolation#INVALID_UTF8}, 1007), not at the end of the
 *       message; a message that ends inside a multi-byte sequence fails at its end.
 *   <li><b>Close</b>: the payload is parsed by {@link ClosePayload#parse}.
 * </ul>
 *
 * <p><b>permessage-deflate</b> (RFC 7692), when given a {@link MessageInflater}: RSV1 marks a
 * compressed message and is allowed only on its first frame (§6: never on a continuation or
 * control frame, 1002). The payloads of a compressed message are inflated as they arrive; its
 * size limit then applies to the inflated bytes, checked chunk by chunk while inflating (a small
 * compressed message that would inflate past the limit fails after at most one more
 * {@link MessageInflater#CHUNK}), and its declared lengths only bound the compressed bytes.
 *
 * <p>The assembler does not know what happens after a Close frame (that is the session's
 * concern). A Java array bounds the
 * largest message to about 2 GiB whatever {@code maxMessageSize} says. Not thread-safe.
 */
public final class MessageAssembler implements FrameSink {

    /** The largest array the JVM reliably allocates. */
    private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    /** What a frame header alone may make us allocate ahead of its payload. */
    static final int EAGER_RESERVE = 64 * 1024;

    private final long maxMessageSize;
    private final MessageSink sink;
    private final ByteBudget budget;
    private final int uncharged;
    private long charged;              // bytes of the message buffer reserved from the budget
    private final Utf8Validator utf8 = new Utf8Validator();
    private final MessageInflater inflater;
    private final MessageInflater.ChunkSink inflated = this::append;

    // The current frame.
    private Opcode frameOpcode;
    private boolean frameFin;
    private byte[] control;
    private int controlSize;

    // The data message in progress: messageOpcode is null when none is.
    private Opcode messageOpcode;
    private boolean compressed;
    private long declaredLength;
    private byte[] data;
    private int dataSize;

    /**
     * @param maxMessageSize limit on a whole message (sum of fragments); checked as each frame
     *                       header arrives (declared length) before allocating or copying:
     *                       {@link ProtocolViolation#MESSAGE_TOO_BIG} (1009)
     * @param sink           receives messages and control frames
     */
    public MessageAssembler(long maxMessageSize, MessageSink sink) {
        this(maxMessageSize, sink, ByteBudget.UNLIMITED, 0, null);
    }

    /**
     * An assembler for a connection that negotiated permessage-deflate.
     *
     * @param inflater inflates compressed messages; null when no compression was negotiated
     *                 (then an RSV1 frame is {@link ProtocolViolation#RESERVED_BITS})
     */
    public MessageAssembler(long maxMessageSize, MessageSink sink, MessageInflater inflater) {
        this(maxMessageSize, sink, ByteBudget.UNLIMITED, 0, inflater);
    }

    /** {@link #MessageAssembler(long, MessageSink, ByteBudget, int, MessageInflater)} without compression. */
    public MessageAssembler(long maxMessageSize, MessageSink sink, ByteBudget budget, int uncharged) {
        this(maxMessageSize, sink, budget, uncharged, null);
    }

    /**
     * An assembler whose message buffer is charged to a budget shared with other connections:
     * the part of its capacity above {@code uncharged} bytes is reserved before it is allocated,
     * and given back when the message is delivered or {@link #discard() discarded}. Growth the
     * budget refuses fails with {@link ProtocolViolation#MEMORY_BUDGET} (1013) before allocating.
     * Inflated bytes of a compressed message are charged the same way, as they arrive.
     *
     * @param uncharged what a message may hold before it is charged (so small messages never
     *                  depend on the budget)
     * @param inflater  inflates compressed messages; null without permessage-deflate
     */
    public MessageAssembler(long maxMessageSize, MessageSink sink, ByteBudget budget, int uncharged,
            MessageInflater inflater) {
        this.inflater = inflater;
        if (maxMessageSize < 0) {
            throw new IllegalArgumentException("maxMessageSize must be >= 0: " + maxMessageSize);
        }
        this.maxMessageSize = Math.min(maxMessageSize, MAX_ARRAY_LENGTH);
        this.sink = java.util.Objects.requireNonNull(sink, "sink");
        this.budget = java.util.Objects.requireNonNull(budget, "budget");
        this.uncharged = Math.max(0, uncharged);
    }

    /**
     * Drops the message in progress and gives its bytes back to the budget: the connection
     * ended or failed. The assembler must not be fed afterwards.
     */
    public void discard() {
        data = null;
        dataSize = 0;
        messageOpcode = null;
        compressed = false;
        releaseCharge();
    }

    private void releaseCharge() {
        if (charged > 0) {
            budget.release(charged);
            charged = 0;
        }
    }

    /** At a frame boundary: whether a fragmented data message has started and not finished. */
    public boolean isInsideMessage() {
        return messageOpcode != null;
    }

    @Override
    public void onFrameStart(FrameHeader header) throws ProtocolException {
        Opcode opcode = header.opcode();
        long length = header.payloadLength();
        frameOpcode = opcode;
        frameFin = header.fin();
        boolean rsv1 = (header.rsv() & FrameHeader.RSV1) != 0;
        if (opcode.isControl()) {
            // RFC 7692 §6: RSV1 is defined for data messages only.
            if (rsv1) {
                throw new ProtocolException(ProtocolViolation.RSV1_ON_CONTROL_FRAME, opcode.name());
            }
            // §5.5: control frames MUST NOT be fragmented and have at most 125 bytes. The decoder
            // already checks both; the assembler does not rely on being fed by it.
            if (!header.fin()) {
                throw new ProtocolException(ProtocolViolation.CONTROL_FRAME_FRAGMENTED, opcode.name());
            }
            if (length > FrameEncoder.MAX_7BIT_LENGTH) {
                throw new ProtocolException(ProtocolViolation.CONTROL_FRAME_TOO_LONG, opcode.name());
            }
            control = new byte[(int) length];
            controlSize = 0;
            return;
        }
        boolean first = opcode != Opcode.CONTINUATION;
        if (rsv1 && !first) {
            // RFC 7692 §6.1: the "Per-Message Compressed" bit is set on the first frame only.
            throw new ProtocolException(ProtocolViolation.RSV1_ON_CONTINUATION);
        }
        if (rsv1 && inflater == null) {
            throw new ProtocolException(ProtocolViolation.RESERVED_BITS, "RSV1 without permessage-deflate");
        }
        if (first) {
            // §5.4: the fragments of one message MUST NOT be interleaved with another message's.
            if (messageOpcode != null) {
                throw new ProtocolException(ProtocolViolation.DATA_FRAME_INSIDE_FRAGMENTED_MESSAGE, opcode.name());
            }
        } else if (messageOpcode == null) {
            // §5.4: a fragmented message starts with a non-continuation frame.
            throw new ProtocolException(ProtocolViolation.CONTINUATION_WITHOUT_START);
        }
        long already = first ? 0 : declaredLength;
        if (length > maxMessageSize - already) {
            throw new ProtocolException(ProtocolViolation.MESSAGE_TOO_BIG,
                    already + " bytes so far, frame declares " + length + ", limit " + maxMessageSize);
        }
        if (first) {
            messageOpcode = opcode;
            compressed = rsv1;
            dataSize = 0;
            data = null;
            utf8.reset();
        }
        declaredLength = already + length;
        if (!compressed) {
            reserve((int) Math.min(declaredLength, dataSize + EAGER_RESERVE));
        }
    }

    /**
     * Makes room for {@code needed} bytes, doubling, so a message in many small fragments is
     * copied a constant number of times per byte, not once per fragment. The doubling never
     * passes what can still come: the declared length on a final frame (so an unfragmented
     * message ends exactly as long as it is), the message limit before. Memory follows the
     * bytes that actually arrive: a peer that declares 16 MiB and then stalls pins
     * {@link #EAGER_RESERVE}, not 16 MiB.
     */
    private void reserve(int needed) throws ProtocolException {
        int current = data == null ? 0 : data.length;
        if (data != null && current >= needed) {
            return;
        }
        long ceiling = frameFin && !compressed ? declaredLength : maxMessageSize;
        int capacity = (int) Math.max(needed, Math.min(2L * current, ceiling));
        long charge = Math.max(0, (long) capacity - uncharged);
        if (charge > charged) {
            if (!budget.tryReserve(charge - charged)) {
                throw new ProtocolException(ProtocolViolation.MEMORY_BUDGET,
                        "a message of " + dataSize + " bytes could not grow to " + capacity);
            }
            charged = charge;
        }
        byte[] grown = new byte[capacity];
        if (data != null) {
            System.arraycopy(data, 0, grown, 0, dataSize);
        }
        data = grown;
    }

    @Override
    public void onPayload(ByteBuffer chunk) throws ProtocolException {
        int n = chunk.remaining();
        if (frameOpcode.isControl()) {
            chunk.get(chunk.position(), control, controlSize, n);
            controlSize += n;
            return;
        }
        if (compressed) {
            inflater.inflate(chunk, inflated);
            return;
        }
        append(chunk);
    }

    /** Adds message bytes (as received, or inflated). */
    private void append(ByteBuffer chunk) throws ProtocolException {
        int n = chunk.remaining();
        // Declared lengths already bound an uncompressed message; inflated bytes are counted here.
        if (n > maxMessageSize - dataSize) {
            throw new ProtocolException(ProtocolViolation.MESSAGE_TOO_BIG,
                    "inflated to more than " + maxMessageSize + " bytes");
        }
        // §8.1: a text message that is not valid UTF-8 MUST fail the connection; checked per
        // chunk so the failure comes with the first bad byte.
        if (messageOpcode == Opcode.TEXT && !utf8.feed(chunk)) {
            throw new ProtocolException(ProtocolViolation.INVALID_UTF8, "in the chunk at message offset " + dataSize);
        }
        reserve(dataSize + n);
        chunk.get(chunk.position(), data, dataSize, n);
        dataSize += n;
    }

    @Override
    public void onFrameEnd() throws ProtocolException {
        if (frameOpcode.isControl()) {
            ByteBuffer payload = ByteBuffer.wrap(control, 0, controlSize);
            control = null;
            switch (frameOpcode) {
                case PING -> sink.onPing(payload);
                case PONG -> sink.onPong(payload);
                case CLOSE -> sink.onClose(ClosePayload.parse(payload));
                default -> throw new IllegalStateException(frameOpcode.name());
            }
            return;
        }
        if (!frameFin) {
            return;
        }
        if (compressed) {
            inflater.endMessage(inflated);
        }
        Opcode opcode = messageOpcode;
        byte[] bytes = data;
        int size = dataSize;
        messageOpcode = null;
        compressed = false;
        data = null;
        dataSize = 0;
        releaseCharge();   // delivered: the bytes are the application's now
        if (opcode == Opcode.TEXT) {
            // §8.1: the message ended inside a multi-byte sequence.
            if (!utf8.isComplete()) {
                throw new ProtocolException(ProtocolViolation.INVALID_UTF8, "message ends inside a UTF-8 sequence");
            }
            sink.onText(size == 0 ? "" : new String(bytes, 0, size, StandardCharsets.UTF_8));
        } else if (bytes == null) {
            sink.onBinary(ByteBuffer.allocate(0));   // an empty compressed message
        } else {
            // A fragmented message may have grown past its size; the receiver keeps no slack.
            sink.onBinary(ByteBuffer.wrap(bytes.length == size ? bytes : java.util.Arrays.copyOf(bytes, size)));
        }
    }
}
