package dev.leanws.codec;

import dev.leanws.CloseStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The body of a Close frame (RFC 6455 §5.5.1): empty, or a 2-byte big-endian status code
 * followed by a UTF-8 reason. Parsing applies the receiving side's rules and turns every
 * breach into a {@link ProtocolException} with its close code; encoding refuses anything that
 * may not be sent.
 */
public final class ClosePayload {

    private ClosePayload() {
    }

    /**
     * Reads a received Close payload, between its position and limit (the position does not move).
     *
     * <ul>
     *   <li>empty: {@link CloseStatus#NO_STATUS} (1005), which is reported, never sent (§7.1.5);
     *   <li>1 byte: {@link ProtocolViolation#CLOSE_PAYLOAD_ONE_BYTE} (1002): a body, if present,
     *       MUST start with a 2-byte code (§5.5.1);
     *   <li>a code for which {@link CloseStatus#isValidOnWire} is false:
     *       {@link ProtocolViolation#INVALID_CLOSE_CODE} (1002, §7.4);
     *   <li>a reason that is not valid UTF-8: {@link ProtocolViolation#INVALID_CLOSE_REASON_UTF8}
     *       (1007, §5.5.1 and §8.1);
     *   <li>more than 125 bytes: {@link ProtocolViolation#CONTROL_FRAME_TOO_LONG} (§5.5); the
     *       decoder already stops such frames, this keeps the parser safe on its own.
     * </ul>
     */
    public static CloseStatus parse(ByteBuffer payload) throws ProtocolException {
        int length = payload.remaining();
        if (length == 0) {
            return CloseStatus.NO_STATUS;
        }
        if (length == 1) {
            throw new ProtocolException(ProtocolViolation.CLOSE_PAYLOAD_ONE_BYTE);
        }
        if (length > FrameEncoder.MAX_7BIT_LENGTH) {
            throw new ProtocolException(ProtocolViolation.CONTROL_FRAME_TOO_LONG, "close payload of " + length + " bytes");
        }
        int start = payload.position();
        // Unsigned: a code read as a signed short would turn 65535 into -1.
        int code = (payload.get(start) & 0xFF) << 8 | payload.get(start + 1) & 0xFF;
        if (!CloseStatus.isValidOnWire(code)) {
            throw new ProtocolException(ProtocolViolation.INVALID_CLOSE_CODE, "code=" + code);
        }
        byte[] reason = new byte[length - 2];
        payload.get(start + 2, reason);
        if (!Utf8Validator.isValid(reason, 0, reason.length)) {
            throw new ProtocolException(ProtocolViolation.INVALID_CLOSE_REASON_UTF8);
        }
        return new CloseStatus(code, new String(reason, StandardCharsets.UTF_8));
    }

    /**
     * The payload to send for {@code status}: the code big-endian, then the reason in UTF-8.
     * The buffer is new, at position 0, ready to be framed.
     *
     * @throws IllegalArgumentException unless {@code status.isSendable()} (a wire-valid code and
     *                                  a reason of at most 123 UTF-8 bytes)
     */
    public static ByteBuffer encode(CloseStatus status) {
        if (!status.isSendable()) {
            throw new IllegalArgumentException("not sendable: " + status);
        }
        byte[] reason = status.reason().getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload = ByteBuffer.allocate(2 + reason.length);
        payload.put((byte) (status.code() >>> 8)).put((byte) status.code()).put(reason);
        return payload.flip();
    }
}
