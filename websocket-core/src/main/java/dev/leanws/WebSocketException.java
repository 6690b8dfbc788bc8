package dev.leanws;

/** Base of the exceptions the library throws to applications (never for bad input from a peer). */
public class WebSocketException extends RuntimeException {
    public WebSocketException(String message) {
        super(message);
    }

    public WebSocketException(String message, Throwable cause) {
        super(message, cause);
    }
}
