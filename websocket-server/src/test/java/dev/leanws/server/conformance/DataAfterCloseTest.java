package dev.leanws.server.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.leanws.testing.RawFrames;
import dev.leanws.testing.Splits;
import dev.leanws.testing.WireFrame;
import dev.leanws.testing.WireLog;
import dev.leanws.testing.WirePeer;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that keeps sending after its Close (Autobahn 7.1.x does so with a few bytes): the
 * server echoes the Close and ends TCP, and that end must be a FIN, not a reset. Closing a
 * socket with unread input makes the kernel send RST, which can destroy the Close echo before
 * the client reads it; so the server stops sending (FIN) and drains until the client's FIN or
 * the close timeout.
 */
class DataAfterCloseTest {

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void theServerEndsWithFinNotResetWhenDataFollowsTheClose() throws Exception {
        try (EchoServer server = EchoServer.start(EchoServer.CONFIG); WirePeer peer = WirePeer.connect(server.port(), "/")) {
            byte[] closeThenMore = Splits.concat(peer.frame(RawFrames.close(1000, "")),
                    peer.frame(RawFrames.binary(new byte[1 << 20])));
            try {
                peer.send(closeThenMore);   // in one write: the server has unread input when it closes
            } catch (IOException e) {
                // the server may be gone before all of it is written
            }
            WireLog.End end = peer.log().awaitEnd(Duration.ofSeconds(5));
            assertNotNull(end);
            WireFrame close = peer.log().closeFrame();
            assertNotNull(close, "the Close echo arrived");
            assertEquals(1000, close.closeCode());
            assertFalse(end.reset(), "the server reset the connection: " + end);
        }
    }
}
