package dev.leanws.http.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads one HTTP/1.1 message head (start line, header fields, empty line) from bytes that
 * arrive in any pieces, within hard limits.
 *
 * <pre>{@code
 * HttpHeadParser parser = new HttpHeadParser(16 * 1024, 100);
 * while (!parser.feed(buffer)) {      // consumes at most up to the end of the head
 *     buffer.compact(); channel.read(buffer); buffer.flip();
 * }
 * HttpRequestHead request = parser.request();
 * // buffer still holds whatever followed the head: the peer's first frames
 * }</pre>
 *
 * <p><b>Why incremental and bounded.</b> A peer controls how many bytes it sends and how
 * slowly. The limits are checked byte by byte as input is consumed, so a peer that never sends
 * the empty line is refused with 431 after {@code maxHeadBytes} bytes, having made the parser
 * hold at most one line of them. Only the current line is buffered; each header line is
 * checked and stored as soon as its CRLF arrives, so malformed input fails at its first bad
 * line, not at the end of the head.
 *
 * <p><b>Leftover bytes.</b> {@link #feed} stops right after the empty line that ends the head.
 * What follows stays in the caller's buffer: a client may pipeline its first frames behind the
 * request, and a server may send frames right behind its 101 (ws passes this {@code head} on
 * for the same reason).
 *
 * <p><b>Syntax choices</b> (strict RFC 7230, because lenient HTTP parsing is where request
 * smuggling and header injection live):
 * <ul>
 *   <li>Lines end with CRLF. A bare LF or a bare CR is refused with 400. RFC 7230 §3.5 allows
 *       a recipient to accept a bare LF; no WebSocket client needs that, and accepting it would
 *       make us disagree with a stricter proxy in front of us about where the head ends.</li>
 *   <li>Empty lines before the start line are skipped (RFC 7230 §3.5 SHOULD), within the
 *       byte limit.</li>
 *   <li>A line starting with SP or HTAB (obs-fold, or whitespace before the first header) is
 *       refused with 400 (RFC 7230 §3.2.4 allows rejecting; we never need folded values).</li>
 *   <li>Header bytes are decoded as ISO-8859-1 (RFC 7230 §3.2.4: field contents are octets;
 *       anything else is opaque), values are trimmed of SP/HTAB.</li>
 *   <li>The version must read {@code HTTP/d.d}; otherwise 400. A well-formed version whose
 *       major number is not 1 gets 505 (RFC 7231 §6.6.6): the peer speaks HTTP, just not ours.
 *       HTTP/1.0 parses; the handshake refuses it.</li>
 * </ul>
 * There is one byte limit for the whole head; a single line is limited by it too (431 either
 * way). Not thread-safe; one parser per head.
 */
public final class HttpHeadParser {

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final int maxHeadBytes;
    private final int maxHeaderCount;

    private byte[] line;
    private int lineLength;
    private int consumed;
    private boolean sawCR;
    private boolean complete;
    /** The start line's bytes, decoded only into the parts a request or response needs. */
    private byte[] startLine;
    private final HeaderFields headers = new HeaderFields();

    /**
     * @param maxHeadBytes   most bytes the head may take, CRLFs and the final empty line included
     * @param maxHeaderCount most header fields it may hold
     */
    public HttpHeadParser(int maxHeadBytes, int maxHeaderCount) {
        this(maxHeadBytes, maxHeaderCount, null);
    }

    /**
     * A parser that starts with {@code lineBuffer} for the current line instead of a new
     * array, for a caller that reuses one across requests (the server, which would otherwise
     * allocate it for every connection). The parser writes into it only until the head is
     * complete or it failed, and never keeps it beyond that; it may outgrow it into an array
     * of its own.
     *
     * @param lineBuffer a buffer the caller does not touch while this parser runs, or null
     */
    public HttpHeadParser(int maxHeadBytes, int maxHeaderCount, byte[] lineBuffer) {
        if (maxHeadBytes < 16) {
            throw new IllegalArgumentException("maxHeadBytes too small: " + maxHeadBytes);
        }
        if (maxHeaderCount < 0) {
            throw new IllegalArgumentException("maxHeaderCount must be >= 0: " + maxHeaderCount);
        }
        this.maxHeadBytes = maxHeadBytes;
        this.maxHeaderCount = maxHeaderCount;
        this.line = lineBuffer != null && lineBuffer.length > 0 ? lineBuffer : new byte[Math.min(256, maxHeadBytes)];
    }

    /**
     * Consumes bytes from {@code in} up to and including the end of the head, and no further.
     * Once it has returned {@code true} it consumes nothing more and keeps returning {@code true}.
     * After an exception the parser is unusable.
     *
     * @return whether the head is complete
     * @throws HttpParseException 431 past a limit, 400 for a malformed line
     */
    public boolean feed(ByteBuffer in) throws HttpParseException {
        while (!complete && in.hasRemaining()) {
            if (consumed == maxHeadBytes) {
                throw new HttpParseException(431, "HTTP head larger than " + maxHeadBytes + " bytes");
            }
            byte b = in.get();
            consumed++;
            if (sawCR) {
                if (b != LF) {
                    throw new HttpParseException(400, "CR not followed by LF (RFC 7230 §3.5)");
                }
                sawCR = false;
                endOfLine();
            } else if (b == CR) {
                sawCR = true;
            } else if (b == LF) {
                throw new HttpParseException(400, "line ends with a bare LF; CRLF required (RFC 7230 §3.5)");
            } else {
                append(b);
            }
        }
        return complete;
    }

    /** Whether the whole head has been consumed. */
    public boolean isComplete() {
        return complete;
    }

    /** Bytes consumed so far, the terminating empty line included. */
    public int consumedBytes() {
        return consumed;
    }

    /**
     * The head as a request.
     *
     * @throws HttpParseException   400 for a malformed request line, 505 for a major version other than 1
     * @throws IllegalStateException if the head is not complete
     */
    public HttpRequestHead request() throws HttpParseException {
        byte[] s = requireStartLine();
        // RFC 7230 §3.1.1: request-line = method SP request-target SP HTTP-version, single spaces.
        int sp1 = 0;
        while (sp1 < s.length && s[sp1] != ' ') {
            sp1++;
        }
        int sp2 = s.length - 1;
        while (sp2 >= 0 && s[sp2] != ' ') {
            sp2--;
        }
        if (sp1 == s.length || sp1 == 0 || sp2 == sp1) {
            throw new HttpParseException(400, "malformed request line: " + quote(new String(s, StandardCharsets.ISO_8859_1)));
        }
        String method = KnownStrings.decode(s, 0, sp1);
        String target = KnownStrings.decode(s, sp1 + 1, sp2 - sp1 - 1);
        String version = KnownStrings.decode(s, sp2 + 1, s.length - sp2 - 1);
        if (!Tokens.isToken(method)) {
            throw new HttpParseException(400, "method is not a token: " + quote(method));
        }
        if (target.isEmpty() || !isVisibleAscii(target)) {
            throw new HttpParseException(400, "malformed request target: " + quote(target));
        }
        checkVersion(version);
        return new HttpRequestHead(method, target, version, headers.readOnlyView());
    }

    /**
     * The head as a response. A missing reason phrase after the status code ({@code HTTP/1.1 101})
     * is accepted: servers in the wild omit it and nothing becomes ambiguous.
     *
     * @throws HttpParseException   400 for a malformed status line, 505 for a major version other than 1
     * @throws IllegalStateException if the head is not complete
     */
    public HttpResponseHead response() throws HttpParseException {
        String s = new String(requireStartLine(), StandardCharsets.ISO_8859_1);
        // RFC 7230 §3.1.2: status-line = HTTP-version SP status-code SP reason-phrase
        int sp = s.indexOf(' ');
        if (sp < 0 || s.length() < sp + 4 || (s.length() > sp + 4 && s.charAt(sp + 4) != ' ')) {
            throw new HttpParseException(400, "malformed status line: " + quote(s));
        }
        String version = s.substring(0, sp);
        String code = s.substring(sp + 1, sp + 4);
        if (!code.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new HttpParseException(400, "malformed status code: " + quote(code));
        }
        String reason = s.length() > sp + 4 ? s.substring(sp + 5) : "";
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                throw new HttpParseException(400, "control character in reason phrase");
            }
        }
        checkVersion(version);
        return new HttpResponseHead(version, Integer.parseInt(code), reason, headers.readOnlyView());
    }

    private void append(byte b) {
        if (lineLength == line.length) {
            // Never larger than the head limit: consumed bytes are checked first.
            line = Arrays.copyOf(line, Math.min(line.length * 2, maxHeadBytes));
        }
        line[lineLength++] = b;
    }

    private void endOfLine() throws HttpParseException {
        int length = lineLength;
        lineLength = 0;
        if (startLine == null) {
            if (length > 0) {
                startLine = Arrays.copyOf(line, length);
            }
            return; // RFC 7230 §3.5: empty lines before the start line are ignored
        }
        if (length == 0) {
            complete = true;
            line = null;
            return;
        }
        if (headers.size() == maxHeaderCount) {
            throw new HttpParseException(431, "more than " + maxHeaderCount + " header fields");
        }
        parseField(length);
    }

    /** RFC 7230 §3.2: header-field = field-name ":" OWS field-value OWS */
    private void parseField(int length) throws HttpParseException {
        if (line[0] == ' ' || line[0] == '\t') {
            throw new HttpParseException(400, "line starts with whitespace (obs-fold is not accepted, RFC 7230 §3.2.4)");
        }
        int colon = 0;
        while (colon < length && line[colon] != ':') {
            colon++;
        }
        if (colon == length) {
            throw new HttpParseException(400, "header line without a colon: " + quote(decode(0, length)));
        }
        for (int i = 0; i < colon; i++) {
            int c = line[i] & 0xFF;
            if (!Tokens.isTokenChar(c)) {
                // RFC 7230 §3.2.4: whitespace between field-name and colon MUST be rejected with 400
                throw new HttpParseException(400, (c == ' ' || c == '\t')
                        ? "whitespace before the colon of header " + quote(decode(0, colon).strip())
                        : "header name is not a token: " + quote(decode(0, colon)));
            }
        }
        if (colon == 0) {
            throw new HttpParseException(400, "empty header name");
        }
        int start = colon + 1;
        int end = length;
        while (start < end && isOws(line[start])) {
            start++;
        }
        while (end > start && isOws(line[end - 1])) {
            end--;
        }
        for (int i = start; i < end; i++) {
            int c = line[i] & 0xFF;
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                throw new HttpParseException(400, String.format(
                        "control character 0x%02X in header %s", c, decode(0, colon)));
            }
        }
        headers.add(KnownStrings.decode(line, 0, colon), KnownStrings.decode(line, start, end - start));
    }

    private byte[] requireStartLine() {
        if (!complete) {
            throw new IllegalStateException("the head is not complete");
        }
        return startLine;
    }

    /** RFC 7230 §2.6: HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive. */
    private static void checkVersion(String version) throws HttpParseException {
        if (version.length() != 8 || !version.startsWith("HTTP/") || !isDigit(version.charAt(5))
                || version.charAt(6) != '.' || !isDigit(version.charAt(7))) {
            throw new HttpParseException(400, "malformed HTTP version: " + quote(version));
        }
        if (version.charAt(5) != '1') {
            throw new HttpParseException(505, "HTTP version not supported: " + version);
        }
    }

    private String decode(int offset, int length) {
        return new String(line, offset, length, StandardCharsets.ISO_8859_1);
    }

    private static boolean isOws(byte b) {
        return b == ' ' || b == '\t';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isVisibleAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return false;
            }
        }
        return true;
    }

    private static String quote(String s) {
        return Tokens.quote(s);
    }
}
