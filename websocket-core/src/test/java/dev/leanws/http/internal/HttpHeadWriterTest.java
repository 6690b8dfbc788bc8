package dev.leanws.http.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Heads are written straight into bytes (issue 16: no builder, no intermediate string); the
 * bytes must be exactly what building the text and encoding it as ISO-8859-1 gives.
 */
class HttpHeadWriterTest {

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** The reference: the text of the head, encoded by the JDK. */
    private static byte[] reference(String startLine, HeaderFields headers, byte[] body) {
        StringBuilder sb = new StringBuilder(startLine).append("\r\n");
        headers.forEach((name, value) -> sb.append(name).append(": ").append(value).append("\r\n"));
        byte[] head = sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    @Test
    void responsesMatchTheEncodedTextWithAndWithoutReasonAndBody() {
        HeaderFields headers = HeaderFields.of("Upgrade", "websocket", "X-Latin", "caf\u00e9", "Empty", "");
        byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
        for (String reason : new String[] {"Switching Protocols", "", "\u00e9t\u00e9", "snow \u2603 and \ud83d\ude00"}) {
            for (byte[] b : new byte[][] {{}, body}) {
                String line = "HTTP/1.1 101" + (reason.isEmpty() ? "" : " " + reason);
                assertArrayEquals(reference(line, headers, b),
                        bytes(HttpHeadWriter.response(new HttpResponseHead("HTTP/1.1", 101, reason, headers), b)), reason);
            }
        }
    }

    @Test
    void requestsMatchTheEncodedTextEvenWithAnEmptyVersionOrCharactersBeyondLatin1() {
        HeaderFields headers = HeaderFields.of("Host", "example.com", "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        for (String target : new String[] {"/", "/chat?room=1", "/\u00fc", "/\ud83d\ude00x\u2603"}) {
            for (String version : new String[] {"HTTP/1.1", ""}) {
                assertArrayEquals(reference("GET " + target + " " + version, headers, new byte[0]),
                        bytes(HttpHeadWriter.request(new HttpRequestHead("GET", target, version, headers))),
                        target + " " + version);
            }
        }
    }
}
