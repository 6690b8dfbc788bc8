package dev.leanws;

/**
 * A message was not written: the send was refused (the connection is closing, or the outbound
 * budget is full under the connection's {@link BackpressurePolicy}) or the connection ended
 * before the message was written. The future of {@link WebSocket#sendAsync(String)} completes
 * exceptionally with it.
 *
 * <pre>{@code
 * ws.sendAsync(update).whenComplete((ok, failure) -> {
 *     if (failure != null) log.info("{} missed an update: {}", ws.id(), failure.getMessage());
 * });
 * }</pre>
 */
public final class SendFailedException extends WebSocketException {

    private static final long serialVersionUID = 1L;

    public SendFailedException(String message) {
        super(message);
    }

    public SendFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
