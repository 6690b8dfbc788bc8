package dev.leanws.codec;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Compresses the messages one endpoint sends with permessage-deflate (RFC 7692 §7.2.1): each
 * message becomes raw DEFLATE blocks ended by a sync flush, whose trailing {@code 00 00 ff ff}
 * is removed. Not thread-safe: the owner serialises calls (the runtime calls it under its send
 * queue's lock, so messages are compressed in the order they reach the wire, which context
 * takeover requires).
 *
 * <p><b>Window size.</b> {@link Deflater} always uses a 32 KiB window. For 15 bits that is the
 * window; for 8-14 bits the match distance is bounded another way: the message is compressed
 * in chunks of {@code 2^bits / 2} bytes, and before each chunk the compressor is reset with the
 * previous {@code 2^bits / 2} bytes as its preset dictionary, so no match can reach further
 * back than {@code 2^bits}. Every chunk ends with a sync flush, so the chunks' outputs simply
 * concatenate into one stream. (zlib would raise a requested 8 to 9; this scheme honours 8.)
 * docs/compression.md has the measurements behind this choice.
 *
 * <p><b>Memory.</b> The native compressor (about 256 KiB at zlib's default memory level) is
 * created with the first message and freed by {@link #release()}: it holds nothing that must
 * survive, because dropping the context only means later messages do not refer to earlier ones,
 * which a receiver decodes all the same.
 */
public final class MessageDeflater {

    /** How a window below 15 bits is honoured; {@link #BOUNDED} unless a benchmark asks. */
    public enum SmallWindow {
        /** Chunks of half the window with the previous half as dictionary. */
        BOUNDED,
        /** No LZ77 matches at all (Huffman coding only). */
        HUFFMAN_ONLY
    }

    private static final byte[] EMPTY = new byte[0];

    private final int level;
    private final int windowBits;
    private final boolean noContextTakeover;
    private final SmallWindow smallWindow;
    private Deflater deflater;
    /** Bounded mode: the last bytes compressed (at most half a window), the next chunk's dictionary. */
    private byte[] history = EMPTY;
    private int historyLength;
    private long lastUsedNanos;

    /**
     * @param level             zlib level 1-9
     * @param windowBits        8-15: matches reach at most 2^bits bytes back
     * @param noContextTakeover start every message from an empty context
     */
    public MessageDeflater(int level, int windowBits, boolean noContextTakeover) {
        this(level, windowBits, noContextTakeover, SmallWindow.BOUNDED);
    }

    public MessageDeflater(int level, int windowBits, boolean noContextTakeover, SmallWindow smallWindow) {
        if (windowBits < 8 || windowBits > 15) {
            throw new IllegalArgumentException("windowBits must be 8-15: " + windowBits);
        }
        this.level = level;
        this.windowBits = windowBits;
        this.noContextTakeover = noContextTakeover;
        this.smallWindow = smallWindow;
    }

    /**
     * Compresses one whole message (the buffer's remaining bytes; its position does not move).
     *
     * @return the compressed payload, without the trailing {@code 00 00 ff ff}; a new buffer
     */
    public ByteBuffer compress(ByteBuffer message) {
        lastUsedNanos = System.nanoTime();
        ByteBuffer input = message.slice();
        Output out = new Output(input.remaining());
        if (deflater == null) {
            deflater = new Deflater(level, true);
            if (windowBits < 15 && smallWindow == SmallWindow.HUFFMAN_ONLY) {
                deflater.setStrategy(Deflater.HUFFMAN_ONLY);
            }
        }
        if (windowBits == 15 || smallWindow == SmallWindow.HUFFMAN_ONLY) {
            deflate(input, out);
        } else {
            compressBounded(input, out);
        }
        if (noContextTakeover) {
            deflater.reset();
            historyLength = 0;
        }
        return out.withoutTail();
    }

    /** Chunks of half a window, each compressed from a reset state with the half window before it as dictionary. */
    private void compressBounded(ByteBuffer input, Output out) {
        int half = 1 << (windowBits - 1);
        if (history.length != half) {
            history = new byte[half];
        }
        byte[] chunk = new byte[Math.min(half, Math.max(1, input.remaining()))];
        do {
            int n = Math.min(half, input.remaining());
            input.get(chunk, 0, n);
            deflater.reset();
            if (historyLength > 0) {
                deflater.setDictionary(history, 0, historyLength);
            }
            deflate(ByteBuffer.wrap(chunk, 0, n), out);
            remember(chunk, n, half);
        } while (input.hasRemaining());
    }

    /** Keeps the last {@code half} bytes of history + chunk. */
    private void remember(byte[] chunk, int n, int half) {
        if (n >= half) {
            System.arraycopy(chunk, n - half, history, 0, half);
            historyLength = half;
            return;
        }
        int keep = Math.min(historyLength, half - n);
        System.arraycopy(history, historyLength - keep, history, 0, keep);
        System.arraycopy(chunk, 0, history, keep, n);
        historyLength = keep + n;
    }

    /** Feeds all of {@code input} and sync-flushes, appending the output. */
    private void deflate(ByteBuffer input, Output out) {
        deflater.setInput(input);
        while (true) {
            out.ensureRoom();
            int room = out.buffer.length - out.size;
            int n = deflater.deflate(out.buffer, out.size, room, Deflater.SYNC_FLUSH);
            out.size += n;
            // A sync flush is complete when it stopped with room to spare and nothing left to read.
            if (n < room && deflater.needsInput()) {
                return;
            }
        }
    }

    /** Frees the native compressor; the next message starts from an empty context. */
    public void release() {
        if (deflater != null) {
            deflater.end();
            deflater = null;
        }
        history = EMPTY;
        historyLength = 0;
    }

    /** {@link #release()} if the last message was compressed {@code idleNanos} or more before {@code nowNanos}. */
    public boolean releaseIfIdle(long nowNanos, long idleNanos) {
        if (deflater != null && nowNanos - lastUsedNanos >= idleNanos) {
            release();
            return true;
        }
        return false;
    }

    /** Whether a native compressor is held (for tests and memory reports). */
    public boolean isAllocated() {
        return deflater != null;
    }

    /** A growing output array. */
    private static final class Output {
        byte[] buffer;
        int size;

        Output(int inputLength) {
            // Text usually shrinks several times; incompressible data grows by a few bytes per block.
            buffer = new byte[Math.max(64, inputLength / 4 + 16)];
        }

        void ensureRoom() {
            if (buffer.length - size < 16) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
        }

        ByteBuffer withoutTail() {
            if (size == 0) {
                // zlib emits nothing for a flush right after a flush (an empty message with
                // context takeover). 0x00 is the empty message of RFC 7692 §7.2.3.6: the start of
                // an empty stored block that the receiver's appended tail completes.
                return ByteBuffer.wrap(new byte[1]);
            }
            // RFC 7692 §7.2.1: remove the 4 octets 0x00 0x00 0xff 0xff at the tail end.
            if (size < 4 || buffer[size - 4] != 0 || buffer[size - 3] != 0 || buffer[size - 2] != (byte) 0xFF
                    || buffer[size - 1] != (byte) 0xFF) {
                throw new IllegalStateException("sync flush did not end with 00 00 ff ff");
            }
            return ByteBuffer.wrap(buffer, 0, size - 4).slice();
        }
    }
}
