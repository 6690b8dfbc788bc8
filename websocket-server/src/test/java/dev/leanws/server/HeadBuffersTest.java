package dev.leanws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leanws.event.EventFilter;
import dev.leanws.testing.RawFrames;
import dev.leanws.testing.WirePeer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The buffers request heads are read into are lent from a {@code SlotPool} and reused:
 * nothing of one request may reach another (issue 16 made them pooled).
 */
class HeadBuffersTest extends ServerTestSupport {

    /**
     * Frames sent in the same write as the request stay behind the head in the lent buffer and
     * must be copied out before it goes back: one connection after another, each with a head
     * of another length and a different message pipelined behind it, each gets its own echo.
     */
    @Test
    void framesPipelinedBehindEachRequestReachOnlyTheirOwnConnection() throws Exception {
        WebSocketServer server = start();
        server.events().subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()));
        for (int i = 0; i < 40; i++) {
            WirePeer peer = connect(server);
            String message = "message " + i + " " + "x".repeat(i * 7);
            byte[] head = WirePeer.upgradeRequest("/", "X-Pad: " + "p".repeat(i * 23))
                    .getBytes(StandardCharsets.ISO_8859_1);
            byte[] frame = peer.frame(RawFrames.text(message));
            byte[] both = new byte[head.length + frame.length];
            System.arraycopy(head, 0, both, 0, head.length);
            System.arraycopy(frame, 0, both, head.length, frame.length);
            peer.send(both);
            assertEquals(101, peer.readResponse().status());
            assertEquals(message, peer.readFrame().text(), "connection " + i);
            peer.close();
        }
    }
}
