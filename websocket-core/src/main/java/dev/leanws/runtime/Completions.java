package dev.leanws.runtime;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * The send futures of one outbound queue, each with the stream offset its frame ends at, in
 * queue order. Not thread-safe: {@link Outbound} guards it with its lock and completes what it
 * takes out after unlocking (a future runs its dependents in the completing thread).
 */
final class Completions {

    /** Futures taken out of the queue, to complete outside the lock. */
    static final class Done {
        static final Done NONE = new Done(null);

        private final ArrayDeque<CompletableFuture<Void>> futures;

        private Done(ArrayDeque<CompletableFuture<Void>> futures) {
            this.futures = futures;
        }

        void complete() {
            if (futures != null) {
                futures.forEach(f -> f.complete(null));
            }
        }

        void fail(Throwable why) {
            if (futures != null) {
                futures.forEach(f -> f.completeExceptionally(why));
            }
        }
    }

    private record Pending(long end, CompletableFuture<Void> future) {
    }

    private ArrayDeque<Pending> pending;     // created on the first future: most sends have none

    /** A frame ending at stream offset {@code end} completes {@code future} once written. */
    void add(long end, CompletableFuture<Void> future) {
        if (pending == null) {
            pending = new ArrayDeque<>();
        }
        pending.add(new Pending(end, future));
    }

    /** Takes the futures whose frames end at or before {@code written}. */
    Done takeUpTo(long written) {
        if (pending == null || pending.isEmpty() || pending.peek().end() > written) {
            return Done.NONE;
        }
        ArrayDeque<CompletableFuture<Void>> done = new ArrayDeque<>();
        while (!pending.isEmpty() && pending.peek().end() <= written) {
            done.add(pending.poll().future());
        }
        return new Done(done);
    }

    /** Takes every future (the connection ended). */
    Done takeAll() {
        if (pending == null || pending.isEmpty()) {
            return Done.NONE;
        }
        ArrayDeque<CompletableFuture<Void>> all = new ArrayDeque<>();
        pending.forEach(p -> all.add(p.future()));
        pending = null;
        return new Done(all);
    }
}
