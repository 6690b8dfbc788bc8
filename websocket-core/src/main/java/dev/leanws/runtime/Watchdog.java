package dev.leanws.runtime;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread for every deadline of every connection: keep-alive pings, pong, idle, mid-frame,
 * close and write timeouts, and handshake deadlines. Each registered {@link Watched} is ticked
 * every {@link #TICK_MILLIS} ms and acts on its own deadlines (typically by sending a ping or
 * closing its transport, which wakes its blocked reader or writer at once).
 *
 * <p>Why not a timer per connection or a read timeout: a blocked write and a close started by
 * another thread have to be interrupted from outside anyway, and one scan over all connections
 * costs a few volatile reads each, with no allocation and no timer thread per connection.
 *
 * <p>The thread starts with the first registration and ends when nothing is registered, so a
 * process with no connection has no watchdog thread.
 *
 * <p><b>One comparison per connection, in a flat array.</b> Each registration has a slot in an
 * array of due times: the earliest moment it needs a tick, as its last tick returned it, lowered
 * in between through its {@link Due} when one of its deadlines is armed earlier. A tick walks the
 * array and calls only the registrations whose time has come. With 19,000 idle connections the
 * walk over a set of objects (a hash-set node, the object, its field: a cache miss each) was
 * most of an idle server's CPU even when it stopped at one comparison per connection; a walk
 * over an array of longs takes microseconds. The registration's own state stays the truth; the
 * slot only says when to look (see {@link Due}).
 */
public final class Watchdog {

    /** How often deadlines are checked; deadlines are precise to about this much. */
    public static final long TICK_MILLIS = 50;

    /** A due time meaning "no tick until the slot is lowered"; tested before any time arithmetic. */
    public static final long NEVER = Long.MIN_VALUE;

    /** Something with deadlines. {@link #tick} must not block. */
    public interface Watched {
        /**
         * Acts on whatever deadline has passed at {@code nowNanos}.
         *
         * @return the earliest moment it needs its next tick ({@code nowNanos} or earlier: at
         *         the next tick; {@link #NEVER}: not until its {@link Due} is lowered)
         */
        long tick(long nowNanos);
    }

    /**
     * A registration's slot. Whoever arms a deadline of the registration earlier than the time
     * its last tick returned must lower the slot to it, after arming (the tick resets the slot
     * before it runs and lowers it with what it returns, so an arm racing a tick is kept by one
     * of the two). Lowering a slot whose registration ended costs at worst one early tick of the
     * slot's next owner: ticks are idempotent.
     */
    public static final class Due {
        private final AtomicLongArray dues;
        private final int index;

        private Due(AtomicLongArray dues, int index) {
            this.dues = dues;
            this.index = index;
        }

        /** The registration needs a tick at {@code at} or earlier ({@link #NEVER}: nothing to do). */
        public void lower(long at) {
            lowerSlot(dues, index, at);
        }
    }

    private static final int CHUNK = 1024;

    /** One chunk of slots; chunks never move, so a {@link Due} stays valid as the table grows. */
    private static final class Chunk {
        final AtomicLongArray dues = new AtomicLongArray(CHUNK);
        final AtomicReferenceArray<Watched> owners = new AtomicReferenceArray<>(CHUNK);

        Chunk() {
            for (int i = 0; i < CHUNK; i++) {
                dues.set(i, NEVER);
            }
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);
    private static final Watchdog SHARED = new Watchdog();

    /** Slot numbers by registration, the free slots and the chunk table: guarded by {@link #slotsLock}. */
    private final Map<Watched, Integer> slots = new IdentityHashMap<>();
    private final ReentrantLock slotsLock = new ReentrantLock();
    private volatile Chunk[] chunks = new Chunk[0];
    private int[] free = new int[0];
    private int freeCount;
    private volatile int registered;

    private final ReentrantLock lifecycle = new ReentrantLock();
    private final Function<Runnable, Thread> threads;
    private Thread thread;

    private Watchdog() {
        this(loop -> Thread.ofPlatform().daemon().name("leanws-watchdog").start(loop));
    }

    /** A watchdog whose thread is started by {@code threads} (a seam: tests make it fail). */
    Watchdog(Function<Runnable, Thread> threads) {
        this.threads = threads;
    }

    /** The process-wide watchdog. */
    public static Watchdog shared() {
        return SHARED;
    }

    /**
     * Watches {@code w}: it is ticked at the next tick, then when the time it returned (or a
     * lowering of its slot) has come. Registering it again keeps its slot and ticks it again.
     *
     * @return its slot, to lower when a deadline is armed earlier than its last tick said
     */
    public Due register(Watched w) {
        Due due = assignSlot(w);
        lifecycle.lock();
        try {
            Thread t = thread;
            if (t == null || !t.isAlive()) {
                // Also after a failed hand-over (an OutOfMemoryError while starting the next
                // thread): the next registration brings the watchdog back.
                thread = null;
                thread = startThread();
            }
        } catch (RuntimeException | Error e) {
            // No thread now (out of memory or threads); the next registration tries again.
            LOG.error("could not start the deadline thread ({}); the next registration tries again", e.toString());
        } finally {
            lifecycle.unlock();
        }
        return due;
    }

