package dev.leanws.http.internal;

/**
 * An HTTP message head, or a header the handshake reads, is malformed or too large. Carries the
 * status a server answers with:
 * <ul>
 *   <li>400 Bad Request: the syntax breaks RFC 7230 (or a handshake header's grammar);</li>
 *   <li>431 Request Header Fields Too Large (RFC 6585 §5): the head passed its byte limit or
 *       its header count limit;</li>
 *   <li>505 HTTP Version Not Supported (RFC 7231 §6.6.6): a well-formed version whose major
 *       number is not 1.</li>
 * </ul>
 * A client reading a response has no one to answer; it reports the failure instead.
 *
 * <p>Checked, because malformed input from a peer is an expected outcome the caller must
 * handle, not a bug. No stack trace is filled in: the message says everything.
 */
public final class HttpParseException extends Exception {

    private final int status;

    public HttpParseException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** The HTTP status to answer with: 400, 431 or 505. */
    public int status() {
        return status;
    }
}
