package dev.leanws;

import java.util.Objects;

/**
 * The peer broke the WebSocket protocol, so the connection was failed (RFC 6455 §7.1.7) with
 * the close status the RFC names for what it did: 1002 for framing, masking, reserved bits or
 * opcodes, control-frame rules, fragment order and close payloads; 1007 for invalid UTF-8;
 * 1009 for a frame or message over its limit. The {@link dev.leanws.event.ErrorEvent} of such
 * a connection carries this exception; its {@link dev.leanws.event.CloseEvent} has the cause
 * {@link CloseCause#PROTOCOL_VIOLATION} and the same {@link #closeStatus()}.
 *
 * <pre>{@code
 * server.events().subscribe(EventFilter.errors(), e -> {
 *     if (e.cause() instanceof ProtocolViolationException v) {
 *         log.info("{} sent {} ({}): {}", e.connection().id(), v.id(), v.closeStatus().code(), v.getMessage());
 *     }
 * });
 * }</pre>
 */
public final class ProtocolViolationException extends WebSocketException {

    private static final long serialVersionUID = 1L;

    private final String id;
    private final CloseStatus closeStatus;

    /**
     * @param id          a stable identifier of the kind of violation, e.g. {@code WS_RESERVED_BITS}
     * @param closeStatus the status the connection was closed with
     * @param message     what was wrong, for logs
     */
    public ProtocolViolationException(String id, CloseStatus closeStatus, String message) {
        super(message);
        this.id = Objects.requireNonNull(id, "id");
        this.closeStatus = Objects.requireNonNull(closeStatus, "closeStatus");
    }

    /**
     * A stable identifier of the kind of violation, e.g. {@code WS_RESERVED_BITS},
     * {@code WS_INVALID_UTF8}, {@code WS_MESSAGE_TOO_BIG}: the same for the same fault in every
     * release, so logs and tests may match on it (the message may change).
     */
    public String id() {
        return id;
    }

    /** The close status the connection was failed with (1002, 1007, 1009...). */
    public CloseStatus closeStatus() {
        return closeStatus;
    }
}
