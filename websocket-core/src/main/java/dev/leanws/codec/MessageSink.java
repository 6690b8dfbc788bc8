package dev.leanws.codec;

import dev.leanws.CloseStatus;
import java.nio.ByteBuffer;

/**
 * Receives what a {@link MessageAssembler} assembles: whole data messages and control frames.
 * Every call hands over data the receiver owns (nothing is a view of the decoder's input), so
 * it may be kept or passed to another thread. A receiver may throw {@link ProtocolException}
 * to reject what it got; that stops the decoding like any other violation.
 */
public interface MessageSink {

    /** A complete text message, already checked to be valid UTF-8. */
    void onText(String text) throws ProtocolException;

    /** A complete binary message: a fresh heap buffer owned by the receiver, position 0, limit at its end. */
    void onBinary(ByteBuffer data) throws ProtocolException;

    /** A Ping (§5.5.2): a fresh copy of its payload, 0-125 bytes. Answering it is the receiver's job. */
    void onPing(ByteBuffer payload) throws ProtocolException;

    /** A Pong (§5.5.3): a fresh copy of its payload, 0-125 bytes. */
    void onPong(ByteBuffer payload) throws ProtocolException;

    /**
     * A Close frame (§5.5.1), parsed and validated by {@link ClosePayload#parse}: an empty
     * payload arrives as {@link CloseStatus#NO_STATUS} (1005).
     */
    void onClose(CloseStatus status) throws ProtocolException;
}
