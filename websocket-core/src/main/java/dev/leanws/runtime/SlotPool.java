package dev.leanws.runtime;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A few reusable objects, lent to one user at a time: for scratch state every handshake needs
 * for a moment (a request's read and line buffers, a SHA-1 digest) and would otherwise allocate
 * anew. What a handshake allocates, garbage included, ends up as resident heap pages on a server
 * filling with connections (issue 16), so these are lent rather than made.
 *
 * <pre>{@code
 * SlotPool<byte[]> scratch = new SlotPool<>(16, () -> new byte[1024]);
 * byte[] b = scratch.take();
 * ...                  // b is this caller's alone
 * scratch.give(b);     // only if nothing refers to it any more
 * }</pre>
 *
 * <p>Never blocks and never grows: when every slot is empty {@link #take} makes a new object,
 * and {@link #give} keeps an object only if a slot is free. Lock-free (one atomic swap per slot
 * tried), and no allocation when a slot holds one, unlike a queue, which allocates a node per
 * offer. The users at one moment are about the carriers, so a handful of slots is enough.
 */
public final class SlotPool<T> {

    private final AtomicReferenceArray<T> slots;
    private final Supplier<T> factory;

    /** A pool of at most {@code slots} idle objects, made by {@code factory} when none is idle. */
    public SlotPool(int slots, Supplier<T> factory) {
        this.slots = new AtomicReferenceArray<>(slots);
        this.factory = factory;
    }

    /** An object for this caller alone until it gives it back. */
    public T take() {
        for (int i = 0; i < slots.length(); i++) {
            T t = slots.getAndSet(i, null);
            if (t != null) {
                return t;
            }
        }
        return factory.get();
    }

    /** Gives back an object from {@link #take}; the caller must not touch it afterwards. */
    public void give(T t) {
        for (int i = 0; i < slots.length(); i++) {
            if (slots.compareAndSet(i, null, t)) {
                return;
            }
        }
    }
}
