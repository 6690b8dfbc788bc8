package dev.leanws.runtime;

import dev.leanws.BackpressurePolicy;
import dev.leanws.SendFailedException;
import dev.leanws.codec.ByteBudget;
import dev.leanws.WebSocketConfig;
import dev.leanws.codec.FrameHeader;
import dev.leanws.codec.MessageDeflater;
import dev.leanws.session.FrameQueue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The send path of one connection: a byte-budgeted queue of encoded frames and one writer at a
 * time.
 *
 * <p><b>Who writes.</b> The queue is written by whichever thread holds the writer role, never
 * by a thread that only enqueues: the lock guards the queue, never I/O.
 * <ul>
 *   <li>A send from the connection's reader thread (an event handler replying) only queues;
 *       the reader calls {@link #flushFromReader()} once the bytes of its current read are
 *       processed, so a pipelined burst of small echoes costs one gathering write.</li>
 *   <li>A send from any other thread starts a short-lived virtual thread that drains the
 *       queue and ends, unless a writer is already active.</li>
 * </ul>
 *
 * <p><b>Who waits.</b> Only the connection's own reader is ever slowed by its peer. Past the
 * budget, under {@link BackpressurePolicy#BLOCK}, the reader (a handler replying) writes or
 * waits until there is room, which also stops it reading more from a peer that does not read;
 * a send from any other thread (another connection's handler, a broadcast, a timer) is refused
 * at once, so one slow peer never stalls another connection. {@code FAIL} refuses every send
 * past the budget; {@code CLOSE} closes the connection with 1008.
 *
 * <p><b>Completion.</b> A send may carry a future, completed once the last byte of its frame
 * was written to the transport, or exceptionally when the frame is refused or the connection
 * ends first. Futures are completed outside the lock, in the thread that wrote (or ended) it.
 *
 * <p><b>Compression.</b> A permessage-deflate message is compressed when it takes its place in
 * the queue, under the lock ({@link #enqueueCompressed}), so messages are compressed in wire
 * order as context takeover requires; the lock then covers CPU work only, never I/O. The
 * budgets are checked with the uncompressed size; the server budget keeps only the compressed bytes.
 *
 * <p>How frames are laid out in buffers (small ones batched) is {@link FrameBatches}'s job;
 * writes gather up to {@link #GATHER} buffers. The write deadline is a {@link Deadline} armed
 * while a write call makes no progress.
 */
final class Outbound implements FrameQueue {

    /** Hooks into the connection that owns this queue. */
    interface Owner {
        /** The Close frame was queued (start the close deadline). */
        void onCloseQueued();

        /** Writing failed: the connection is broken. */
        void onWriteFailed(IOException e);

        /**
         * The peer does not read fast enough and the policy says to close it.
         *
         * @param queuedBytes what was queued when that was decided (a writer may drain it since)
         */
        void onSlowConsumer(String why, long queuedBytes);
    }

    /** A reader-thread batch is written early once this much is queued. */
    static final int FLUSH_THRESHOLD = 64 * 1024;
    static final int GATHER = 64;

    private final Transport transport;
    private final Owner owner;
    private final long maxBytes;
    private final BackpressurePolicy policy;
    private final long writeTimeoutNanos;
    private final Deadline writeStall;
    private final String name;
    private final TrafficCounters traffic;
    private final ByteBudget memory;
    private long charged;              // bytes of the queue reserved from the server's memory budget

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition drained = lock.newCondition();
    private final FrameBatches frames = new FrameBatches();
    private final Completions completions = new Completions();
    private long queuedBytes;          // queued and not yet written, including the write under way
    private long queuedTotal;          // bytes ever queued: the stream offset the next frame ends after
    private long writtenTotal;         // bytes ever written
    private boolean writing;           // some thread holds the writer role
    private boolean sealed;            // the Close frame is queued: nothing may follow it
    private boolean terminated;
    private volatile Thread readerThread;
    private volatile long queuedBytesSnapshot;
    private MessageDeflater deflater;   // the session's, once a compressed message was queued; guarded by lock

    /**
     * @param memory  the server-wide budget: the queue's bytes past
     *                {@link MemoryBudget#UNCHARGED_OUTBOUND_BYTES} are charged to it; a send that it
     *                cannot take is treated as a full queue while the queue itself holds charged
     *                bytes (waiting for it to drain helps), refused otherwise
     * @param traffic where the messages queued and bytes written are counted
     */
    Outbound(Transport transport, WebSocketConfig config, Deadline writeStall, Owner owner, String name,
            ByteBudget memory, TrafficCounters traffic) {
        this.memory = memory;
        this.transport = transport;
        this.owner = owner;
        this.maxBytes = config.maxOutboundBytes();
        this.policy = config.backpressurePolicy();
        this.writeTimeoutNanos = config.writeTimeout().toNanos();
        this.writeStall = writeStall;
        this.name = name;
        this.traffic = traffic;
    }

    /** The thread whose sends are batched until {@link #flushFromReader()}. */
    void setReaderThread(Thread reader) {
        this.readerThread = reader;
    }

    long bufferedBytes() {
        return queuedBytesSnapshot;
    }

    @Override
    public boolean isCloseQueued() {
        lock.lock();
        try {
            return sealed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean enqueue(FrameHeader header, ByteBuffer payload, CompletableFuture<Void> written) {
        boolean control = header.opcode().isControl();
        int size = header.encodedLength() + payload.remaining();
        return offer(header, payload, null, size, !control, written, null);
    }

    @Override
    public boolean enqueueCompressed(FrameHeader header, ByteBuffer payload, CompletableFuture<Void> written,
            MessageDeflater compressor) {
        int size = header.encodedLength() + payload.remaining();
        return offer(header, payload, null, size, true, written, compressor);
    }

    /**
     * Frees the compressor's native memory if it was unused for {@code idleNanos}. Never waits:
     * if the lock is busy (a message being queued) it tries again at the next tick.
     */
    void releaseIdleCompressor(long nowNanos, long idleNanos) {
        if (deflater != null && lock.tryLock()) {
            try {
                deflater.releaseIfIdle(nowNanos, idleNanos);
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public boolean enqueueClose(FrameHeader header, ByteBuffer payload) {
        lock.lock();
        try {
            if (sealed || terminated) {
                return false;
            }
            sealed = true;
            append(header, payload, null, null, null);
        } finally {
            lock.unlock();
        }
        owner.onCloseQueued();
        afterAppend();
        return true;
    }

    /**
     * Queues an already encoded data frame (a broadcast shares one encoding between
     * connections). Never waits: past the budget it is refused (or, under
     * {@link BackpressurePolicy#CLOSE}, the connection is closed).
     */
    boolean enqueueEncoded(ByteBuffer frame) {
        return offer(null, null, frame, frame.remaining(), true, null, null);
    }

    private boolean offer(FrameHeader header, ByteBuffer payload, ByteBuffer encoded, long size, boolean budgeted,
            CompletableFuture<Void> written, MessageDeflater compressor) {
        boolean onReader = Thread.currentThread() == readerThread;
        String refused = null;
        String slowConsumer = null;
        long queuedAtDecision = 0;
        lock.lock();
        try {
            long left = writeTimeoutNanos;
            while (true) {
                if (sealed || terminated) {
                    refused = "the connection is closing";
                    break;
                }
                Room room = budgeted ? room(size) : Room.TAKEN;
                if (room == Room.TAKEN) {
                    append(header, payload, encoded, written, compressor);
                    break;
                }
                if (room == Room.SERVER_FULL) {
                    refused = "the server's memory budget is exhausted";
                    break;
                }
                if (policy == BackpressurePolicy.CLOSE) {
                    slowConsumer = "outbound budget of " + maxBytes + " bytes exceeded";
                    queuedAtDecision = queuedBytes;
                    break;
                }
                if (policy == BackpressurePolicy.FAIL || !onReader) {
                    refused = "outbound budget of " + maxBytes + " bytes is full";
                    break;
                }
                // BLOCK, on the reader: a handler replying faster than its peer reads.
                if (!writing) {
                    // The reader writes itself, which also stops it reading more from that peer.
                    writing = true;
                    lock.unlock();
                    try {
                        drain();
                    } finally {
                        lock.lock();
                    }
                    continue;
                }
                if (left <= 0) {
                    slowConsumer = "peer read nothing for " + TimeUnit.NANOSECONDS.toMillis(writeTimeoutNanos) + " ms";
                    queuedAtDecision = queuedBytes;
                    break;
                }
                left = drained.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refused = "interrupted while waiting for room in the outbound queue";
        } finally {
            lock.unlock();
        }
        if (slowConsumer != null) {
            owner.onSlowConsumer(slowConsumer, queuedAtDecision);
            refused = "slow consumer: " + slowConsumer;
        }
        if (refused != null) {
            if (written != null) {
                written.completeExceptionally(new SendFailedException(name + ": message not sent: " + refused));
            }
            return false;
        }
        afterAppend();
        return true;
    }

    /** Whether a frame of {@code size} bytes can be queued now. */
    private enum Room {
        /** Yes: its charge (if any) is reserved; append it. */
        TAKEN,
        /** The connection's queue is over its budget (or holds charged bytes the server budget wants back). */
        CONNECTION_FULL,
        /** The server's memory budget is exhausted and this queue holds nothing charged to wait for. */
        SERVER_FULL
    }

    /**
     * Checks both budgets for a data frame of {@code size} bytes and reserves its share of the
     * server's. An empty queue always takes a message of its own, so one message larger than
     * the per-connection budget can still be sent. Caller holds the lock.
     */
    private Room room(long size) {
        if (queuedBytes > 0 && queuedBytes + size > maxBytes) {
            return Room.CONNECTION_FULL;
        }
        long charge = Math.max(0, queuedBytes + size - MemoryBudget.UNCHARGED_OUTBOUND_BYTES);
        if (charge <= charged) {
            return Room.TAKEN;
        }
        if (memory.tryReserve(charge - charged)) {
            charged = charge;
            return Room.TAKEN;
        }
        return charged > 0 ? Room.CONNECTION_FULL : Room.SERVER_FULL;
    }

    /** Gives back the server-budget share of bytes that left the queue. Caller holds the lock. */
    private void releaseWritten() {
        long charge = Math.max(0, queuedBytes - MemoryBudget.UNCHARGED_OUTBOUND_BYTES);
        if (charge < charged) {
            memory.release(charged - charge);
            charged = charge;
        }
    }

    /** Adds one frame to the queue, compressing it first if {@code compressor} is given. Caller holds the lock. */
    private void append(FrameHeader header, ByteBuffer payload, ByteBuffer encoded, CompletableFuture<Void> written,
            MessageDeflater compressor) {
        if (compressor != null) {
            deflater = compressor;
            payload = compressor.compress(payload);
            header = header.compressed(payload.remaining());
        }
        long size = frames.add(header, payload, encoded);
        countMessage(header != null ? header.opcode().code() : encoded.get(encoded.position()) & 0x0F);
        queuedBytes += size;
        queuedTotal += size;
        queuedBytesSnapshot = queuedBytes;
        if (written != null) {
            completions.add(queuedTotal, written);
        }
        if (compressor != null) {
            releaseWritten();   // the charge was reserved for the uncompressed size
        }
    }

    /** Counts a queued data frame by its opcode (every frame we send is a whole message). Caller holds the lock. */
    private void countMessage(int opcode) {
        if (opcode == 0x1) {
            traffic.add(TrafficCounters.TEXT_OUT, 1);
        } else if (opcode == 0x2) {
            traffic.add(TrafficCounters.BINARY_OUT, 1);
        }
    }

    /** After queuing: a foreign sender makes sure a writer runs; the reader flushes later. */
    private void afterAppend() {
        boolean onReader = Thread.currentThread() == readerThread;
        lock.lock();
        try {
            if (writing || terminated || (onReader && queuedBytes < FLUSH_THRESHOLD)) {
                return;
            }
            writing = true;
        } finally {
            lock.unlock();
        }
        if (onReader) {
            drain();
        } else {
            startWriter();
        }
    }

    /** A short-lived virtual thread that takes the writer role (already set) and drains the queue. */
    private void startWriter() {
        Thread.ofVirtual().name("leanws-writer-" + name).start(this::drain);
    }

    /**
     * Called by the reader thread after processing a read: writes what its handlers (and the
     * session's auto-pong) queued, unless another thread is writing already. Either way it
     * returns only once the queue is within budget (or the write deadline passed), so a reader
     * never outruns a peer that does not read.
     */
    void flushFromReader() {
        lock.lock();
        try {
            if (terminated || queuedBytes == 0) {
                return;
            }
            if (writing) {
                // Another thread is writing (and will write our frames too). While the queue is
                // over budget the reader waits instead of reading on: otherwise a peer that reads
                // nothing could make us queue a pong for every ping it sends, without bound.
                long left = writeTimeoutNanos;
                while (writing && queuedBytes > maxBytes && !terminated && left > 0) {
                    left = drained.awaitNanos(left);
                }
                return;
            }
            writing = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } finally {
            lock.unlock();
        }
        drain();
    }

    /** Writes until the queue is empty. Runs in the thread that took the writer role. */
    private void drain() {
        // Per drain, not per connection: an idle connection should not keep a gather array.
        ByteBuffer[] gather = null;
        while (true) {
            int count;
            lock.lock();
            try {
                if (terminated) {
                    writing = false;
                    drained.signalAll();
                    return;
                }
                int wanted = Math.min(GATHER, frames.buffers());
                if (wanted > 0 && (gather == null || gather.length < wanted)) {
                    gather = new ByteBuffer[wanted];
                }
                count = wanted == 0 ? 0 : frames.takeInto(gather);
                if (count == 0) {
                    writing = false;
                    drained.signalAll();
                    return;
                }
            } finally {
                lock.unlock();
            }
            long written;
            try {
                written = writeFully(gather, count);
            } catch (IOException e) {
                terminate(e);
                owner.onWriteFailed(e);
                return;
            }
            Arrays.fill(gather, 0, count, null);
            Completions.Done done;
            lock.lock();
            try {
                if (terminated) {   // terminate() already dropped the count and failed the rest
                    return;
                }
                queuedBytes -= written;
                writtenTotal += written;
                traffic.add(TrafficCounters.BYTES_OUT, written);
                queuedBytesSnapshot = queuedBytes;
                releaseWritten();
                done = completions.takeUpTo(writtenTotal);
                drained.signalAll();
            } finally {
                lock.unlock();
            }
            done.complete();
        }
    }

    private long writeFully(ByteBuffer[] gather, int count) throws IOException {
        long total = 0;
        int first = 0;
        try {
            while (first < count) {
                writeStall.arm(System.nanoTime(), writeTimeoutNanos);
                long n = transport.write(gather, first, count - first);
                total += n;
                while (first < count && !gather[first].hasRemaining()) {
                    first++;
                }
            }
        } finally {
            writeStall.disarm();
        }
        return total;
    }

    /**
     * Waits (at most {@code timeoutNanos}) until everything queued so far is written; used before
     * closing the TCP connection so the Close frame is not lost.
     */
    void awaitDrained(long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long left = timeoutNanos;
            while ((queuedBytes > 0 || writing) && !terminated && left > 0) {
                left = drained.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The connection is gone: drop what is queued, fail what was waiting for its write, wake every waiting sender. */
    void terminate(Throwable why) {
        Completions.Done failed;
        lock.lock();
        try {
            terminated = true;
            frames.clear();
            if (deflater != null) {
                deflater.release();
            }
            queuedBytes = 0;
            queuedBytesSnapshot = 0;
            memory.release(charged);
            charged = 0;
            failed = completions.takeAll();
            drained.signalAll();
        } finally {
            lock.unlock();
        }
        failed.fail(new SendFailedException(name + ": the connection ended before the message was written", why));
    }

    @Override
    public String toString() {
        return "outbound[" + name + ", " + queuedBytesSnapshot + " bytes queued]";
    }
}
