package dev.leanws.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.function.LongSupplier;

/**
 * Reads one frame off a stream as it is, for {@link WirePeer}: no rule is checked (a reserved
 * opcode, a masked server frame, a non-minimal length are all reported as they came), only a
 * length beyond {@link #MAX_FRAME} is refused, since it would exhaust the test JVM.
 */
final class FrameReader {

    /** Frames longer than this are not read. */
    static final long MAX_FRAME = 64L << 20;

    private FrameReader() {
    }

    /**
     * The next frame, stamped by {@code clock} once it is complete.
     *
     * @return null at a clean end of stream before the first byte of a frame
     * @throws EOFException when the stream ends inside a frame
     * @throws IOException  for a length over {@link #MAX_FRAME}, or as the socket throws
     */
    static WireFrame read(DataInputStream in, LongSupplier clock) throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7F;
        int lengthBytes = length == 126 ? 2 : length == 127 ? 8 : 0;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        if (length < 0 || length > MAX_FRAME) {
            throw new IOException("unreadable frame length " + length);
        }
        boolean masked = (b1 & 0x80) != 0;
        int key = masked ? in.readInt() : 0;
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        for (int i = 0; masked && i < payload.length; i++) {
            payload[i] ^= (byte) (key >>> 24 - 8 * (i & 3));
        }
        byte[] header = new byte[2 + lengthBytes + (masked ? 4 : 0)];
        header[0] = (byte) b0;
        header[1] = (byte) b1;
        for (int i = 0; i < lengthBytes; i++) {
            header[2 + i] = (byte) (length >>> 8 * (lengthBytes - 1 - i));
        }
        for (int i = 0; masked && i < 4; i++) {
            header[2 + lengthBytes + i] = (byte) (key >>> 24 - 8 * i);
        }
        return new WireFrame(clock.getAsLong(), (b0 & 0x80) != 0, (b0 >>> 4) & 7, b0 & 0x0F, masked, key, payload, header);
    }
}
