package dev.leanws.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.leanws.CloseStatus;
import dev.leanws.testing.Hex;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClosePayloadTest {

    static ByteBuffer payload(int code, String reasonHex) {
        return Hex.buffer(String.format("%04x", code) + reasonHex);
    }

    @ParameterizedTest(name = "{0} valid={1}")
    @CsvSource({
        "0, false", "999, false",
        "1000, true", "1001, true", "1002, true", "1003, true",
        "1004, false", "1005, false", "1006, false",
        "1007, true", "1008, true", "1009, true", "1010, true", "1011, true",
        "1012, true", "1013, true", "1014, true", "1015, false", "1016, false",
        "1100, false", "2000, false", "2999, false",
        "3000, true", "3999, true", "4000, true", "4999, true",
        "5000, false", "32767, false", "32768, false", "65535, false"})
    void codeTable(int code, boolean valid) throws ProtocolException {
        ByteBuffer received = payload(code, "6279 65"); // "bye"
        if (valid) {
            assertEquals(new CloseStatus(code, "bye"), ClosePayload.parse(received));
            assertEquals(Hex.hex(received), Hex.hex(ClosePayload.encode(new CloseStatus(code, "bye"))));
        } else {
            ProtocolException e = assertThrows(ProtocolException.class, () -> ClosePayload.parse(received));
            assertEquals(ProtocolViolation.INVALID_CLOSE_CODE, e.violation());
            assertEquals(1002, e.closeCode());
            assertThrows(IllegalArgumentException.class, () -> ClosePayload.encode(new CloseStatus(code, "")));
        }
    }

    @Test
    void codesWithTheHighBitSetAreReadUnsigned() {
        // 0xFFFF read as a signed short is -1, 0x8000 is -32768: neither may pass any check.
        for (String hex : new String[] {"ffff", "8000", "fc18"}) { // fc18 = 64536 = -1000 as a short
            ProtocolException e = assertThrows(ProtocolException.class, () -> ClosePayload.parse(Hex.buffer(hex)));
            assertEquals(ProtocolViolation.INVALID_CLOSE_CODE, e.violation(), hex);
            assertEquals("close code not allowed on the wire: code=" + Integer.parseInt(hex, 16), e.getMessage());
        }
    }

    @Test
    void emptyPayloadIsNoStatus() throws ProtocolException {
        assertSame(CloseStatus.NO_STATUS, ClosePayload.parse(ByteBuffer.allocate(0)));
    }

    @Test
    void codeWithoutReason() throws ProtocolException {
        assertEquals(new CloseStatus(1000, ""), ClosePayload.parse(Hex.buffer("03e8")));
        assertEquals("03e8", Hex.hex(ClosePayload.encode(CloseStatus.NORMAL)));
    }

    @Test
    void oneBytePayloadIsAViolation() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> ClosePayload.parse(Hex.buffer("03")));
        assertEquals(ProtocolViolation.CLOSE_PAYLOAD_ONE_BYTE, e.violation());
        assertEquals(1002, e.closeCode());
    }

    @Test
    void invalidUtf8ReasonIs1007() {
        for (String reason : new String[] {"ff", "c0 80", "ed a0 80", "62 79 e2 82"}) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> ClosePayload.parse(payload(1000, reason)));
            assertEquals(ProtocolViolation.INVALID_CLOSE_REASON_UTF8, e.violation(), reason);
            assertEquals(1007, e.closeCode());
        }
    }

    @Test
    void multiByteReasonRoundTrips() throws ProtocolException {
        CloseStatus status = new CloseStatus(4001, "κόσμε 😀");
        assertEquals(status, ClosePayload.parse(ClosePayload.encode(status)));
    }

    @Test
    void reasonOf123BytesIsTheLongestThatEncodes() throws ProtocolException {
        String longest = "a".repeat(121) + "é"; // 121 + 2 = 123 UTF-8 bytes
        ByteBuffer encoded = ClosePayload.encode(new CloseStatus(1000, longest));
        assertEquals(125, encoded.remaining());
        assertEquals(0, encoded.position());
        assertEquals(longest, ClosePayload.parse(encoded).reason());
        assertThrows(IllegalArgumentException.class, () -> ClosePayload.encode(new CloseStatus(1000, "a".repeat(124))));
        assertThrows(IllegalArgumentException.class, () -> ClosePayload.encode(new CloseStatus(1000, "a".repeat(122) + "é")));
    }

    @Test
    void payloadLongerThanAControlFrameIsRefused() {
        ByteBuffer tooLong = payload(1000, "61".repeat(124));
        assertEquals(126, tooLong.remaining());
        ProtocolException e = assertThrows(ProtocolException.class, () -> ClosePayload.parse(tooLong));
        assertEquals(ProtocolViolation.CONTROL_FRAME_TOO_LONG, e.violation());
    }

    @Test
    void parseDoesNotMoveThePosition() throws ProtocolException {
        ByteBuffer buffer = Hex.buffer("00 03e8 6f6b");
        buffer.position(1);
        assertEquals(new CloseStatus(1000, "ok"), ClosePayload.parse(buffer));
        assertEquals(1, buffer.position());
    }
}
