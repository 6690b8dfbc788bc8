package dev.leanws.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two raw peers talking to each other: handshake, masking by side, fragments, chops, and how TCP ended. */
class WirePeerTest {

    private record Pair(WirePeer client, WirePeer server) {
    }

    private static Pair pair(ServerSocket listener) throws Exception {
        CompletableFuture<WirePeer> server = CompletableFuture.supplyAsync(() -> {
            try {
                return WirePeer.accept(listener, Duration.ofSeconds(5));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        WirePeer client = WirePeer.connect(listener.getLocalPort(), "/");
        return new Pair(client, server.get(5, TimeUnit.SECONDS));
    }

    private static List<WireFrame> frames(WireLog log) {
        return log.entries().stream().filter(e -> e instanceof WireFrame).map(e -> (WireFrame) e).toList();
    }

    @Test
    void aClientMasksAndFragmentsAServerReadsItFrameByFrame() throws Exception {
        try (ServerSocket listener = WirePeer.listen()) {
            Pair p = pair(listener);
            try (WirePeer client = p.client(); WirePeer server = p.server()) {
                byte[] text = "héllo".getBytes(StandardCharsets.UTF_8);
                client.send(client.fragmented(0x1, text, 1), 1);   // one frame per byte, one byte per write
                assertTrue(server.log().await(e -> frames(server.log()).size() == text.length, Duration.ofSeconds(5)));
                List<WireFrame> frames = frames(server.log());
                for (int i = 0; i < text.length; i++) {
                    WireFrame f = frames.get(i);
                    assertTrue(f.masked(), "a client masks");
                    assertEquals(i == 0 ? 0x1 : 0x0, f.opcode());
                    assertEquals(i == text.length - 1, f.fin());
                    assertArrayEquals(new byte[] {text[i]}, f.payload(), "unmasked by the reader");
                }
                server.send(server.frame(RawFrames.close(1000, "bye")));
                assertTrue(client.log().await(WireLog::closedOrEnded, Duration.ofSeconds(5)));
                WireFrame close = client.log().closeFrame();
                assertFalse(close.masked(), "a server does not mask");
                assertEquals("1000 bye", close.closeCode() + " " + close.closeReason());
            }
        }
    }

    @Test
    void theLogTellsFinFromResetAndTimesWrites() throws Exception {
        try (ServerSocket listener = WirePeer.listen()) {
            Pair fin = pair(listener);
            fin.server().shutdownOutput();
            WireLog.End end = fin.client().log().awaitEnd(Duration.ofSeconds(5));
            assertNotNull(end);
            assertFalse(end.reset());
            fin.client().close();
            fin.server().close();

            Pair reset = pair(listener);
            reset.server().reset();
            WireLog.End abrupt = reset.client().log().awaitEnd(Duration.ofSeconds(5));
            assertNotNull(abrupt);
            assertTrue(abrupt.reset(), abrupt.toString());
            reset.client().send(new byte[0]);   // a recorder: sending after the reset does not throw
            reset.client().close();
        }
    }
}
