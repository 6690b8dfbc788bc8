package dev.leanws.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.testing.DeflateReader;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compressor's output against two independent decoders: the JDK's {@link Inflater} (as a
 * peer would decode it) and {@link DeflateReader}, which proves the window was honoured: no
 * match reaches further back than 2^bits, and without context takeover none reaches into an
 * earlier message.
 */
class MessageDeflaterTest {

    static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    /** JSON-like messages with repeats near and far, of sizes around every chunk boundary. */
    static List<byte[]> messages() {
        Random random = new Random(7);
        List<byte[]> out = new ArrayList<>();
        for (int size : new int[] {1, 17, 128, 129, 300, 1000, 5000, 40000, 70000}) {
            StringBuilder sb = new StringBuilder();
            while (sb.length() < size) {
                sb.append("{\"id\":").append(random.nextInt(1000)).append(",\"name\":\"user")
                        .append(random.nextInt(50)).append("\",\"tags\":[\"a\",\"b\"]}");
            }
            out.add(sb.substring(0, size).getBytes(StandardCharsets.US_ASCII));
        }
        return out;
    }

    static List<Arguments> windows() {
        List<Arguments> args = new ArrayList<>();
        for (int bits = 8; bits <= 15; bits++) {
            args.add(Arguments.of(bits, false));
            args.add(Arguments.of(bits, true));
        }
        return args;
    }

    @ParameterizedTest(name = "window {0} bits, no context takeover {1}")
    @MethodSource("windows")
    void roundTripKeepsToTheWindow(int bits, boolean noContextTakeover) throws DataFormatException {
        MessageDeflater deflater = new MessageDeflater(6, bits, noContextTakeover);
        Inflater jdk = new Inflater(true);
        DeflateReader reader = new DeflateReader();
        for (byte[] message : messages()) {
            byte[] compressed = bytes(deflater.compress(ByteBuffer.wrap(message)));
            byte[] withTail = concat(compressed, TAIL);
            if (noContextTakeover) {
                jdk.reset();
                reader.reset();   // a reference into an earlier message would now be "too far back"
            }
            assertArrayEquals(message, inflate(jdk, withTail), "JDK inflater, " + message.length + " bytes");
            assertArrayEquals(message, reader.read(withTail), "independent decoder, " + message.length + " bytes");
        }
        assertTrue(reader.maxDistance() <= 1 << bits, "distance " + reader.maxDistance() + " > window " + (1 << bits));
        jdk.end();
        deflater.release();
    }

    @Test
    void theWindowTestCanFail() {
        // The same data through the 15-bit path reaches far beyond 512 bytes: the bound above is earned.
        MessageDeflater deflater = new MessageDeflater(6, 15, false);
        DeflateReader reader = new DeflateReader();
        for (byte[] message : messages()) {
            reader.read(concat(bytes(deflater.compress(ByteBuffer.wrap(message))), TAIL));
        }
        assertTrue(reader.maxDistance() > 512, "max distance " + reader.maxDistance());
    }

    @Test
    void contextTakeoverRefersToEarlierMessages() {
        byte[] message = messages().get(6);
        MessageDeflater keep = new MessageDeflater(6, 15, false);
        MessageDeflater reset = new MessageDeflater(6, 15, true);
        keep.compress(ByteBuffer.wrap(message));
        reset.compress(ByteBuffer.wrap(message));
        int again = keep.compress(ByteBuffer.wrap(message)).remaining();
        int fresh = reset.compress(ByteBuffer.wrap(message)).remaining();
        assertTrue(again < fresh / 4, "with takeover the repeat costs " + again + " bytes, without " + fresh);
    }

    @Test
    void emptyMessageIsOneZeroByteAndTheTailIsRemoved() throws DataFormatException {
        MessageDeflater deflater = new MessageDeflater(6, 15, false);
        ByteBuffer c = deflater.compress(ByteBuffer.allocate(0));
        assertEquals(1, c.remaining());
        assertEquals(0, c.get(0));   // RFC 7692 §7.2.3.6
        Inflater jdk = new Inflater(true);
        assertEquals(0, inflate(jdk, concat(bytes(c), TAIL)).length);
        // Again, right after a flush (zlib then produces nothing at all), and after a message.
        assertEquals(0, inflate(jdk, concat(bytes(deflater.compress(ByteBuffer.allocate(0))), TAIL)).length);
        byte[] hello = "Hello".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(hello, inflate(jdk, concat(bytes(deflater.compress(ByteBuffer.wrap(hello))), TAIL)));
        assertEquals(0, inflate(jdk, concat(bytes(deflater.compress(ByteBuffer.allocate(0))), TAIL)).length);
        jdk.end();
    }

    @Test
    void rfcHelloExampleDecodes() {
        // RFC 7692 §7.2.3.1: "Hello" compressed is f2 48 cd c9 c9 07 00.
        byte[] wire = {(byte) 0xf2, 0x48, (byte) 0xcd, (byte) 0xc9, (byte) 0xc9, 0x07, 0x00};
        assertArrayEquals("Hello".getBytes(StandardCharsets.US_ASCII), new DeflateReader().read(concat(wire, TAIL)));
        MessageDeflater deflater = new MessageDeflater(6, 15, false);
        assertArrayEquals(wire, bytes(deflater.compress(ByteBuffer.wrap("Hello".getBytes(StandardCharsets.US_ASCII)))));
    }

    @Test
    void releaseFreesAndTheNextMessageStillDecodes() throws DataFormatException {
        MessageDeflater deflater = new MessageDeflater(6, 15, false);
        Inflater jdk = new Inflater(true);
        byte[] m = messages().get(5);
        assertFalse(deflater.isAllocated());
        assertArrayEquals(m, inflate(jdk, concat(bytes(deflater.compress(ByteBuffer.wrap(m))), TAIL)));
        assertTrue(deflater.isAllocated());
        assertFalse(deflater.releaseIfIdle(System.nanoTime(), 60_000_000_000L), "not idle yet");
        assertTrue(deflater.releaseIfIdle(System.nanoTime(), 0));
        assertFalse(deflater.isAllocated());
        // The receiver keeps its window; our fresh context simply does not use it.
        assertArrayEquals(m, inflate(jdk, concat(bytes(deflater.compress(ByteBuffer.wrap(m))), TAIL)));
        jdk.end();
        deflater.release();
    }

    @Test
    void windowBitsOutsideEightToFifteenAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MessageDeflater(6, 7, false));
        assertThrows(IllegalArgumentException.class, () -> new MessageDeflater(6, 16, false));
    }

    static byte[] inflate(Inflater inflater, byte[] data) throws DataFormatException {
        inflater.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = inflater.inflate(buf)) > 0 || !inflater.needsInput()) {
            out.write(buf, 0, n);
            if (n == 0 && inflater.finished()) {
                break;
            }
        }
        return out.toByteArray();
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
