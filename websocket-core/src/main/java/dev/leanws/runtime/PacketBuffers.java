package dev.leanws.runtime;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A process-wide pool of TLS packet-sized buffers (one TLS record, about 16.7 KiB). A TLS
 * connection borrows one only for the length of a read burst or a write and gives it back, so
 * an idle {@code wss} connection holds none: ten thousand idle connections would otherwise pin
 * over 300 MiB of buffers that only busy connections need. The pool keeps at most
 * {@link #MAX_POOLED} buffers; beyond that returned buffers are left to the garbage collector.
 */
final class PacketBuffers {

    /** Room for one TLS record of the JDK's provider: 16 KiB of data plus header, MAC and padding. */
    static final int SIZE = 17 * 1024;
    static final int MAX_POOLED = 256;

    private static final ConcurrentLinkedQueue<ByteBuffer> POOL = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger POOLED = new AtomicInteger();

    private PacketBuffers() {
    }

    /** A cleared buffer of at least {@code size} bytes. */
    static ByteBuffer take(int size) {
        if (size <= SIZE) {
            ByteBuffer b = POOL.poll();
            if (b != null) {
                POOLED.decrementAndGet();
                return b.clear();
            }
            size = SIZE;
        }
        return ByteBuffer.allocate(size);
    }

    /** Gives a buffer back; null is ignored. The caller must not use it afterwards. */
    static void give(ByteBuffer b) {
        if (b == null || b.capacity() != SIZE || b.isDirect()) {
            return;
        }
        if (POOLED.incrementAndGet() <= MAX_POOLED) {
            POOL.offer(b);
        } else {
            POOLED.decrementAndGet();
        }
    }
}
