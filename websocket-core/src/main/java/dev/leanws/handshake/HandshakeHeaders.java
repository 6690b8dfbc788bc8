package dev.leanws.handshake;

import dev.leanws.http.internal.HeaderFields;
import java.util.Optional;

/**
 * Names and fixed values of the opening-handshake headers (RFC 6455 §4, §11.3), and the checks
 * on how often a header appears that both sides share, so server refusals and client failures
 * name the header the same way (the JDK's {@code OpeningHandshake} requireSingle style).
 */
public final class HandshakeHeaders {

    public static final String HOST = "Host";
    public static final String UPGRADE = "Upgrade";
    public static final String CONNECTION = "Connection";
    public static final String SEC_WEBSOCKET_KEY = "Sec-WebSocket-Key";
    public static final String SEC_WEBSOCKET_ACCEPT = "Sec-WebSocket-Accept";
    public static final String SEC_WEBSOCKET_VERSION = "Sec-WebSocket-Version";
    public static final String SEC_WEBSOCKET_PROTOCOL = "Sec-WebSocket-Protocol";
    public static final String SEC_WEBSOCKET_EXTENSIONS = "Sec-WebSocket-Extensions";
    public static final String ALLOW = "Allow";
    public static final String CONTENT_LENGTH = "Content-Length";
    public static final String CONTENT_TYPE = "Content-Type";
    public static final String TRANSFER_ENCODING = "Transfer-Encoding";

    /** The {@code Upgrade} token of the WebSocket protocol (RFC 6455 §11.2), matched ignoring case. */
    public static final String WEBSOCKET = "websocket";
    /** The {@code Connection} option that asks for the upgrade (RFC 7230 §6.7), matched ignoring case. */
    public static final String UPGRADE_TOKEN = "Upgrade";
    /** The only protocol version this library speaks (RFC 6455 §4.1 item 9). */
    public static final String VERSION_13 = "13";

    private HandshakeHeaders() {
    }

    /** Why {@code name} does not appear exactly once, or empty if it does. */
    static Optional<String> notSingle(HeaderFields headers, String name) {
        int n = headers.count(name);
        if (n == 1) {
            return Optional.empty();
        }
        return Optional.of(n == 0 ? missing(name) : repeated(name, n));
    }

    /** Why {@code name} appears more than once, or empty if it appears at most once. */
    static Optional<String> moreThanOne(HeaderFields headers, String name) {
        int n = headers.count(name);
        return n <= 1 ? Optional.empty() : Optional.of(repeated(name, n));
    }

    static String missing(String name) {
        return name + " header missing";
    }

    private static String repeated(String name, int times) {
        return name + " header appears " + times + " times; expected once";
    }
}
