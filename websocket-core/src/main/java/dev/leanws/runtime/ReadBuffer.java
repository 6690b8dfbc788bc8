package dev.leanws.runtime;

import dev.leanws.codec.ByteBudget;
import java.nio.ByteBuffer;

/**
 * The reader's buffer, sized to the traffic: it doubles (up to 64 KiB) while reads fill it and
 * halves (down to 512 bytes) after 16 reads in a row used less than a quarter of it, so a busy
 * connection reads in few syscalls and ten thousand idle ones hold 512 bytes each. Reader
 * thread only.
 *
 * <p>Capacity above {@link MemoryBudget#UNCHARGED_READ_BUFFER} is charged to the server's
 * budget: thousands of peers that each send 64 KiB and then wait would otherwise pin 64 KiB
 * of buffer apiece. When the budget refuses, the buffer simply does not grow (reads get
 * smaller, nothing fails).
 */
final class ReadBuffer {

    static final int MIN = 512;
    static final int MAX = 64 * 1024;
    private static final int SHRINK_AFTER = 16;

    private final ByteBudget budget;
    private ByteBuffer buffer = ByteBuffer.allocate(MIN);
    private int smallReads;
    private long charged;

    ReadBuffer() {
        this(ByteBudget.UNLIMITED);
    }

    ReadBuffer(ByteBudget budget) {
        this.budget = budget;
    }

    /** The buffer to read into next, cleared. */
    ByteBuffer buffer() {
        return buffer;
    }

    /** After the bytes of a read of {@code n} bytes are processed: resizes or clears the buffer. */
    void afterRead(int n) {
        int capacity = buffer.capacity();
        if (n == capacity && capacity < MAX && charge(capacity * 2)) {
            smallReads = 0;
            buffer = ByteBuffer.allocate(capacity * 2);
            return;
        }
        if (n < capacity / 4 && capacity > MIN) {
            if (++smallReads >= SHRINK_AFTER) {
                smallReads = 0;
                buffer = ByteBuffer.allocate(capacity / 2);
                charge(capacity / 2);
                return;
            }
        } else {
            smallReads = 0;
        }
        buffer.clear();
    }

    /** Charges the budget for a buffer of {@code capacity}; false (nothing changed) if it refuses. */
    private boolean charge(int capacity) {
        long wanted = Math.max(0, capacity - MemoryBudget.UNCHARGED_READ_BUFFER);
        if (wanted > charged && !budget.tryReserve(wanted - charged)) {
            return false;
        }
        if (wanted < charged) {
            budget.release(charged - wanted);
        }
        charged = wanted;
        return true;
    }

    /** The connection is over: gives the charged bytes back. */
    void release() {
        budget.release(charged);
        charged = 0;
    }
}
