package dev.leanws.session;

import dev.leanws.codec.FrameHeader;
import dev.leanws.codec.MessageDeflater;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Where a {@link ProtocolSession} puts the frames it sends: the runtime's outbound queue, or a
 * recorder in tests. Implementations are thread-safe and encode the frame themselves (so small
 * frames can be copied straight into a shared write buffer).
 *
 * <p>The Close frame is special: once {@link #enqueueClose} succeeded, every later frame is
 * refused, so no data frame can follow a Close frame on the wire (RFC 6455 §5.5.1).
 */
public interface FrameQueue {

    /**
     * Queues a data or control frame. The payload's bytes must stay unchanged until written;
     * its position is not changed. Data frames are subject to the outbound budget and its
     * policy; control frames are not (they are at most 127 + 4 bytes).
     *
     * @param written completed once the whole frame is written to the transport, completed
     *                exceptionally if it is refused or the connection ends first; may be null
     * @return false if the frame was refused (a Close frame is queued, the connection is gone,
     *         or the backpressure policy refused it)
     */
    boolean enqueue(FrameHeader header, ByteBuffer payload, CompletableFuture<Void> written);

    /**
     * Queues a data message compressed by {@code deflater} (permessage-deflate). The message
     * must be compressed in the order messages reach the wire, since with context takeover
     * each compressed message may refer to the ones before it; a queue that other threads
     * share compresses when the message takes its place, under the same lock. This default
     * compresses, then queues, which suits a queue used by one thread.
     *
     * @param header the uncompressed message's header (RSV1 clear); it gets RSV1 and the compressed length
     */
    default boolean enqueueCompressed(FrameHeader header, ByteBuffer payload, CompletableFuture<Void> written,
            MessageDeflater deflater) {
        ByteBuffer compressed = deflater.compress(payload);
        return enqueue(header.compressed(compressed.remaining()), compressed, written);
    }

    /**
     * Queues a Close frame unless one was queued before; from then on every frame is refused.
     *
     * @return false if a Close frame had already been queued (or the connection is gone)
     */
    boolean enqueueClose(FrameHeader header, ByteBuffer payload);

    /** Whether a Close frame has been queued. */
    boolean isCloseQueued();
}
