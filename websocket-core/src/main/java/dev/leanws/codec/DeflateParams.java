package dev.leanws.codec;

import dev.leanws.DeflateConfig;

/**
 * The permessage-deflate parameters both ends agreed on (RFC 7692 §7.1), from the RFC's
 * point of view: the "server" values govern the server's compressor, the "client" values the
 * client's. An endpoint asks for its own side with {@link #ownNoContextTakeover} and friends.
 *
 * @param serverNoContextTakeover the server resets its compressor after each message
 * @param clientNoContextTakeover the client resets its compressor after each message
 * @param serverMaxWindowBits     the server compresses with matches at most 2^bits back
 * @param clientMaxWindowBits     the client compresses with matches at most 2^bits back
 */
public record DeflateParams(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
        int serverMaxWindowBits, int clientMaxWindowBits) {

    /** The RFC's defaults: context takeover both ways, 32 KiB windows. */
    public static final DeflateParams DEFAULTS = new DeflateParams(false, false, 15, 15);

    public DeflateParams {
        check(serverMaxWindowBits);
        check(clientMaxWindowBits);
    }

    private static void check(int bits) {
        if (bits < DeflateConfig.MIN_WINDOW_BITS || bits > DeflateConfig.MAX_WINDOW_BITS) {
            throw new IllegalArgumentException("window bits must be 8-15: " + bits);
        }
    }

    /** Whether the end that is {@code server} (or not) drops its compression context after each message. */
    public boolean noContextTakeover(boolean server) {
        return server ? serverNoContextTakeover : clientNoContextTakeover;
    }

    /** The window bits the end that is {@code server} (or not) compresses with. */
    public int maxWindowBits(boolean server) {
        return server ? serverMaxWindowBits : clientMaxWindowBits;
    }
}
