package dev.leanws.codec;

/**
 * Every way a peer can break RFC 6455, with the close code the RFC names for it (§7.4.1) and a
 * stable id for logs and tests. A violation is data, not a stack trace: the runtime answers it
 * with a Close frame carrying {@link #closeCode()}.
 */
public enum ProtocolViolation {
    // 1002: protocol error
    RESERVED_BITS(1002, "RSV bits set without a negotiated extension"),
    RESERVED_OPCODE(1002, "reserved opcode"),
    CONTROL_FRAME_FRAGMENTED(1002, "control frame without FIN"),
    CONTROL_FRAME_TOO_LONG(1002, "control frame payload longer than 125 bytes"),
    NON_MINIMAL_LENGTH(1002, "payload length not minimally encoded"),
    LENGTH_MSB_SET(1002, "64-bit payload length with its most significant bit set"),
    UNMASKED_CLIENT_FRAME(1002, "client frame is not masked"),
    MASKED_SERVER_FRAME(1002, "server frame is masked"),
    CONTINUATION_WITHOUT_START(1002, "continuation frame without a message to continue"),
    DATA_FRAME_INSIDE_FRAGMENTED_MESSAGE(1002, "new data frame before the fragmented message ended"),
    CLOSE_PAYLOAD_ONE_BYTE(1002, "close frame with a 1-byte payload"),
    INVALID_CLOSE_CODE(1002, "close code not allowed on the wire"),
    RSV1_ON_CONTINUATION(1002, "RSV1 set on a continuation frame"),
    RSV1_ON_CONTROL_FRAME(1002, "RSV1 set on a control frame"),
    // 1007: invalid frame payload data
    INVALID_UTF8(1007, "text message is not valid UTF-8"),
    INVALID_CLOSE_REASON_UTF8(1007, "close reason is not valid UTF-8"),
    INVALID_COMPRESSED_DATA(1007, "compressed message is not valid DEFLATE data"),
    // 1009: message too big
    FRAME_TOO_BIG(1009, "frame payload exceeds the frame size limit"),
    MESSAGE_TOO_BIG(1009, "message exceeds the message size limit"),
    // 1008: policy violation
    POLICY(1008, "policy violation"),
    // 1013: try again later. Not the peer's fault as such: the server-wide memory budget
    // (what all peers together make us hold) cannot take this peer's growth now.
    MEMORY_BUDGET(1013, "server memory budget exhausted; try again later");

    private final int closeCode;
    private final String description;

    ProtocolViolation(int closeCode, String description) {
        this.closeCode = closeCode;
        this.description = description;
    }

    /** The close code to send for this violation (1002, 1007, 1008, 1009, or 1013). */
    public int closeCode() {
        return closeCode;
    }

    /** A stable identifier, e.g. {@code WS_INVALID_UTF8}. */
    public String id() {
        return "WS_" + name();
    }

    /** What the violation means, in words. */
    public String description() {
        return description;
    }
}
