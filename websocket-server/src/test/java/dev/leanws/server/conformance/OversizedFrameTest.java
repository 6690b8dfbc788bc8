package dev.leanws.server.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.WebSocketConfig;
import dev.leanws.codec.Opcode;
import dev.leanws.testing.RawFrames;
import dev.leanws.testing.WireFrame;
import dev.leanws.testing.WireLog;
import dev.leanws.testing.WirePeer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/**
 * A frame header that declares 1 GiB (and then nothing) is refused from the header alone: the
 * server answers 1009 at once, before a payload byte is sent, and the old generation (where a
 * buffer of that size would have to go) does not grow. With the default limits the frame limit
 * refuses it; with the frame limit raised past it, the message limit does.
 */
class OversizedFrameTest {

    @ParameterizedTest(name = "maxFrameSize {0}")
    @ValueSource(longs = {16L << 20, 2L << 30})
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aDeclaredGibibyteIsRefusedBeforeAllocating(long maxFrameSize) throws Exception {
        WebSocketConfig config = EchoServer.CONFIG.toBuilder().maxFrameSize(maxFrameSize).build();
        try (EchoServer server = EchoServer.start(config); WirePeer peer = WirePeer.connect(server.port(), "/")) {
            System.gc();   // so the old generation's peak starts from what is live
            HeapPeak peak = HeapPeak.start();
            for (int i = 0; i < 8; i++) {   // eight connections: a leak of 1 GiB each could not hide
                try (WirePeer attacker = WirePeer.connect(server.port(), "/")) {
                    attacker.send(attacker.frame(RawFrames.frame().declaredLength(1L << 30)));
                    assertTrue(attacker.log().await(WireLog::closedOrEnded, Duration.ofSeconds(5)));
                    WireFrame close = attacker.log().closeFrame();
                    assertNotNull(close, "a Close frame, not just a dropped connection");
                    assertEquals(1009, close.closeCode());
                    attacker.send(attacker.frame(RawFrames.close(1009, "")));
                    assertNotNull(attacker.log().awaitEnd(Duration.ofSeconds(5)), "the server closes TCP");
                }
            }
            assertTrue(peak.rise() < 64 << 20, "the old generation rose by " + peak.rise() + " bytes");
            peer.send(peer.frame(RawFrames.text("still fine")));
            assertTrue(peer.log().await(e -> e.stream().anyMatch(x -> x instanceof WireFrame), Duration.ofSeconds(5)));
        }
    }

    /**
     * The documented defaults, from above: one byte over 16 MiB, declared by a frame header or
     * reached by a message's second fragment, is refused with 1009 from the header alone.
     * (Autobahn section 9 shows that 16 MiB itself is accepted.)
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void theDefaultFrameAndMessageLimitsAre16MiB() throws Exception {
        assertEquals(16L << 20, EchoServer.CONFIG.maxFrameSize());   // the suite's server keeps the defaults
        try (EchoServer server = EchoServer.start(EchoServer.CONFIG)) {
            for (boolean fragmented : new boolean[] {false, true}) {
                try (WirePeer peer = WirePeer.connect(server.port(), "/")) {
                    if (fragmented) {   // a 1-byte first fragment, then a header for 16 MiB more
                        peer.send(peer.frame(RawFrames.frame().fin(false).payload(new byte[1])));
                        peer.send(peer.frame(RawFrames.frame().opcode(Opcode.CONTINUATION.code()).declaredLength(16L << 20)));
                    } else {            // one frame header declaring 16 MiB + 1
                        peer.send(peer.frame(RawFrames.frame().declaredLength((16L << 20) + 1)));
                    }
                    assertTrue(peer.log().await(WireLog::closedOrEnded, Duration.ofSeconds(5)));
                    WireFrame close = peer.log().closeFrame();
                    assertNotNull(close, "a Close frame, not just a dropped connection");
                    assertEquals(1009, close.closeCode(), fragmented ? "message" : "frame");
                }
            }
        }
    }
}
