package dev.leanws.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.codec.Opcode;
import dev.leanws.testing.WireFrame;
import dev.leanws.testing.WirePeer;
import dev.leanws.testing.WireServer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 §5.3: every client frame is masked with a fresh key that cannot be predicted from
 * earlier ones. Read off the wire by a scripted server over 10,000 frames, the keys must look
 * like independent uniform 32-bit values. Statistics, not timing: each bound below fails by
 * chance with a probability far below one in a million.
 */
class MaskKeyTest {

    private static final int FRAMES = 10_000;

    @Test
    void everyFrameHasAFreshUniformlyRandomKey() throws Exception {
        int[] keys = new int[FRAMES];
        try (WireServer server = WireServer.start()) {
            Connecting connecting = Connecting.start(server.uri("/"), ClientConfig.defaults());
            try (WirePeer peer = server.accept()) {
                peer.acceptHandshake();
                WebSocketClient ws = connecting.connected();
                Thread sender = Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < FRAMES; i++) {
                        ws.send("m" + i);
                    }
                });
                for (int i = 0; i < FRAMES; i++) {
                    WireFrame f = peer.readFrame();
                    assertEquals(Opcode.TEXT.code(), f.opcode());
                    assertTrue(f.masked(), "frame " + i + " is masked");
                    assertEquals("m" + i, f.text());
                    keys[i] = f.maskKey();
                }
                assertTrue(sender.join(Duration.ofSeconds(10)));
                ws.close(dev.leanws.CloseStatus.of(1000, ""));
                peer.answerClose();
                assertTrue(ws.awaitClosed(Duration.ofSeconds(5)));
            }
        }

        Set<Integer> distinct = new HashSet<>();
        int[] ones = new int[32];
        long flippedBits = 0;
        for (int i = 0; i < FRAMES; i++) {
            distinct.add(keys[i]);
            for (int b = 0; b < 32; b++) {
                ones[b] += (keys[i] >>> b) & 1;
            }
            if (i > 0) {
                assertNotEquals(keys[i - 1], keys[i], "frames " + (i - 1) + " and " + i + " share a key");
                flippedBits += Integer.bitCount(keys[i - 1] ^ keys[i]);
            }
        }
        // Birthday bound: 10,000 uniform keys collide about 0.012 times on average; 3 or more: p < 1e-6.
        assertTrue(FRAMES - distinct.size() <= 2, (FRAMES - distinct.size()) + " repeated keys");
        // Each bit is set in half the keys: binomial(10,000, 0.5) has sd 50; 0.45..0.55 is 10 sd.
        for (int b = 0; b < 32; b++) {
            assertTrue(ones[b] > 4_500 && ones[b] < 5_500, "bit " + b + " set in " + ones[b] + " keys");
        }
        // From one key to the next, half the bits change: mean 16 with sd 2/sqrt(9999) = 0.02.
        double meanFlipped = flippedBits / (double) (FRAMES - 1);
        assertTrue(meanFlipped > 15.8 && meanFlipped < 16.2, "mean bits changed " + meanFlipped);
    }
}
