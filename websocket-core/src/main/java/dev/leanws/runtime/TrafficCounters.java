package dev.leanws.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One connection's message and byte counts, kept in the connection itself so counting on the
 * message path touches no shared memory (design: "counters kept per connection and summed on
 * demand"). The recorder adds them to its totals when the connection closes and reads the live
 * ones when a snapshot is taken.
 *
 * <p>Each slot has one writer at a time: the inbound slots the connection's reader thread, the
 * outbound slots whichever thread holds the {@link Outbound} lock. A writer does a plain read
 * and an opaque write (on x86 and ARM a plain store), so a snapshot on another thread reads a
 * whole, recent value without any fence on the hot path.
 */
public final class TrafficCounters {

    static final int TEXT_IN = 0;
    static final int BINARY_IN = 1;
    static final int BYTES_IN = 2;
    static final int TEXT_OUT = 3;
    static final int BINARY_OUT = 4;
    static final int BYTES_OUT = 5;
    private static final int SLOTS = 6;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] slots = new long[SLOTS];

    /** Adds {@code n} to a slot; only the slot's current writer calls this. */
    void add(int slot, long n) {
        SLOT.setOpaque(slots, slot, slots[slot] + n);
    }

    private long get(int slot) {
        return (long) SLOT.getOpaque(slots, slot);
    }

    /** Text messages received. */
    public long textMessagesIn() {
        return get(TEXT_IN);
    }

    /** Binary messages received. */
    public long binaryMessagesIn() {
        return get(BINARY_IN);
    }

    /** Bytes read from the transport (frame headers included, after TLS). */
    public long bytesIn() {
        return get(BYTES_IN);
    }

    /** Text messages queued for sending (broadcasts included). */
    public long textMessagesOut() {
        return get(TEXT_OUT);
    }

    /** Binary messages queued for sending (broadcasts included). */
    public long binaryMessagesOut() {
        return get(BINARY_OUT);
    }

    /** Bytes written to the transport (every frame, control frames included). */
    public long bytesOut() {
        return get(BYTES_OUT);
    }
}
