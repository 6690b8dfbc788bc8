package dev.leanws.testing.conformance;

import java.time.Duration;

/** One step of a case's script, run in order by {@link CaseRunner}. */
public sealed interface Step {

    /**
     * Sends a frame. Frames of consecutive plain sends go out in one write, as a sender that
     * buffers would send them; {@code chop > 0} writes this frame in pieces of that many bytes,
     * each its own write; {@code sync} writes it on its own (per-frame chops).
     */
    record Send(Frame frame, int chop, boolean sync) implements Step {
    }

    /**
     * Sends a well-formed Close frame: the suite starts the closing handshake. Like a plain
     * send, it shares a write with the frames around it.
     */
    record Close(Frame frame) implements Step {
    }

    /**
     * Sends part of one frame's bytes, on its own: the header and payload bytes
     * {@code [0, to)} when {@code from == 0}, else payload bytes {@code [from, to)}. The parts
     * of a frame share its masking key.
     */
    record SendPart(Frame frame, int from, int to) implements Step {
    }

    /**
     * Waits {@code duration}, or less if the implementation closes meanwhile, in which case
     * the rest of the script is skipped. If it is still open at the end, {@code marker} (when
     * not null) is recorded: "the connection was still open after this pause".
     */
    record Pause(Duration duration, String marker) implements Step {
    }

    /** Sends {@code frame} {@code count} times, each time waiting for the echo before the next. */
    record Exchange(Frame frame, int count) implements Step {
    }

    static Send send(Frame frame) {
        return new Send(frame, 0, false);
    }

    static Send chopped(Frame frame, int chop) {
        return new Send(frame, chop, false);
    }

    static Send synced(Frame frame) {
        return new Send(frame, 0, true);
    }

    static Close close(Frame frame) {
        return new Close(frame);
    }

    static Pause pause(long millis, String marker) {
        return new Pause(Duration.ofMillis(millis), marker);
    }
}
