package dev.leanws.runtime;

import dev.leanws.codec.FrameEncoder;
import dev.leanws.codec.FrameHeader;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The layout of a connection's queued output: the encoded frames, in order, as the buffers one
 * gathering write takes. Not thread-safe: {@link Outbound} guards it with its lock.
 *
 * <ul>
 *   <li>Small frames (payload up to {@link #SMALL_FRAME} bytes) are encoded into a shared batch
 *       buffer, so a burst of small replies is a few buffers, not one per frame.</li>
 *   <li>A larger unmasked frame is queued as a header buffer followed by the caller's payload,
 *       not copied; a masked one is encoded into a buffer of its own (masking must not touch
 *       the caller's bytes).</li>
 *   <li>An already encoded frame (a broadcast) is queued as a read-only view.</li>
 * </ul>
 */
final class FrameBatches {

    static final int SMALL_FRAME = 1024;
    /** Bounds of a batch buffer's size, which follows what the last batch held (x2). */
    static final int MIN_BATCH = 512;
    static final int MAX_BATCH = 16 * 1024;

    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private ByteBuffer batch;          // open batch buffer in write mode, always the queue's tail
    private int batchSize = MIN_BATCH; // capacity of the next batch buffer

    /**
     * Queues one frame: {@code header} and {@code payload}, or {@code encoded} (then the other
     * two are null).
     *
     * @return the frame's size on the wire
     */
    long add(FrameHeader header, ByteBuffer payload, ByteBuffer encoded) {
        if (encoded != null) {
            closeBatch();
            queue.add(encoded.duplicate());
            return encoded.remaining();
        }
        int length = payload.remaining();
        int size = header.encodedLength() + length;
        if (length <= SMALL_FRAME) {
            if (batch == null || batch.remaining() < size) {
                closeBatch();
                batch = ByteBuffer.allocate(Math.max(batchSize, size));
                queue.add(batch);
            }
            FrameEncoder.encodeInto(batch, header, payload);
        } else if (header.masked()) {
            closeBatch();
            queue.add(FrameEncoder.encode(header, payload));
        } else {
            closeBatch();
            ByteBuffer head = ByteBuffer.allocate(header.encodedLength());
            FrameEncoder.writeHeader(head, header);
            queue.add(head.flip());
            queue.add(payload.duplicate());
        }
        return size;
    }

    /**
     * Moves up to {@code gather.length} buffers, ready to write, into {@code gather}; the open
     * batch is closed first, so frames queued from now on go to a new buffer.
     *
     * @return how many buffers were moved
     */
    int takeInto(ByteBuffer[] gather) {
        closeBatch();
        int count = 0;
        while (count < gather.length && !queue.isEmpty()) {
            gather[count++] = queue.poll();
        }
        return count;
    }

    /** How many buffers are queued (the open batch counts as one). */
    int buffers() {
        return queue.size();
    }

    /** Drops everything queued. */
    void clear() {
        queue.clear();
        batch = null;
    }

    /**
     * Ends the open batch. The next one is sized after it: a connection echoing a few small
     * messages per read allocates a few hundred bytes per flush, not a fixed 16 KiB, which keeps
     * the heap (and the RSS of many mostly idle connections) small.
     */
    private void closeBatch() {
        if (batch != null) {
            int used = batch.position();
            batchSize = Math.min(MAX_BATCH, Math.max(MIN_BATCH, Integer.highestOneBit(Math.max(1, used)) << 1));
            batch.flip();
            batch = null;
        }
    }
}
