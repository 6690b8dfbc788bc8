package dev.leanws.runtime;

import java.nio.ByteBuffer;

/**
 * The reader's buffer, sized to the traffic: it doubles (up to 64 KiB) while reads fill it and
 * halves (down to 512 bytes) after 16 reads in a row used less than a quarter of it, so a busy
 * connection reads in few syscalls and ten thousand idle ones hold 512 bytes each. Reader
 * thread only.
 */
final class ReadBuffer {

    static final int MIN = 512;
    static final int MAX = 64 * 1024;
    private static final int SHRINK_AFTER = 16;

    private ByteBuffer buffer = ByteBuffer.allocate(MIN);
    private int smallReads;

    /** The buffer to read into next, cleared. */
    ByteBuffer buffer() {
        return buffer;
    }

    /** After the bytes of a read of {@code n} bytes are processed: resizes or clears the buffer. */
    void afterRead(int n) {
        int capacity = buffer.capacity();
        if (n == capacity && capacity < MAX) {
            smallReads = 0;
            buffer = ByteBuffer.allocate(capacity * 2);
            return;
        }
        if (n < capacity / 4 && capacity > MIN) {
            if (++smallReads >= SHRINK_AFTER) {
                smallReads = 0;
                buffer = ByteBuffer.allocate(capacity / 2);
                return;
            }
        } else {
            smallReads = 0;
        }
        buffer.clear();
    }
}
