package dev.leanws.codec;

/**
 * Where a client gets the masking key of each frame it sends.
 *
 * <p>RFC 6455 §5.3: the key "MUST be derived from a strong source of entropy" and the key of
 * the next frame must not be predictable from the frames already sent; §10.3 explains why
 * (an attacker who can predict the key can make the masked bytes look like an HTTP request to
 * a proxy in the middle). So production code uses {@link #secure()}; tests inject a fixed
 * source ({@code () -> 0x37fa213d}) to get the RFC's byte-for-byte examples.
 *
 * <p>Any int is a valid key, 0 included: a zero key masks nothing, but the frame still carries
 * the MASK bit and the key. Callers must never treat 0 as "do not mask".
 */
@FunctionalInterface
public interface MaskKeySource {

    /** The key for the next frame. Implementations used by several threads must be thread-safe. */
    int nextKey();

    /**
     * Thread-safe, unpredictable keys (RFC 6455 §5.3 / §10.3) drawn from a pool that a
     * {@link java.security.SecureRandom} (the JDK's DRBG) fills in blocks of 8 KiB, as Node's ws
     * does, so a frame costs an atomic increment and an array read instead of a
     * {@code SecureRandom} call. Each key is handed out once. One pool is shared by the whole
     * process: a pool per connection would cost 8 KiB per idle connection for nothing.
     */
    static MaskKeySource secure() {
        return SecureMaskKeys.SHARED;
    }
}
