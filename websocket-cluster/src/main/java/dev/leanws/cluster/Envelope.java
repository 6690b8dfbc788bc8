package dev.leanws.cluster;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What a node puts on the broker: {@code version(1) kind(1) node-id(16) payload}. The node id
 * lets a node skip its own publications when the broker hands them back (it delivered them
 * locally already); the kind says text or binary. Anything else on a channel (a foreign
 * publisher, another version) is ignored.
 */
record Envelope(byte[] node, boolean text, ByteBuffer payload) {

    static final int NODE_ID_BYTES = 16;
    private static final byte VERSION = 1;
    private static final byte TEXT = 'T';
    private static final byte BINARY = 'B';
    private static final int HEADER = 2 + NODE_ID_BYTES;

    static byte[] encode(byte[] node, boolean text, ByteBuffer payload) {
        byte[] out = new byte[HEADER + payload.remaining()];
        out[0] = VERSION;
        out[1] = text ? TEXT : BINARY;
        System.arraycopy(node, 0, out, 2, NODE_ID_BYTES);
        payload.duplicate().get(out, HEADER, payload.remaining());
        return out;
    }

    /** The envelope in {@code message}, or null if it is not one. */
    static Envelope decode(byte[] message) {
        if (message.length < HEADER || message[0] != VERSION || (message[1] != TEXT && message[1] != BINARY)) {
            return null;
        }
        return new Envelope(Arrays.copyOfRange(message, 2, HEADER), message[1] == TEXT,
                ByteBuffer.wrap(message, HEADER, message.length - HEADER).slice().asReadOnlyBuffer());
    }

    boolean from(byte[] nodeId) {
        return Arrays.equals(node, nodeId);
    }
}
