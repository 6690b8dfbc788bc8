package dev.leanws.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.codec.Opcode;
import dev.leanws.ProtocolViolationException;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.ErrorEvent;
import dev.leanws.event.EventFilter;
import dev.leanws.event.EventManager;
import dev.leanws.event.OpenEvent;
import dev.leanws.event.TextEvent;
import dev.leanws.testing.Hex;
import dev.leanws.testing.RawFrames;
import dev.leanws.testing.WireFrame;
import dev.leanws.testing.WireHead;
import dev.leanws.testing.WirePeer;
import dev.leanws.testing.WireServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a server must never send (RFC 6455 §5.1, §5.2, §8.1) ends the client's connection with
 * the matching close code: the client sends that Close (masked), half-closes, waits for the
 * server's end of TCP, and reports the code. Also: frames that share the 101's packet are kept.
 */
class ServerViolationTest {

    private final EventManager events = new EventManager();
    private final EventRecorder recorder = new EventRecorder(events);
    private WireServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = WireServer.start();
    }

    @AfterEach
    void stopServer() throws Exception {
        recorder.close();
        server.close();
    }

    /** Opens a client, sends {@code frame} from the server, and checks the client fails with {@code code}. */
    private void assertClientFails(byte[] frame, int code) throws Exception {
        Connecting connecting = Connecting.start(server.uri("/"), ClientConfig.builder().events(events).build());
        WirePeer peer = server.accept();   // closed here by hand, at the point under test, or by the server's close
        try {
            peer.acceptHandshake();
            WebSocketClient ws = connecting.connected();
            recorder.next(OpenEvent.class);
            peer.send(frame);

            WireFrame close = peer.readFrame();
            assertEquals(Opcode.CLOSE.code(), close.opcode());
            assertTrue(close.masked(), "a client masks its Close too");
            assertEquals(code, close.closeCode());
            assertTrue(peer.readsEndOfStream(), "the client half-closes after its Close");
            peer.close();   // the server's end of TCP lets the client finish

            ErrorEvent error = recorder.next(ErrorEvent.class);
            assertEquals(code, assertInstanceOf(ProtocolViolationException.class, error.cause()).closeStatus().code());
            CloseEvent closed = recorder.next(CloseEvent.class);
            assertEquals(code, closed.code());
            assertEquals(dev.leanws.CloseCause.PROTOCOL_VIOLATION, closed.cause());
            assertTrue(closed.remote(), "the peer's violation ended it, though our Close went first");
            assertTrue(ws.awaitClosed(Duration.ofSeconds(5)));
            assertFalse(ws.send("too late"));
        } finally {
            peer.close();
        }
    }

    @Test
    void maskedServerFrameIsAProtocolError() throws Exception {
        assertClientFails(RawFrames.text("hi").masked(0x12345678).build(), 1002);
    }

    @Test
    void invalidUtf8IsInvalidPayloadData() throws Exception {
        assertClientFails(RawFrames.frame().opcode(Opcode.TEXT.code()).payloadHex("cebae1bdb9cf83cebcceb5eda080656469746564").build(), 1007);
    }

    @Test
    void invalidUtf8IsCaughtInTheFirstFragment() throws Exception {
        // fail fast: the bad byte is in a non-final fragment; no need to wait for the rest
        assertClientFails(RawFrames.frame().opcode(Opcode.TEXT.code()).fin(false).payloadHex("48c0").build(), 1007);
    }

    @Test
    void invalidUtf8IsCaughtMidFrame() throws Exception {
        // the header promises 100 bytes; only the first 3 are sent, and the third is bad
        byte[] payload = "a".repeat(100).getBytes(StandardCharsets.US_ASCII);
        payload[2] = (byte) 0xC0;   // never valid in UTF-8
        byte[] frame = RawFrames.frame().opcode(Opcode.TEXT.code()).payload(payload).build();
        assertClientFails(Arrays.copyOf(frame, 2 + 3), 1007);
    }

    @Test
    void reservedBitsAreAProtocolError() throws Exception {
        assertClientFails(RawFrames.text("hi").rsv(0b100).build(), 1002);
    }

    @Test
    void reservedOpcodeIsAProtocolError() throws Exception {
        assertClientFails(RawFrames.frame().opcode(0x3).build(), 1002);
    }

    @Test
    void fragmentedPingIsAProtocolError() throws Exception {
        assertClientFails(RawFrames.frame().opcode(Opcode.PING.code()).fin(false).build(), 1002);
    }

    @Test
    void closeWithInvalidCodeIsAProtocolError() throws Exception {
        assertClientFails(RawFrames.close(1005, "").build(), 1002);
    }

    @Test
    void framesRightBehindThe101AreNotLost() throws Exception {
        ClientConfig options = ClientConfig.builder()
                .subscribe(EventFilter.all(), event -> events.dispatch(event))   // race-free: registered before the first event
                .build();
        Connecting connecting = Connecting.start(server.uri("/"), options);
        try (WirePeer peer = server.accept()) {
            WireHead request = peer.readRequest();
            byte[] response = WirePeer.switchingProtocols(request).getBytes(StandardCharsets.ISO_8859_1);
            byte[] split = RawFrames.frame().opcode(Opcode.TEXT.code()).fin(false).payload("thi").build();
            // one write: the head, two whole frames, and the first fragment of a third message
            peer.send(RawFrames.stream(response, RawFrames.text("first").build(), RawFrames.text("second").build(), split));
            WebSocketClient ws = connecting.connected();
            assertEquals(ws, recorder.next(OpenEvent.class).connection());
            assertEquals("first", recorder.next(TextEvent.class).text());
            assertEquals("second", recorder.next(TextEvent.class).text());
            peer.send(RawFrames.continuation(true, "rd".getBytes(StandardCharsets.UTF_8)).build());
            assertEquals("third", recorder.next(TextEvent.class).text());
            ws.close(dev.leanws.CloseStatus.of(1000, ""));
            peer.answerClose();
            assertEquals(1000, recorder.next(CloseEvent.class).code());
        }
    }

    @Test
    void lateSubscriptionSeesLaterMessagesButNotTheOpenEvent() throws Exception {
        Connecting connecting = Connecting.start(server.uri("/"), ClientConfig.defaults());
        try (WirePeer peer = server.accept()) {
            peer.acceptHandshake();
            WebSocketClient ws = connecting.connected();
            try (EventRecorder late = new EventRecorder(ws.events())) {
                peer.send(RawFrames.text("after subscribe").build());
                assertEquals("after subscribe", late.next(TextEvent.class).text());   // the OpenEvent is not there
                ws.close(dev.leanws.CloseStatus.of(1000, ""));
                peer.answerClose();
                assertEquals(ws, late.next(CloseEvent.class).connection());
            }
        }
    }

    @Test
    void pingFromTheServerIsAnsweredWithAMaskedPong() throws Exception {
        Connecting connecting = Connecting.start(server.uri("/"), ClientConfig.defaults());
        try (WirePeer peer = server.accept()) {
            peer.acceptHandshake();
            WebSocketClient ws = connecting.connected();
            peer.send(Hex.bytes("89 05 48 65 6c 6c 6f"));   // RFC 6455 §5.7: unmasked ping "Hello"
            WireFrame pong = peer.readFrame();
            assertEquals(Opcode.PONG.code(), pong.opcode());
            assertTrue(pong.masked());
            assertEquals("Hello", pong.text());
            ws.close(dev.leanws.CloseStatus.of(1000, ""));
            peer.answerClose();
            assertTrue(ws.awaitClosed(Duration.ofSeconds(5)));
        }
    }
}
