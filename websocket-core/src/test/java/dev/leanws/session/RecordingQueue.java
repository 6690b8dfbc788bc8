package dev.leanws.session;

import dev.leanws.codec.FrameEncoder;
import dev.leanws.codec.FrameHeader;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A {@link FrameQueue} that records the frames a session queues, encoded as they would be sent. */
final class RecordingQueue implements FrameQueue {

    record Queued(FrameHeader header, byte[] payload) {
    }

    final List<Queued> frames = new ArrayList<>();
    final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private boolean closeQueued;

    @Override
    public boolean enqueue(FrameHeader header, ByteBuffer payload, CompletableFuture<Void> written) {
        if (closeQueued) {
            return false;
        }
        record(header, payload);
        return true;
    }

    @Override
    public boolean enqueueClose(FrameHeader header, ByteBuffer payload) {
        if (closeQueued) {
            return false;
        }
        closeQueued = true;
        record(header, payload);
        return true;
    }

    @Override
    public boolean isCloseQueued() {
        return closeQueued;
    }

    private void record(FrameHeader header, ByteBuffer payload) {
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        frames.add(new Queued(header, bytes));
        ByteBuffer encoded = FrameEncoder.encode(header, payload);
        wire.write(encoded.array(), encoded.arrayOffset() + encoded.position(), encoded.remaining());
    }

    Queued last() {
        return frames.get(frames.size() - 1);
    }
}
