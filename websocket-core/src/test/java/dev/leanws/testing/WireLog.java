package dev.leanws.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Everything a {@link WirePeer} saw come back, in arrival order, each entry stamped with the
 * nanoseconds since the peer started: frames exactly as they were on the wire (payload
 * unmasked, the MASK bit reported), the peer's own writes, markers the test put in between,
 * and how the stream ended
 * (end of stream, reset, or a frame the peer could not read). Thread-safe; tests wait on it
 * with a deadline, never by sleeping.
 */
public final class WireLog {

    /** One thing that happened, {@code nanos} after the peer started. */
    public sealed interface Entry {
        long nanos();
    }

    /** A frame as received. */
    public record FrameIn(long nanos, boolean fin, int rsv, int opcode, boolean masked, byte[] payload) implements Entry {
        public boolean isClose() {
            return opcode == 0x8;
        }

        /** The close code of a Close frame; 1005 when it has no payload. */
        public int closeCode() {
            return payload.length < 2 ? 1005 : (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
        }

        public String closeReason() {
            return payload.length < 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "frame(fin=" + fin + " rsv=" + rsv + " op=" + opcode + (masked ? " masked" : "")
                    + " len=" + payload.length + " @" + TimeUnit.NANOSECONDS.toMillis(nanos) + "ms)";
        }
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

    /** The first Close frame received, or null. */
    public FrameIn closeFrame() {
        for (Entry e : entries()) {
            if (e instanceof FrameIn f && f.isClose()) {
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
        return entries.stream().anyMatch(e -> e instanceof End || e instanceof FrameIn f && f.isClose());
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
