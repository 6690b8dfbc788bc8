package dev.leanws.codec;

/**
 * An account of bytes held for peers, shared by many connections: the codec asks it before
 * buffering more of what a peer sent (a message being assembled, and later inflated bytes) and
 * gives the bytes back once they are delivered or dropped.
 *
 * <pre>{@code
 * if (!budget.tryReserve(grow)) {
 *     throw new ProtocolException(ProtocolViolation.MEMORY_BUDGET, grow + " more bytes");   // 1013
 * }
 * buffer = Arrays.copyOf(buffer, buffer.length + (int) grow);
 * ...
 * budget.release(held);   // delivered or discarded
 * }</pre>
 *
 * Implementations are thread-safe; every reservation that succeeded is released exactly once.
 */
public interface ByteBudget {

    /** A budget that takes everything (a client, a test, a codec used on its own). */
    ByteBudget UNLIMITED = new ByteBudget() {
        @Override
        public boolean tryReserve(long bytes) {
            return true;
        }

        @Override
        public void release(long bytes) {
        }

        @Override
        public String toString() {
            return "unlimited";
        }
    };

    /**
     * Takes {@code bytes} from the budget if they fit.
     *
     * @return false, and nothing taken, if they do not
     */
    boolean tryReserve(long bytes);

    /** Gives back bytes taken by {@link #tryReserve}. */
    void release(long bytes);
}
