package dev.leanws.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RESP2 byte for byte, as in the protocol specification's examples. */
class RespTest {

    private static Object read(String wire, int maxBulk) throws IOException {
        return Resp.read(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)), maxBulk);
    }

    @Test
    void aCommandIsAnArrayOfBulkStrings() {
        assertEquals("*3\r\n$7\r\nPUBLISH\r\n$2\r\nch\r\n$0\r\n\r\n",
                new String(Resp.command("PUBLISH", "ch", ""), StandardCharsets.ISO_8859_1));
    }

    @Test
    void everyReplyType() throws IOException {
        assertEquals("OK", read("+OK\r\n", 10));
        assertEquals(new Resp.Error("WRONGPASS invalid"), read("-WRONGPASS invalid\r\n", 10));
        assertEquals(42L, read(":42\r\n", 10));
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), (byte[]) read("$5\r\nhello\r\n", 10));
        assertNull(read("$-1\r\n", 10));
        List<?> push = (List<?>) read("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$3\r\n\r\n\0\r\n", 10);
        assertEquals("message", Resp.describe(push.get(0)));
        assertArrayEquals(new byte[] {'\r', '\n', 0}, (byte[]) push.get(2), "bulk strings are binary-safe");
    }

    @Test
    void limitsAndTruncationAreErrors() {
        assertThrows(IOException.class, () -> read("$11\r\nhello world\r\n", 10), "bulk over the limit");
        assertThrows(IOException.class, () -> read("*2000\r\n", 10), "array over the limit");
        assertThrows(IOException.class, () -> read("*1\r\n*1\r\n:1\r\n", 10), "nested arrays");
        assertInstanceOf(EOFException.class, assertThrows(IOException.class, () -> read("$5\r\nhel", 10)));
        assertThrows(IOException.class, () -> read("?what\r\n", 10));
        assertThrows(IOException.class, () -> read(":x\r\n", 10));
    }
}
