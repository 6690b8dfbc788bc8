package dev.leanws.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AcceptKeyTest {

    @Test
    void rfcSampleKey() {
        // RFC 6455 §1.3 (and §4.2.2). The value "s3pPLMBiTxaQ9kvzbeZ+K3Ptoo=" quoted in the issue is
        // 27 characters long, which no base64 of a 20-byte SHA-1 can be; the RFC's value is this one,
        // and Python's hashlib agrees.
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", AcceptKey.compute("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void acceptIsBase64OfTwentyBytes() {
        assertEquals(20, Base64.getDecoder().decode(AcceptKey.compute(AcceptKey.newKey())).length);
    }

    @Test
    void keyIsTakenAsSentNotTrimmedOrDecoded() {
        assertNotEquals(AcceptKey.compute("dGhlIHNhbXBsZSBub25jZQ=="), AcceptKey.compute(" dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void rfcSampleKeyIsValid() {
        assertTrue(AcceptKey.isValidKey("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            "dGhlIHNhbXBsZSBub25j",         // 15 bytes
            "dGhlIHNhbXBsZSBub25jZQ",       // 16 bytes without padding
            "dGhlIHNhbXBsZSBub25jZQ=",      // one pad
            "dGhlIHNhbXBsZSBub25jZXg=",     // 17 bytes: 24 characters, one pad
            "dGhlIHNhbXBsZSBub25jZXh4",     // 18 bytes: 24 characters, no pad
            "dGhlIHNhbXBsZSBub25jZQ!=",     // not base64
            "dGhlIHNhbXBsZSBub25jZQ-=",     // URL-safe alphabet
            "dGhlIHNhbXBsZSBub25jZ_==",     // URL-safe alphabet
            "dGhlIHNhbXBsZSBub25jZR==",     // non-canonical: low bits of the last character set
            "dGhlIHNhbXBsZSBub25jZQ== ",    // trailing space
            "dGhlIHNhbXBsZSBub25j ZQ=",     // inner space
            "========================",
            "dGhlIHNhbXBsZSBub25jZQ==dGhlIHNhbXBsZSBub25jZQ==",
    })
    void invalidKeys(String key) {
        assertFalse(AcceptKey.isValidKey(key), key);
    }

    @Test
    void fifteenAndSeventeenByteKeysAreRefused() {
        assertFalse(AcceptKey.isValidKey(Base64.getEncoder().encodeToString(new byte[15])));
        assertFalse(AcceptKey.isValidKey(Base64.getEncoder().encodeToString(new byte[17])));
        assertTrue(AcceptKey.isValidKey(Base64.getEncoder().encodeToString(new byte[16])));
    }

    @Test
    void newKeysAreValidAndFresh() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String key = AcceptKey.newKey();
            assertTrue(AcceptKey.isValidKey(key), key);
            keys.add(key);
        }
        assertEquals(1000, keys.size());
    }

    @Test
    void newKeyUsesTheGivenSource() {
        assertEquals(AcceptKey.newKey(new SplittableRandom(7)), AcceptKey.newKey(new SplittableRandom(7)));
        assertEquals("AAAAAAAAAAAAAAAAAAAAAA==", AcceptKey.newKey(() -> 0L));
    }
}
