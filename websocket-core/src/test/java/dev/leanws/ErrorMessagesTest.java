package dev.leanws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Errors name what is wrong in one line: the close reason's length, the server's refusal. */
class ErrorMessagesTest {

    @Test
    void aTooLongReasonIsNamedAsSuchNotBlamedOnTheCode() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CloseStatus.of(1000, "x".repeat(200)));
        assertEquals("close reason is 200 UTF-8 bytes; at most 123 fit in a Close frame", e.getMessage());
        assertEquals(123, CloseStatus.of(1000, "é".repeat(61) + "x").reason().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    @Test
    void anUnsendableCodeSaysWhichCodesAre() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CloseStatus.of(1006, ""));
        assertEquals("close code 1006 cannot be sent: codes on the wire are 1000-1003, 1007-1014 and 3000-4999"
                + " (1005 and 1006 are only reported locally)", e.getMessage());
    }

    @Test
    void aRefusalShowsTheStatusAndOneLineOfTheBody() {
        String page = "<!DOCTYPE html>\n<html><head><title>Forbidden</title></head>\n<body>\n<h1>403 Forbidden</h1>\n"
                + "<p>You are not allowed here.</p>\n</body></html>\n";
        HandshakeException e = new HandshakeException(403, "server refused the upgrade: 403 Forbidden", Map.of(), page);
        assertEquals("server refused the upgrade: 403 Forbidden: Forbidden", e.getMessage());
        assertEquals(page, e.body(), "the whole start of the body stays available");
        HandshakeException longLine = new HandshakeException(400, "refused", Map.of(), "y".repeat(500));
        assertEquals("refused: " + "y".repeat(100) + "...", longLine.getMessage());
    }
}
