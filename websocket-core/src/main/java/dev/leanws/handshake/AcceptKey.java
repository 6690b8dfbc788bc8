package dev.leanws.handshake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The {@code Sec-WebSocket-Key} nonce and the {@code Sec-WebSocket-Accept} proof computed from
 * it (RFC 6455 §1.3, §4.1, §4.2.2).
 *
 * <p>The accept value proves the server read this handshake as WebSocket, not that anyone is
 * who they claim: it is the base64 of SHA-1(key + GUID). The key must be fresh and
 * unpredictable so that a cache or a confused server cannot replay an old 101 (§10.3).
 */
public final class AcceptKey {

    /** The GUID every WebSocket endpoint appends to the key (RFC 6455 §1.3). */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private static final SecureRandom STRONG = new SecureRandom();

    /**
     * Cloned per handshake rather than looked up: {@code MessageDigest.getInstance} walks the
     * provider list and, on its way, gives the calling thread a thread-local map, which a
     * connection's virtual thread then keeps for its whole life (about 200 bytes per open
     * connection, for nothing).
     */
    private static final MessageDigest SHA1_PROTOTYPE = sha1();

    private AcceptKey() {
    }

    /**
     * {@code base64(SHA-1(key + GUID))}. The key is taken as sent, without trimming or
     * decoding (RFC 6455 §4.2.2 item 5.4).
     */
    public static String compute(String key) {
        Objects.requireNonNull(key, "key");
        MessageDigest sha1;
        try {
            sha1 = (MessageDigest) SHA1_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            sha1 = sha1();     // a provider whose digest cannot be cloned: look it up each time
        }
        byte[] digest = sha1.digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
        return Base64.getEncoder().encodeToString(digest);
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-1 (MessageDigest Javadoc).
            throw new IllegalStateException("SHA-1 unavailable", e);
        }
    }

    /**
     * Whether {@code key} is the base64 encoding of exactly 16 bytes (RFC 6455 §4.1 item 7,
     * §11.3.1): 22 base64 characters then {@code ==}, in canonical form (the unused low bits of
     * the last character zero, as every encoder writes them; RFC 4648 §3.5 lets a decoder reject
     * anything else). No whitespace: the parser already trimmed the header value.
     */
    public static boolean isValidKey(String key) {
        if (key == null || key.length() != 24 || !key.endsWith("==")) {
            return false;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        return decoded.length == 16 && Base64.getEncoder().encodeToString(decoded).equals(key);
    }

    /** A new key: 16 bytes from {@code random}, base64-encoded. Use a strong source outside tests. */
    public static String newKey(RandomGenerator random) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** A new key from a shared {@link SecureRandom} (one handshake per connection: not a hot path). */
    public static String newKey() {
        return newKey(STRONG);
    }
}
