package dev.leanws.session;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.leanws.CloseStatus;
import dev.leanws.WebSocketConfig;
import dev.leanws.codec.Opcode;
import dev.leanws.codec.ProtocolException;
import dev.leanws.testing.Allocations;
import dev.leanws.testing.Fuzzer;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the whole protocol session (decoder, assembler, control frames, close handshake) in
 * both roles with seeded random, damaged and hostile streams in random splits. For every input:
 * nothing but a handled violation comes out of {@code receive}; at most one Close frame is
 * queued, with a code the RFC allows (the violation's 1002/1007/1009, or the echo of the peer's
 * code), and nothing after it; no event follows a violation; later input changes nothing; and
 * the memory allocated stays within the configured message limit plus a small cost per byte.
 *
 * <p>{@value #DEFAULT_ITERATIONS} inputs in a normal build; a dedicated run sets
 * {@code -Dleanws.fuzz.iterations=2000000} (and {@code -Dleanws.fuzz.seed=...} for other
 * seeds). A failure names the seed and the iteration that reproduce it.
 */
class SessionFuzzTest {

    static final int DEFAULT_ITERATIONS = 10_000;
    private static final long[] MESSAGE_LIMITS = {125, 1000, 70_000, 16L << 20};
    private static final Set<Integer> VIOLATION_CODES = Set.of(1002, 1007, 1009);

    /** Counts events and notices any after a violation. */
    private static final class Listener implements ProtocolSession.Listener {
        int events;
        boolean violated;
        String eventAfterViolation;

        private void event(String what) {
            events++;
            if (violated && eventAfterViolation == null) {
                eventAfterViolation = what;
            }
        }

        @Override public void onText(String text) { event("text"); }
        @Override public void onBinary(ByteBuffer data) { event("binary"); }
        @Override public void onPong(ByteBuffer payload) { event("pong"); }

        @Override
        public void onViolation(ProtocolException violation) {
            event("violation");
            violated = true;
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)   // a million-input run takes minutes; a hang never ends
    void randomStreamsNeverBreakTheSession() {
        long seed = Fuzzer.seed(0x5E551010L);
        int iterations = Fuzzer.iterations("leanws.fuzz.iterations", DEFAULT_ITERATIONS);
        Fuzzer fuzzer = new Fuzzer(seed);
        boolean measure = Allocations.supported();
        int violations = 0;
        for (int i = 0; i < iterations; i++) {
            String where = "seed=" + seed + " iteration=" + i;
            Role role = fuzzer.nextInt(2) == 0 ? Role.SERVER : Role.CLIENT;
            byte[] stream = fuzzer.stream(role == Role.SERVER);
            List<byte[]> chunks = fuzzer.chunks(stream);
            long maxMessage = MESSAGE_LIMITS[fuzzer.nextInt(MESSAGE_LIMITS.length)];
            WebSocketConfig config = WebSocketConfig.builder().maxMessageSize(maxMessage)
                    .maxFrameSize(fuzzer.nextInt(2) == 0 ? maxMessage : 16L << 20).build();
            Run run = new Run(role, config, chunks);
            if (run.thrown != null) {
                fail(where + ": receive threw", run.thrown);
            }
            long bound = 4 * Math.min(maxMessage, 4L * stream.length + 65_536) + 1024L * stream.length + 65_536;
            // The first run of a code path also loads classes and links call sites: what counts
            // is what the same input costs again.
            if (measure && run.allocated > bound && new Run(role, config, chunks).allocated > bound) {
                fail(where + ": allocated " + run.allocated + " bytes for a " + stream.length + "-byte input, bound " + bound);
            }
            ProtocolSession session = run.session;
            RecordingQueue queue = run.queue;
            Listener listener = run.listener;
            checkQueuedFrames(where, session, queue);
            if (listener.eventAfterViolation != null) {
                fail(where + ": a " + listener.eventAfterViolation + " event after the violation");
            }
            if (session.isDone()) {
                int events = listener.events;
                int frames = queue.frames.size();
                session.receive(ByteBuffer.wrap(fuzzer.hostile(role == Role.SERVER, 3)));
                assertTrue(listener.events == events && queue.frames.size() == frames, where + ": input after the end mattered");
            }
            violations += session.closeHandshake().state().violation() != null ? 1 : 0;
        }
        assertTrue(violations > iterations / 4, "most damaged input should be refused: " + violations + " of " + iterations);
        assertTrue(violations < iterations * 9 / 10, "valid conversations should pass: " + violations + " of " + iterations);
    }

    /** One pass of an input through a fresh session, with the bytes it allocated. */
    private static final class Run {
        final RecordingQueue queue = new RecordingQueue();
        final Listener listener = new Listener();
        final ProtocolSession session;
        final long allocated;
        Throwable thrown;

        Run(Role role, WebSocketConfig config, List<byte[]> chunks) {
            session = new ProtocolSession(role, config, () -> 0x11223344, queue, listener);
            ByteBuffer[] buffers = new ByteBuffer[chunks.size()];
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = ByteBuffer.wrap(chunks.get(i).clone());   // the decoder unmasks in place
            }
            long before = Allocations.currentThread();
            try {
                for (ByteBuffer buffer : buffers) {
                    session.receive(buffer);
                }
            } catch (Throwable t) {
                thrown = t;
            }
            allocated = Allocations.currentThread() - before;
        }
    }

    /** At most one Close, last, with an allowed code: the violation's, or the echo of the peer's. */
    private static void checkQueuedFrames(String where, ProtocolSession session, RecordingQueue queue) {
        for (int f = 0; f < queue.frames.size(); f++) {
            RecordingQueue.Queued q = queue.frames.get(f);
            if (q.header().opcode() != Opcode.CLOSE) {
                if (q.header().opcode().isControl() && q.payload().length > 125) {
                    fail(where + ": queued a control frame of " + q.payload().length + " bytes");
                }
                continue;
            }
            if (f != queue.frames.size() - 1) {
                fail(where + ": a frame queued after the Close");
            }
            byte[] p = q.payload();
            int code = p.length < 2 ? CloseStatus.NO_STATUS.code() : (p[0] & 0xFF) << 8 | p[1] & 0xFF;
            ProtocolException failure = session.closeHandshake().state().violation();
            if (failure != null && (code != failure.closeCode() || !VIOLATION_CODES.contains(code))) {
                fail(where + ": violation " + failure.violation() + " answered with " + code);
            }
            if (failure == null && p.length >= 2 && !CloseStatus.isValidOnWire(code)) {
                fail(where + ": echoed close code " + code);
            }
        }
    }
}
