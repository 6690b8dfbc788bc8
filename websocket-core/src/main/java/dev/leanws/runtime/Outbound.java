package dev.leanws.runtime;

import dev.leanws.BackpressurePolicy;
import dev.leanws.WebSocketConfig;
import dev.leanws.codec.FrameHeader;
import dev.leanws.session.FrameQueue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The send path of one connection: a byte-budgeted queue of encoded frames and one writer at a
 * time.
 *
 * <p><b>Who writes.</b> The queue is written by whichever thread holds the writer role, never
 * by a thread that only enqueues: the lock guards the queue, never I/O, so a sender never
 * waits on a slow peer's socket (unless its policy is {@link BackpressurePolicy#BLOCK}).
 * <ul>
 *   <li>A send from the connection's reader thread (an event handler replying) only queues;
 *       the reader calls {@link #flushFromReader()} once the bytes of its current read are
 *       processed, so a pipelined burst of small echoes costs one gathering write.</li>
 *   <li>A send from any other thread starts a short-lived virtual thread that drains the
 *       queue and ends, unless a writer is already active.</li>
 * </ul>
 *
 * <p>How frames are laid out in buffers (small ones batched) is {@link FrameBatches}'s job;
 * writes gather up to {@link #GATHER} buffers.
 *
 * <p><b>Deadlines.</b> {@link #writeStalledSinceNanos()} tells the watchdog how long the current
 * write has made no progress; it closes the transport past the write timeout, which fails the
 * blocked write.
 */
final class Outbound implements FrameQueue {

    /** Hooks into the connection that owns this queue. */
    interface Owner {
        /** The Close frame was queued (start the close deadline). */
        void onCloseQueued();

        /** Writing failed: the connection is broken. */
        void onWriteFailed(IOException e);

        /** The peer does not read fast enough and the policy says to close it. */
        void onSlowConsumer(String why);
    }

    /** A reader-thread batch is written early once this much is queued. */
    static final int FLUSH_THRESHOLD = 64 * 1024;
    static final int GATHER = 64;

    private final Transport transport;
    private final Owner owner;
    private final long maxBytes;
    private final BackpressurePolicy policy;
    private final long writeTimeoutNanos;
    private final String name;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition drained = lock.newCondition();
    private final FrameBatches frames = new FrameBatches();
    private long queuedBytes;          // queued and not yet written, including the write under way
    private boolean writing;           // some thread holds the writer role
    private boolean closeQueued;
    private boolean terminated;
    private volatile Thread readerThread;
    private volatile long queuedBytesSnapshot;
    private volatile long writeStalledSince;   // 0: not inside a write call

    Outbound(Transport transport, WebSocketConfig config, Owner owner, String name) {
        this.transport = transport;
        this.owner = owner;
        this.maxBytes = config.maxOutboundBytes();
        this.policy = config.backpressurePolicy();
        this.writeTimeoutNanos = config.writeTimeout().toNanos();
        this.name = name;
    }

    /** The thread whose sends are batched until {@link #flushFromReader()}. */
    void setReaderThread(Thread reader) {
        this.readerThread = reader;
    }

    long bufferedBytes() {
        return queuedBytesSnapshot;
    }

    /** Nanotime since which the current write has made no progress, or 0 when not writing. */
    long writeStalledSinceNanos() {
        return writeStalledSince;
    }

    @Override
    public boolean isCloseQueued() {
        lock.lock();
        try {
            return closeQueued;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean enqueue(FrameHeader header, ByteBuffer payload) {
        boolean control = header.opcode().isControl();
        int size = header.encodedLength() + payload.remaining();
        return offer(header, payload, null, size, !control, true);
    }

    @Override
    public boolean enqueueClose(FrameHeader header, ByteBuffer payload) {
        lock.lock();
        try {
            if (closeQueued || terminated) {
                return false;
            }
            closeQueued = true;
            append(header, payload, null);
        } finally {
            lock.unlock();
        }
        owner.onCloseQueued();
        afterAppend();
        return true;
    }

    /**
     * Queues an already encoded data frame (a broadcast shares one encoding between
     * connections). Never waits: under {@link BackpressurePolicy#BLOCK} a connection that is
     * over budget is skipped.
     */
    boolean enqueueEncoded(ByteBuffer frame) {
        return offer(null, null, frame, frame.remaining(), true, false);
    }

    private boolean offer(FrameHeader header, ByteBuffer payload, ByteBuffer encoded, long size,
            boolean budgeted, boolean mayWait) {
        boolean onReader = Thread.currentThread() == readerThread;
        String slowConsumer = null;
        lock.lock();
        try {
            while (true) {
                if (closeQueued || terminated) {
                    return false;
                }
                // An empty queue always takes the message, so one message larger than the
                // budget can still be sent.
                if (!budgeted || queuedBytes == 0 || queuedBytes + size <= maxBytes) {
                    append(header, payload, encoded);
                    break;
                }
                if (policy == BackpressurePolicy.FAIL || (policy == BackpressurePolicy.BLOCK && !mayWait)) {
                    return false;
                }
                if (policy == BackpressurePolicy.CLOSE) {
                    slowConsumer = "outbound budget of " + maxBytes + " bytes exceeded";
                    break;
                }
                if (onReader && !writing) {
                    // A handler replying faster than its peer reads: the reader writes itself,
                    // which also stops it reading more from that peer (natural backpressure).
                    writing = true;
                    lock.unlock();
                    try {
                        drain();
                    } finally {
                        lock.lock();
                    }
                    continue;
                }
                if (!writing) {
                    // What is queued waits for a writer: the reader's flush may be a long handler
                    // away, so start one rather than wait for it.
                    writing = true;
                    startWriter();
                }
                long left = writeTimeoutNanos;
                while (left > 0 && queuedBytes > 0 && queuedBytes + size > maxBytes && !closeQueued && !terminated) {
                    left = drained.awaitNanos(left);
                }
                if (left <= 0 && queuedBytes > 0 && queuedBytes + size > maxBytes) {
                    slowConsumer = "peer read nothing for " + TimeUnit.NANOSECONDS.toMillis(writeTimeoutNanos) + " ms";
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
        if (slowConsumer != null) {
            owner.onSlowConsumer(slowConsumer);
            return false;
        }
        afterAppend();
        return true;
    }

    /** Adds one frame to the queue. Caller holds the lock. */
    private void append(FrameHeader header, ByteBuffer payload, ByteBuffer encoded) {
        queuedBytes += frames.add(header, payload, encoded);
        queuedBytesSnapshot = queuedBytes;
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
            int count = 0;
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
                terminate();
                owner.onWriteFailed(e);
                return;
            }
            Arrays.fill(gather, 0, count, null);
            lock.lock();
            try {
                if (!terminated) {   // terminate() already dropped the count
                    queuedBytes -= written;
                    queuedBytesSnapshot = queuedBytes;
                }
                drained.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private long writeFully(ByteBuffer[] gather, int count) throws IOException {
        long total = 0;
        int first = 0;
        try {
            while (first < count) {
                writeStalledSince = System.nanoTime();
                long n = transport.write(gather, first, count - first);
                total += n;
                while (first < count && !gather[first].hasRemaining()) {
                    first++;
                }
            }
        } finally {
            writeStalledSince = 0;
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

    /** The connection is gone: drop what is queued and wake every waiting sender. */
    void terminate() {
        lock.lock();
        try {
            terminated = true;
            frames.clear();
            queuedBytes = 0;
            queuedBytesSnapshot = 0;
            drained.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "outbound[" + name + ", " + queuedBytesSnapshot + " bytes queued]";
    }
}
