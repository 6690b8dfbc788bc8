package dev.leanws;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A WebSocket close status: the code and the reason of a Close frame (RFC 6455 §5.5.1, §7.4).
 *
 * <p>Codes that may appear on the wire are 1000-1003, 1007-1014 and 3000-4999 (see
 * {@link #isValidOnWire(int)}). 1005 ({@link #NO_STATUS}) and 1006 ({@link #ABNORMAL}) are only
 * ever reported locally: 1005 when the peer's Close frame carried no code, 1006 when the
 * connection ended without a closing handshake.
 *
 * <pre>{@code
 * connection.close(CloseStatus.GOING_AWAY.withReason("server restart"));
 * connection.close(CloseStatus.of(4001, "session expired"));     // an application code
 * }</pre>
 *
 * @param code   the close code
 * @param reason the reason text, never null (may be empty)
 */
public record CloseStatus(int code, String reason) {

    /** The longest reason, in UTF-8 bytes, that fits a control frame next to the 2-byte code. */
    public static final int MAX_REASON_BYTES = 123;

    public static final CloseStatus NORMAL = new CloseStatus(1000, "");
    public static final CloseStatus GOING_AWAY = new CloseStatus(1001, "");
    public static final CloseStatus PROTOCOL_ERROR = new CloseStatus(1002, "");
    public static final CloseStatus UNSUPPORTED_DATA = new CloseStatus(1003, "");
    /** Reported when a Close frame had no status code; never sent. */
    public static final CloseStatus NO_STATUS = new CloseStatus(1005, "");
    /** Reported when the connection ended without a closing handshake; never sent. */
    public static final CloseStatus ABNORMAL = new CloseStatus(1006, "");
    public static final CloseStatus INVALID_PAYLOAD = new CloseStatus(1007, "");
    public static final CloseStatus POLICY_VIOLATION = new CloseStatus(1008, "");
    public static final CloseStatus MESSAGE_TOO_BIG = new CloseStatus(1009, "");
    public static final CloseStatus MANDATORY_EXTENSION = new CloseStatus(1010, "");
    public static final CloseStatus INTERNAL_ERROR = new CloseStatus(1011, "");
    /** The server is restarting; the client may reconnect (IANA registry). */
    public static final CloseStatus SERVICE_RESTART = new CloseStatus(1012, "");
    /** The server is overloaded; the client should retry later (IANA registry). */
    public static final CloseStatus TRY_AGAIN_LATER = new CloseStatus(1013, "");

    public CloseStatus {
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * Whether {@code code} may be carried by a Close frame: 1000-1003, 1007-1011 (defined by
     * RFC 6455 §7.4.1), 1012-1014 (added to the IANA registry since: service restart, try again
     * later, bad gateway; browsers and Node's ws accept them) and 3000-4999 (registered and
     * private use, §7.4.2). Everything else, including 1004-1006, 1015 and 0-999, is a protocol
     * error when received.
     */
    public static boolean isValidOnWire(int code) {
        return (code >= 1000 && code <= 1003)
                || (code >= 1007 && code <= 1014)
                || (code >= 3000 && code <= 4999);
    }

    /** Whether this status can be sent: a wire-valid code and a reason of at most 123 UTF-8 bytes. */
    public boolean isSendable() {
        return isValidOnWire(code) && reason.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES;
    }

    /**
     * A status to close with, checked: {@code CloseStatus.of(4001, "session expired")}.
     *
     * @throws IllegalArgumentException unless it {@link #isSendable() can be sent}; the message
     *                                  says whether the code or the reason's length is wrong
     */
    public static CloseStatus of(int code, String reason) {
        return new CloseStatus(code, reason).requireSendable();
    }

    /** This code with another reason: {@code CloseStatus.GOING_AWAY.withReason("maintenance")}. */
    public CloseStatus withReason(String newReason) {
        return new CloseStatus(code, newReason);
    }

    /**
     * This status, if it can be sent.
     *
     * @throws IllegalArgumentException naming what is wrong: the code, or the reason's length
     */
    public CloseStatus requireSendable() {
        if (!isValidOnWire(code)) {
            throw new IllegalArgumentException("close code " + code + " cannot be sent: codes on the wire are "
                    + "1000-1003, 1007-1014 and 3000-4999 (1005 and 1006 are only reported locally)");
        }
        int bytes = reason.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_REASON_BYTES) {
            throw new IllegalArgumentException("close reason is " + bytes + " UTF-8 bytes; at most " + MAX_REASON_BYTES
                    + " fit in a Close frame");
        }
        return this;
    }

    @Override
    public String toString() {
        return reason.isEmpty() ? Integer.toString(code) : code + " " + reason;
    }
}
