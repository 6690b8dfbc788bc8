package dev.leanws.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Everything a {@link WirePeer} saw come back once it {@linkplain WirePeer#startLog() logs}, in
 * arrival order, each entry stamped with the nanoseconds since the peer started: frames exactly
 * as they were on the wire ({@link WireFrame}: payload unmasked, the MASK bit reported), the
 * peer's own writes, markers the test put in between, and how the stream ended
 * (end of stream, reset, or a frame the peer could not read). Thread-safe; tests wait on it
 * with a deadline, never by sleeping.
 */
public final class WireLog {

    /** One thing that happened, {@code nanos} after the peer started. */
    public sealed interface Entry permits WireFrame, Sent, Marker, End {
        long nanos();
    }

    /** The peer started writing {@code bytes} bytes (one write call; a chopped send logs each piece). */
    public record Sent(long nanos, int bytes) implements Entry {
    }

    /** A label the test recorded, e.g. "the first pause passed with the connection still open". */
    public record Marker(long nanos, String label) implements Entry {
    }

    /**
     * The stream ended: {@code reset} when the connection was reset rather than closed with
     * FIN; {@code detail} says what happened.
     */
    public record End(long nanos, boolean reset, String detail) implements Entry {
    }

    private final long origin;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Entry> entries = new ArrayList<>();

    public WireLog(long originNanos) {
        this.origin = originNanos;
    }

    /** Nanoseconds since the peer started. */
    public long now() {
        return System.nanoTime() - origin;
    }

    void add(Entry entry) {
        lock.lock();
        try {
            entries.add(entry);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Records a marker now. */
    public void mark(String label) {
        add(new Marker(now(), label));
    }

    /** A copy of everything so far. */
    public List<Entry> entries() {
        lock.lock();
        try {
            return List.copyOf(entries);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until {@code condition} holds for the entries so far, at most {@code within}.
     *
     * @return whether it holds
     */
    public boolean await(Predicate<List<Entry>> condition, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        lock.lock();
        try {
            while (!condition.test(entries)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The entry at {@code index}, waiting for it at most {@code within}.
     *
     * @return the entry, or null if there is none by then
     */
    public Entry awaitEntry(int index, Duration within) {
        return await(entries -> entries.size() > index, within) ? entries().get(index) : null;
    }

    /** The frames received so far, in order. */
    public List<WireFrame> frames() {
        return entries().stream().filter(e -> e instanceof WireFrame).map(e -> (WireFrame) e).toList();
    }

    /** The first Close frame received, or null. */
    public WireFrame closeFrame() {
        for (Entry e : entries()) {
            if (e instanceof WireFrame f && f.isClose()) {
                return f;
            }
        }
        return null;
    }

    /** How the stream ended, or null while it is open. */
    public End end() {
        for (Entry e : entries()) {
            if (e instanceof End end) {
                return end;
            }
        }
        return null;
    }

    /** True once a Close frame arrived or the stream ended. */
    public static boolean closedOrEnded(List<Entry> entries) {
        return entries.stream().anyMatch(e -> e instanceof End || e instanceof WireFrame f && f.isClose());
    }

    public static boolean ended(List<Entry> entries) {
        return entries.stream().anyMatch(e -> e instanceof End);
    }

    /** Waits for the end of the stream. */
    public End awaitEnd(Duration within) {
        await(WireLog::ended, within);
        return end();
    }
}
