package dev.leanws.runtime;

import dev.leanws.codec.ByteBudget;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server-wide budget for what peers make the server hold: messages being assembled, read
 * buffers grown past their small size, outbound queues past their small allowance (and, with
 * permessage-deflate, inflated bytes). Per-connection limits alone multiply by the connection
 * count (10,000 connections × 16 MiB messages is more than any heap); this one bound holds
 * whatever the count.
 *
 * <p>Each connection holds a small amount outside the budget ({@link #UNCHARGED_MESSAGE_BYTES}
 * of a message being assembled, {@link #UNCHARGED_READ_BUFFER} of read buffer,
 * {@link #UNCHARGED_OUTBOUND_BYTES} of outbound queue), so small-message traffic never waits
 * for it or is refused by it while large growth is: under pressure, chat lines and echoes keep
 * flowing and only the growth that would cross the budget is refused.
 *
 * <pre>{@code
 * MemoryBudget budget = MemoryBudget.ofHeapFraction(4);   // a quarter of -Xmx
 * if (budget.tryReserve(n)) {
 *     try { ... hold n bytes ... } finally { budget.release(n); }
 * }
 * }</pre>
 *
 * Thread-safe and lock-free: one atomic counter.
 */
public final class MemoryBudget implements ByteBudget {

    /** What a message being assembled may hold before it is charged. */
    public static final int UNCHARGED_MESSAGE_BYTES = 8 * 1024;
    /** What a read buffer may hold before it is charged. */
    public static final int UNCHARGED_READ_BUFFER = 4 * 1024;
    /** What an outbound queue may hold before it is charged. */
    public static final int UNCHARGED_OUTBOUND_BYTES = 64 * 1024;

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    private MemoryBudget(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("a memory budget must be > 0 bytes: " + limit);
        }
        this.limit = limit;
    }

    /** A budget of {@code bytes}. */
    public static MemoryBudget of(long bytes) {
        return new MemoryBudget(bytes);
    }

    /** A budget of the maximum heap ({@link Runtime#maxMemory()}) divided by {@code divisor}. */
    public static MemoryBudget ofHeapFraction(int divisor) {
        return new MemoryBudget(defaultBytes(Runtime.getRuntime().maxMemory(), divisor));
    }

    /** {@code maxHeap / divisor}, at least 1 MiB. */
    static long defaultBytes(long maxHeap, int divisor) {
        return Math.max(1L << 20, maxHeap / divisor);
    }

    @Override
    public boolean tryReserve(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
        }
        while (true) {
            long now = used.get();
            long next = now + bytes;
            if (next > limit) {
                // rare (the budget is full) and free unless a recording enables the event
                BudgetPressureJfrEvent.emit("", bytes, now, limit, "");
                return false;
            }
            if (used.compareAndSet(now, next)) {
                return true;
            }
        }
    }

    @Override
    public void release(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
        }
        used.addAndGet(-bytes);
    }

    /** The budget, in bytes. */
    public long limit() {
        return limit;
    }

    /** Bytes reserved now. */
    public long used() {
        return used.get();
    }

    @Override
    public String toString() {
        return "MemoryBudget[" + used.get() + " of " + limit + " bytes]";
    }
}
