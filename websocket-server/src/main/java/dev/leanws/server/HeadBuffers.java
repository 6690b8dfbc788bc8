package dev.leanws.server;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The buffers a request head is read and parsed into, lent to one handshake at a time.
 *
 * <p>Why pooled: every connection reads its request into a 1 KiB buffer and parses it line by
 * line in a 256-byte array, then never touches either again. Allocated per connection, they
 * were about 1.3 KiB of the ~13 KiB a handshake allocated, and on a server filling with
 * connections the heap pages that garbage touches stay resident (issue 16: idle memory per
 * connection is, to within a few percent, what its handshake allocated). A handful of slots
 * is enough: a buffer is held only while a request is read and answered, and the threads doing
 * that at once are the carriers. When every slot is lent out a handshake allocates its own and
 * the pool keeps it on return if a slot is free, so the pool never blocks and never grows past
 * its slots.
 *
 * <p>Lent buffers must not outlive the exchange: what the server keeps of a request (its head,
 * the frames behind it) is copied out before {@link #give} (see {@code UpgradeHandler}).
 */
final class HeadBuffers {

    /** A read buffer and a line buffer for the parser. */
    record Lent(ByteBuffer read, byte[] line) {
    }

    private final AtomicReferenceArray<Lent> slots;
    private final int readSize;
    private final int lineSize;

    HeadBuffers(int slots, int readSize, int lineSize) {
        this.slots = new AtomicReferenceArray<>(slots);
        this.readSize = readSize;
        this.lineSize = lineSize;
    }

    /** A pair of buffers for this caller alone until it gives them back; the read buffer cleared. */
    Lent take() {
        for (int i = 0; i < slots.length(); i++) {
            Lent lent = slots.getAndSet(i, null);
            if (lent != null) {
                lent.read().clear();
                return lent;
            }
        }
        return new Lent(ByteBuffer.allocate(readSize), new byte[lineSize]);
    }

    /** Returns buffers taken from {@link #take}; the caller must not touch them afterwards. */
    void give(Lent lent) {
        for (int i = 0; i < slots.length(); i++) {
            if (slots.compareAndSet(i, null, lent)) {
                return;
            }
        }
    }
}
