package dev.leanws.codec;

import java.nio.ByteBuffer;

/**
 * Receives what a {@link FrameDecoder} decodes. For every frame the calls come in this order:
 *
 * <pre>
 *   onFrameStart  onPayload*  onFrameEnd
 * </pre>
 *
 * The buffers passed to {@code onPayload} are already unmasked, are never empty, and their
 * remaining bytes add up to {@link FrameHeader#payloadLength()}. Each buffer is valid only
 * during the call (it is a view of the decoder's input): a sink that keeps bytes copies them.
 * A sink rejects what breaks a rule of its own (fragment order, message size, UTF-8) by
 * throwing {@link ProtocolException}; the decoder then stops.
 */
public interface FrameSink {

    /** A frame header was read and passed the decoder's checks. */
    void onFrameStart(FrameHeader header) throws ProtocolException;

    /** The next piece of the current frame's payload (unmasked, position to limit). */
    void onPayload(ByteBuffer chunk) throws ProtocolException;

    /** The current frame is complete. */
    void onFrameEnd() throws ProtocolException;
}
