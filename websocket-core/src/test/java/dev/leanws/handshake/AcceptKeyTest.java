package dev.leanws.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

    /** The definition the in-place check replaced: decodes to 16 bytes and re-encodes to itself. */
    private static boolean decodesCanonicallyTo16Bytes(String key) {
        try {
            byte[] decoded = Base64.getDecoder().decode(key);
            return decoded.length == 16 && Base64.getEncoder().encodeToString(decoded).equals(key);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Test
    void validityAgreesWithDecodingAndReEncodingOnEveryLastCharacterAndAlphabetEdge() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=! \u00e9";
        String prefix = "dGhlIHNhbXBsZSBub25j";   // 20 characters
        int valid = 0;
        for (char c21 : alphabet.toCharArray()) {
            for (char c22 : alphabet.toCharArray()) {
                String key = prefix + c21 + c22 + "==";
                assertEquals(decodesCanonicallyTo16Bytes(key), AcceptKey.isValidKey(key), key);
                valid += AcceptKey.isValidKey(key) ? 1 : 0;
            }
        }
        assertEquals(64 * 4, valid);   // any 21st character, and the 22nd with its low 4 bits zero
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 20_000; i++) {
            char[] chars = new char[24];
            for (int j = 0; j < 24; j++) {
                chars[j] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            String key = random.nextBoolean() ? new String(chars, 0, 22) + "==" : new String(chars);
            assertEquals(decodesCanonicallyTo16Bytes(key), AcceptKey.isValidKey(key), key);
        }
    }

    @Test
    void pooledDigestsGiveTheReferenceAnswerFromManyThreadsAtOnce() throws Exception {
        MessageDigest reference = MessageDigest.getInstance("SHA-1");
        List<String> keys = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            String key = AcceptKey.newKey(new SplittableRandom(i));
            keys.add(key);
            expected.add(Base64.getEncoder().encodeToString(reference.digest(
                    (key + AcceptKey.GUID).getBytes(StandardCharsets.ISO_8859_1))));
        }
        // More threads than the pool has slots, so digests are taken, cloned anew and given back
        // concurrently: a digest shared by two handshakes would mix their keys.
        try (var pool = Executors.newFixedThreadPool(12)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 12; t++) {
                results.add(pool.submit(() -> {
                    int wrong = 0;
                    for (int round = 0; round < 20; round++) {
                        for (int i = 0; i < keys.size(); i++) {
                            wrong += AcceptKey.compute(keys.get(i)).equals(expected.get(i)) ? 0 : 1;
                        }
                    }
                    return wrong;
                }));
            }
            for (var r : results) {
                assertEquals(0, r.get());
            }
        }
        // A key of 24 characters beyond ISO-8859-1 (a surrogate pair encodes as one '?') is
        // computed as the encoder would, like a key of another length (only a client sending
        // an invalid key gets either): the unpooled path.
        String odd = "dGhlIHNhbXBsZSBub25j\ud83d\ude00==";
        assertEquals(24, odd.length());
        assertEquals(Base64.getEncoder().encodeToString(reference.digest((odd + AcceptKey.GUID)
                .getBytes(StandardCharsets.ISO_8859_1))), AcceptKey.compute(odd));
        // A key of another length (only a client sending an invalid key) takes the unpooled path.
        assertEquals(Base64.getEncoder().encodeToString(reference.digest(("abc" + AcceptKey.GUID)
                .getBytes(StandardCharsets.ISO_8859_1))), AcceptKey.compute("abc"));
    }
}
