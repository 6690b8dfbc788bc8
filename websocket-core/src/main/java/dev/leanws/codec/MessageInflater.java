package dev.leanws.codec;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses the messages a peer sends with permessage-deflate (RFC 7692 §7.2.2): the
 * payloads of a compressed message's frames are inflated as they arrive, and at the message's
 * end the {@code 00 00 ff ff} the sender removed is fed back in. Output goes to a
 * {@link ChunkSink} in pieces of at most {@link #CHUNK} bytes, so the receiver checks the
 * inflated size while inflating: a small "bomb" fails once the limit is passed, after at most
 * one more chunk, never after inflating the whole message.
 *
 * <p>{@link Inflater} in raw mode keeps a 32 KiB window, which decodes any window the peer
 * agreed to (a smaller window only bounds the distances it uses). The native inflater is
 * created with the first compressed message and reset after each message when the peer agreed
 * to no context takeover; then (and only then: otherwise its window is the peer's context) it
 * can be freed when idle ({@link #releaseIfIdle}, from another thread). The connection's reader
 * is the only thread that inflates.
 */
public final class MessageInflater {

    /** Where inflated bytes go; the buffer is valid only during the call. */
    @FunctionalInterface
    public interface ChunkSink {
        void accept(ByteBuffer inflated) throws ProtocolException;
    }

    /** The largest piece handed to the sink at once. */
    public static final int CHUNK = 16 * 1024;

    private static final byte[] TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};

    private final boolean peerNoContextTakeover;
    private Inflater inflater;
    private byte[] scratch;
    /** The peer ended its DEFLATE stream (a block with BFINAL) inside this message: the rest is ignored. */
    private boolean streamEnded;
    private long lastUsedNanos;
    /** Held while inflating, so an idle release from the watchdog never frees an inflater in use. */
    private final ReentrantLock lock = new ReentrantLock();

    /** @param peerNoContextTakeover the peer starts every message from an empty context */
    public MessageInflater(boolean peerNoContextTakeover) {
        this.peerNoContextTakeover = peerNoContextTakeover;
    }

    /** Inflates the next piece of the current message's compressed payload. */
    public void inflate(ByteBuffer compressed, ChunkSink sink) throws ProtocolException {
        if (streamEnded || !compressed.hasRemaining()) {
            return;
        }
        lock.lock();
        try {
            if (inflater == null) {
                inflater = new Inflater(true);
            }
            if (scratch == null) {
                scratch = new byte[CHUNK];
            }
            inflater.setInput(compressed);
            drain(sink);
        } finally {
            lock.unlock();
        }
    }

    /** The message's last frame ended: inflates the removed tail and gets ready for the next message. */
    public void endMessage(ChunkSink sink) throws ProtocolException {
        lock.lock();
        try {
            if (inflater == null) {
                inflater = new Inflater(true);   // an empty compressed message
            }
            if (scratch == null) {
                scratch = new byte[CHUNK];
            }
            if (!streamEnded) {
                inflater.setInput(TAIL);
                drain(sink);
            }
            if (streamEnded || peerNoContextTakeover) {
                // A stream that ended cannot be continued; without takeover nothing may be.
                inflater.reset();
            }
            streamEnded = false;
            // The scratch array is per message: an idle connection keeps none.
            scratch = null;
            lastUsedNanos = System.nanoTime();
        } finally {
            lock.unlock();
        }
    }

    private void drain(ChunkSink sink) throws ProtocolException {
        try {
            while (true) {
                int n = inflater.inflate(scratch);
                if (n > 0) {
                    sink.accept(ByteBuffer.wrap(scratch, 0, n));
                }
                if (inflater.finished()) {
                    // A sender may end a message with a final block (RFC 7692 §7.2.3.4 shows one); what
                    // follows it, our appended tail included, is not part of the data.
                    streamEnded = true;
                    return;
                }
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return;
                }
            }
        } catch (DataFormatException e) {
            throw new ProtocolException(ProtocolViolation.INVALID_COMPRESSED_DATA, e.getMessage());
        }
    }

    /**
     * Frees the native inflater if it holds no context (the peer agreed to no context takeover),
     * no message is in progress and none ended within {@code idleNanos}. Never waits.
     *
     * @return whether it was freed
     */
    public boolean releaseIfIdle(long nowNanos, long idleNanos) {
        if (inflater == null || !peerNoContextTakeover || !lock.tryLock()) {
            return false;
        }
        try {
            if (inflater == null || scratch != null || nowNanos - lastUsedNanos < idleNanos) {
                return false;
            }
            inflater.end();
            inflater = null;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Frees the native inflater whatever it holds (the connection ended). */
    public void release() {
        lock.lock();
        try {
            if (inflater != null) {
                inflater.end();
                inflater = null;
            }
            scratch = null;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a native inflater is held (for tests and memory reports). */
    public boolean isAllocated() {
        return inflater != null;
    }
}
