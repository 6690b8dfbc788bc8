package dev.leanws.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.codec.Opcode;
import dev.leanws.event.OpenEvent;
import dev.leanws.testing.DeflateReader;
import dev.leanws.testing.WireFrame;
import dev.leanws.testing.WireHead;
import dev.leanws.testing.WirePeer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Broadcasts and topic publishes on permessage-deflate connections (RFC 7692): each peer gets
 * what its own negotiation implies, and peers without context takeover share one compressed frame.
 */
class BroadcastDeflateTest extends ServerTestSupport {

    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};
    private static final String EXTENSIONS = "Sec-WebSocket-Extensions: ";

    /** A JSON-ish text of about 4 KiB: compressible, above the default 1 KiB threshold. */
    private static String json(int seq) {
        StringBuilder b = new StringBuilder("{\"seq\":" + seq + ",\"items\":[");
        for (int i = 0; i < 60; i++) {
            b.append("{\"id\":").append(i).append(",\"name\":\"item-").append(i * 7 % 13)
                    .append("\",\"price\":").append(i * 3).append(".5},");
        }
        return b.append("{}]}").toString();
    }

    /** A raw client that offered {@code offer} (or nothing) and checks what the server agreed. */
    private WirePeer peer(WebSocketServer server, EventRecorder events, String offer, String agreed) throws IOException {
        WirePeer raw = closeLater(WirePeer.connect(server.port()));
        raw.send(offer == null ? WirePeer.upgradeRequest("/") : WirePeer.upgradeRequest("/", EXTENSIONS + offer));
        WireHead response = raw.readResponse();
        assertEquals(101, response.status());
        assertEquals(agreed, response.first("Sec-WebSocket-Extensions").orElse(null));
        events.next(OpenEvent.class);
        return raw;
    }

    /** Decodes one compressed message with the peer's receiving context. */
    private static String inflate(DeflateReader reader, WireFrame frame) {
        assertEquals(4, frame.rsv(), "RSV1 (and only it) set on a compressed message");
        byte[] data = Arrays.copyOf(frame.payload(), frame.payload().length + 4);
        System.arraycopy(TAIL, 0, data, frame.payload().length, 4);
        return new String(reader.read(data), StandardCharsets.UTF_8);
    }

    @Test
    void aBroadcastReachesPlainTakeoverAndNoTakeoverPeersEachInItsForm() throws Exception {
        WebSocketServer server = start();
        EventRecorder events = record(server);
        WirePeer plain = peer(server, events, null, null);
        WirePeer takeover = peer(server, events, "permessage-deflate", "permessage-deflate");
        String noTakeoverAnswer = "permessage-deflate; server_no_context_takeover";
        WirePeer shared1 = peer(server, events, "permessage-deflate; server_no_context_takeover", noTakeoverAnswer);
        WirePeer shared2 = peer(server, events, "permessage-deflate; server_no_context_takeover", noTakeoverAnswer);
        WirePeer small = peer(server, events, "permessage-deflate; server_no_context_takeover; server_max_window_bits=9",
                "permessage-deflate; server_no_context_takeover; server_max_window_bits=9");

        DeflateReader takeoverReader = new DeflateReader();
        for (int seq = 0; seq < 3; seq++) {
            String message = json(seq);
            if (seq < 2) {
                assertEquals(5, server.broadcast(message));
            } else {
                for (var ws : server.connections()) {
                    server.topics().subscribe(ws, "prices");
                }
                assertEquals(5, server.topics().publish("prices", message));
            }

            WireFrame p = plain.readFrame();
            assertEquals(0, p.rsv(), "a peer without permessage-deflate gets RSV1 clear");
            assertEquals(message, p.text());

            // Context takeover: decoded with the history of the earlier messages, as the peer keeps it.
            assertEquals(message, inflate(takeoverReader, takeover.readFrame()));

            WireFrame a = shared1.readFrame();
            WireFrame b = shared2.readFrame();
            assertArrayEquals(a.raw(), b.raw(), "one compressed frame shared by the no-takeover peers");
            assertEquals(message, inflate(new DeflateReader(), a));
            assertTrue(a.payload().length < message.length() / 2, "compressed: " + a.payload().length);

            DeflateReader windowed = new DeflateReader();
            assertEquals(message, inflate(windowed, small.readFrame()));
            assertTrue(windowed.maxDistance() <= 1 << 9, "window of 2^9 kept: " + windowed.maxDistance());
        }
        // A later takeover message refers back to the earlier ones: its frame is not the shared one.
        assertTrue(takeoverReader.maxDistance() >= json(0).length(), "context taken over across messages");
    }

    @Test
    void messagesBelowTheThresholdStayOneUncompressedFrame() throws Exception {
        WebSocketServer server = start();
        EventRecorder events = record(server);
        WirePeer takeover = peer(server, events, "permessage-deflate", "permessage-deflate");
        WirePeer shared = peer(server, events, "permessage-deflate; server_no_context_takeover",
                "permessage-deflate; server_no_context_takeover");
        WirePeer plain = peer(server, events, null, null);
        String small = "{\"tick\":1}";
        assertEquals(3, server.broadcast(ByteBuffer.wrap(small.getBytes(StandardCharsets.UTF_8))));
        List<WireFrame> frames = List.of(takeover.readFrame(), shared.readFrame(), plain.readFrame());
        for (WireFrame f : frames) {
            assertEquals(0, f.rsv());
            assertEquals(Opcode.BINARY.code(), f.opcode());
            assertArrayEquals(frames.get(2).raw(), f.raw());
        }
        assertFalse(frames.isEmpty());
    }
}
