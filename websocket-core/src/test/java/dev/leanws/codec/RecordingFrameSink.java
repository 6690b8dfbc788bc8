package dev.leanws.codec;

import dev.leanws.testing.Hex;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link FrameSink} that records whole frames and checks the sink contract on the way:
 * calls in the order {@code onFrameStart onPayload* onFrameEnd}, chunks never empty, and
 * payload bytes adding up to the declared length.
 */
public class RecordingFrameSink implements FrameSink {

    /** A decoded frame: its header and its (unmasked) payload. */
    public record Frame(FrameHeader header, byte[] payload) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Frame f && header.equals(f.header) && Arrays.equals(payload, f.payload);
        }

        @Override
        public int hashCode() {
            return header.hashCode() * 31 + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            String hex = Hex.hex(payload);
            return "Frame[" + header + ", payload=" + (hex.length() > 64 ? hex.substring(0, 64) + "..." : hex) + "]";
        }
    }

    private final List<Frame> frames = new ArrayList<>();
    private final List<Integer> chunkSizes = new ArrayList<>();
    private FrameHeader current;
    private ByteArrayOutputStream payload;

    @Override
    public void onFrameStart(FrameHeader header) {
        if (current != null) {
            throw new AssertionError("onFrameStart inside a frame: " + current);
        }
        current = header;
        payload = new ByteArrayOutputStream();
    }

    @Override
    public void onPayload(ByteBuffer chunk) {
        if (current == null) {
            throw new AssertionError("onPayload outside a frame");
        }
        if (!chunk.hasRemaining()) {
            throw new AssertionError("empty chunk");
        }
        chunkSizes.add(chunk.remaining());
        byte[] bytes = new byte[chunk.remaining()];
        chunk.get(bytes);
        payload.writeBytes(bytes);
        if (payload.size() > current.payloadLength()) {
            throw new AssertionError("more payload than declared: " + payload.size() + " > " + current);
        }
    }

    @Override
    public void onFrameEnd() {
        if (current == null) {
            throw new AssertionError("onFrameEnd outside a frame");
        }
        if (payload.size() != current.payloadLength()) {
            throw new AssertionError("payload " + payload.size() + " bytes, declared " + current);
        }
        frames.add(new Frame(current, payload.toByteArray()));
        current = null;
        payload = null;
    }

    /** Frames completed so far. */
    public List<Frame> frames() {
        return frames;
    }

    /** The header of the frame in progress, or null. */
    public FrameHeader current() {
        return current;
    }

    /** The sizes of all payload chunks received, in order. */
    public List<Integer> chunkSizes() {
        return chunkSizes;
    }
}