    private Due assignSlot(Watched w) {
        slotsLock.lock();
        try {
            Integer existing = slots.get(w);
            int slot;
            if (existing != null) {
                slot = existing;
            } else {
                if (freeCount == 0) {
                    addChunk();
                }
                slot = free[--freeCount];
                slots.put(w, slot);
                registered = slots.size();
            }
            Chunk chunk = chunks[slot / CHUNK];
            chunk.owners.set(slot % CHUNK, w);
            chunk.dues.set(slot % CHUNK, System.nanoTime());   // due at the next tick
            return new Due(chunk.dues, slot % CHUNK);
        } finally {
            slotsLock.unlock();
        }
    }

    private void addChunk() {
        Chunk[] grown = Arrays.copyOf(chunks, chunks.length + 1);
        grown[chunks.length] = new Chunk();
        int base = chunks.length * CHUNK;
        int[] moreFree = Arrays.copyOf(free, free.length + CHUNK);
        for (int i = 0; i < CHUNK; i++) {
            moreFree[freeCount++] = base + CHUNK - 1 - i;   // lowest slot first
        }
        free = moreFree;
        chunks = grown;
    }

    private Thread startThread() {
        return threads.apply(this::run);
    }

    /** Whether a deadline thread is running now (for tests). */
    boolean isRunning() {
        lifecycle.lock();
        try {
            return thread != null && thread.isAlive();
        } finally {
            lifecycle.unlock();
        }
    }

    /** Runs the loop; if an Error ends it, hands over to a new thread so deadlines keep running. */
    private void run() {
        try {
            loop();
        } catch (Throwable e) {
            lifecycle.lock();
            try {
                thread = null;
                // The message only: the trace of an OutOfMemoryError says nothing useful, and
                // building one is what we cannot afford then; a debug log has it.
                LOG.error("the deadline thread failed ({}); starting another", e.toString());
                LOG.debug("deadline thread failure", e);
                if (registered != 0) {
                    thread = startThread();
                }
            } catch (Throwable failedAgain) {
                thread = null;   // register() starts one when it can
            } finally {
                lifecycle.unlock();
            }
        }
    }

    /** Stops watching {@code w}; its slot goes back to the free list. */
    public void unregister(Watched w) {
        slotsLock.lock();
        try {
            Integer slot = slots.remove(w);
            if (slot == null) {
                return;
            }
            Chunk chunk = chunks[slot / CHUNK];
            chunk.owners.set(slot % CHUNK, null);
            chunk.dues.set(slot % CHUNK, NEVER);
            free[freeCount++] = slot;
            registered = slots.size();
        } finally {
            slotsLock.unlock();
        }
    }

    /** The number of registered objects (for tests and leak checks). */
    public int size() {
        return registered;
    }

    /** Lowers slot {@code i} to {@code at} unless it is already at or before it. */
    private static void lowerSlot(AtomicLongArray dues, int i, long at) {
        if (at == NEVER) {
            return;
        }
        while (true) {
            long d = dues.get(i);
            if (d != NEVER && at - d >= 0) {
                return;
            }
            if (dues.compareAndSet(i, d, at)) {
                return;
            }
        }
    }

    private void loop() {
        while (true) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS));
            long now = System.nanoTime();
            for (Chunk chunk : chunks) {
                for (int i = 0; i < CHUNK; i++) {
                    long due = chunk.dues.get(i);
                    if (due != NEVER && now - due >= 0) {
                        tick(chunk, i, now);
                    }
                }
            }
            lifecycle.lock();
            try {
                if (registered == 0) {
                    thread = null;
                    return;
                }
            } finally {
                lifecycle.unlock();
            }
        }
    }

    /** Ticks slot {@code i}: the slot is reset first, so a lowering during the tick is kept, then lowered to what the tick returns. */
    private static void tick(Chunk chunk, int i, long now) {
        chunk.dues.set(i, NEVER);
        Watched w = chunk.owners.get(i);
        if (w == null) {
            return;   // a free slot lowered late by its former owner
        }
        long next = now;   // a failed tick is tried again at the next one
        try {
            next = w.tick(now);
        } catch (RuntimeException | AssertionError e) {
            LOG.warn("deadline check failed for {}", w, e);
        } catch (StackOverflowError | OutOfMemoryError e) {
            // One connection's trouble must not end every deadline: skip it this tick.
            LOG.error("deadline check failed for {}: {}", w, e.toString());
        } finally {
            // Also when another Error ends the loop: the next thread must still see it due.
            lowerSlot(chunk.dues, i, next);
        }
    }
}
