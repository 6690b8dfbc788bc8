package dev.leanws.handshake;

import dev.leanws.runtime.SlotPool;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
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
     * Cloned rather than looked up: {@code MessageDigest.getInstance} walks the provider list
     * and, on its way, gives the calling thread a thread-local map, which a connection's
     * virtual thread then keeps for its whole life (about 200 bytes per open connection, for
     * nothing).
     */
    private static final MessageDigest SHA1_PROTOTYPE = sha1();

    /** Length of a valid key: the base64 of 16 bytes. */
    private static final int KEY_LENGTH = 24;

    /**
     * Digests lent to one handshake at a time. A clone per handshake made about 600 bytes of
     * garbage (the digest, its buffers, SHA-1's 80-word schedule) plus the key's bytes and the
     * result's, on every connection; the heap pages that garbage touches are resident memory
     * (issue 16).
     */
    private static final SlotPool<Sha1> POOL = new SlotPool<>(8, Sha1::new);

    private AcceptKey() {
    }

    /**
     * {@code base64(SHA-1(key + GUID))}. The key is taken as sent, without trimming or
     * decoding (RFC 6455 §4.2.2 item 5.4).
     */
    public static String compute(String key) {
        Objects.requireNonNull(key, "key");
        if (key.length() != KEY_LENGTH || !isLatin1(key)) {
            // Only a client that sends an invalid key gets here (the server refuses it first).
            byte[] digest = newDigest().digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(digest);
        }
        Sha1 sha1 = POOL.take();
        String accept = sha1.accept(key);
        POOL.give(sha1);   // not after a failure: its state would be unknown
        return accept;
    }

    private static boolean isLatin1(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }

    /** A digest with the buffers of one accept computation; used by one thread at a time. */
    private static final class Sha1 {
        private final MessageDigest digest = newDigest();
        /** The key, then the GUID (written once). */
        private final byte[] input = new byte[KEY_LENGTH + GUID.length()];
        private final byte[] output = new byte[20];
        private final byte[] base64 = new byte[28];

        Sha1() {
            for (int i = 0; i < GUID.length(); i++) {
                input[KEY_LENGTH + i] = (byte) GUID.charAt(i);
            }
        }

        String accept(String key) {
            for (int i = 0; i < KEY_LENGTH; i++) {
                input[i] = (byte) key.charAt(i);   // ISO-8859-1: compute() sends anything else elsewhere
            }
            digest.update(input);
            try {
                digest.digest(output, 0, output.length);
            } catch (DigestException e) {
                throw new IllegalStateException("SHA-1 digest failed", e);   // a 20-byte buffer always fits
            }
            Base64.getEncoder().encode(output, base64);
            return new String(base64, StandardCharsets.ISO_8859_1);
        }
    }

    private static MessageDigest newDigest() {
        try {
            return (MessageDigest) SHA1_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return sha1();     // a provider whose digest cannot be cloned: look it up each time
        }
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
     * anything else). No whitespace: the parser already trimmed the header value. Checked in
     * place, without decoding: 16 bytes are 128 bits, 21 characters of 6 bits and 2 bits of the
     * 22nd, whose other 4 bits must be zero.
     */
    public static boolean isValidKey(String key) {
        if (key == null || key.length() != KEY_LENGTH || key.charAt(22) != '=' || key.charAt(23) != '=') {
            return false;
        }
        for (int i = 0; i < 22; i++) {
            if (base64Value(key.charAt(i)) < 0) {
                return false;
            }
        }
        return (base64Value(key.charAt(21)) & 0x0F) == 0;
    }

    /** The value of a character of the standard base64 alphabet (RFC 4648 §4), or -1. */
    private static int base64Value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '+' ? 62 : c == '/' ? 63 : -1;
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
