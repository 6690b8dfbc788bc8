package dev.leanws.codec;

import dev.leanws.CloseStatus;
import dev.leanws.testing.Hex;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link dev.leanws.codec.MessageSink} that records each event as a short string, so a test
 * can compare a whole conversation at once: {@code "text:Hello"}, {@code "binary:0102"},
 * {@code "ping:48656c6c6f"}, {@code "pong:"}, {@code "close:1000:bye"}. Binary payloads are
 * checked to be fresh heap buffers at position 0. Subclass it to throw from a callback.
 */
public class RecordingMessageSink implements MessageSink {

    private final List<String> events = new ArrayList<>();
    private final List<ByteBuffer> binaries = new ArrayList<>();

    @Override
    public void onText(String text) throws ProtocolException {
        events.add("text:" + text);
    }

    @Override
    public void onBinary(ByteBuffer data) throws ProtocolException {
        owned(data);
        binaries.add(data);
        events.add("binary:" + Hex.hex(data));
    }

    @Override
    public void onPing(ByteBuffer payload) throws ProtocolException {
        owned(payload);
        events.add("ping:" + Hex.hex(payload));
    }

    @Override
    public void onPong(ByteBuffer payload) throws ProtocolException {
        owned(payload);
        events.add("pong:" + Hex.hex(payload));
    }

    @Override
    public void onClose(CloseStatus status) throws ProtocolException {
        events.add("close:" + status.code() + ":" + status.reason());
    }

    /** Everything received so far, in order. */
    public List<String> events() {
        return events;
    }

    /** The binary message buffers received, as handed over. */
    public List<ByteBuffer> binaries() {
        return binaries;
    }

    private static void owned(ByteBuffer buffer) {
        if (buffer.position() != 0 || !buffer.hasArray() || buffer.isReadOnly()) {
            throw new AssertionError("not a fresh heap buffer at position 0: " + buffer);
        }
    }
}
