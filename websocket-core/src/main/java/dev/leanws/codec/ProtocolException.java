package dev.leanws.codec;

import dev.leanws.CloseStatus;
import dev.leanws.ProtocolViolationException;

/**
 * A peer broke the protocol. Carries the {@link ProtocolViolation} (and so the close code) and
 * a detail for logs. Thrown by the codec for bad input instead of any other exception (the
 * role FailWebSocketException plays in the JDK's client: RFC 6455 §7.1.7 "Fail the WebSocket
 * Connection").
 */
public final class ProtocolException extends Exception {

    private final ProtocolViolation violation;

    public ProtocolException(ProtocolViolation violation, String detail) {
        super(violation.description() + (detail == null || detail.isEmpty() ? "" : ": " + detail), null, false, false);
        this.violation = violation;
    }

    public ProtocolException(ProtocolViolation violation) {
        this(violation, null);
    }

    public ProtocolViolation violation() {
        return violation;
    }

    /** The close code to answer with. */
    public int closeCode() {
        return violation.closeCode();
    }

    /** The close status to answer with: the code and a short ASCII reason of at most 123 bytes. */
    public CloseStatus closeStatus() {
        return new CloseStatus(closeCode(), closeReason());
    }

    /** This violation as the exported exception applications see in error events. */
    public ProtocolViolationException toPublic() {
        return new ProtocolViolationException(violation.id(), closeStatus(), getMessage());
    }

    /** The reason to put in the Close frame: short, ASCII, at most 123 bytes. */
    public String closeReason() {
        String d = violation.description();
        return d.length() <= CloseStatus.MAX_REASON_BYTES ? d : d.substring(0, CloseStatus.MAX_REASON_BYTES);
    }
}
