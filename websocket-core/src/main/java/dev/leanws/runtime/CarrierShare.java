package dev.leanws.runtime;

import java.util.concurrent.locks.LockSupport;

/**
 * Keeps one busy connection from holding a carrier thread for long. Virtual threads are not
 * time-sliced: a reader whose peer always has the next bytes waiting never blocks in
 * {@code read}, so it never gives up its carrier, and on a machine with C cores C such readers
 * starve every other connection (measured: compressed 16 KiB echo on 2 cores answered two
 * connections in 3 ms while the other 98 waited over 2 s). The read loop tells this class when
 * a read returned and asks it after processing, and after every {@link #CHECK_EVERY}th message
 * (a slow handler over a buffer full of small messages is as much a hog as a fast peer); once
 * {@link #SLICE_NANOS} of work have added up, the reader flushes and yields ({@link #yieldCarrier}), which puts it
 * behind the connections waiting for a carrier, as Netty's event loop moves to the next channel
 * after 16 reads of one. Work is decoding and the handlers, measured with the clock reads the
 * read loop makes anyway (plus one per 8 messages); time blocked in {@code read} is not work.
 * Cost: one yield (about a microsecond) per millisecond of work; a full turn over N busy
 * connections on C carriers takes about N / C ms. Reader thread only.
 */
final class CarrierShare {

    /** Work after which the reader yields its carrier. */
    static final long SLICE_NANOS = 1_000_000;
    /** Messages between two clock reads inside one read's processing. */
    static final int CHECK_EVERY = 8;

    private long busyNanos;
    private long markNanos;
    private int messages;

    /** A read returned at {@code nanos}: work is counted from here. */
    void readReturned(long nanos) {
        markNanos = nanos;
    }

    /**
     * Adds the work since the last mark (a read's return, the previous check or a yield).
     *
     * @return whether the reader should now yield its carrier
     */
    boolean check(long nanos) {
        busyNanos += Math.max(0, nanos - markNanos);
        markNanos = nanos;
        if (busyNanos < SLICE_NANOS) {
            return false;
        }
        busyNanos = 0;
        return true;
    }

    /** A message was dispatched: every {@link #CHECK_EVERY}th one reads the clock. */
    boolean afterMessage() {
        return ++messages % CHECK_EVERY == 0 && check(System.nanoTime());
    }

    /**
     * Gives up the carrier; the time spent waiting for it again is not work. A 1 ns timed park
     * rather than {@link Thread#yield()}: a yielded virtual thread can be picked up again at
     * once, and then a connection whose bytes arrived meanwhile may not be noticed until the
     * busy ones are done (CarrierFairnessTest failed about one run in three that way); a park
     * unmounts the thread, so the carrier also polls for ready sockets before it resumes.
     */
    void yieldCarrier() {
        LockSupport.parkNanos(1);
        markNanos = System.nanoTime();
    }
}
