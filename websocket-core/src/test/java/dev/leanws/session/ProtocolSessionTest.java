package dev.leanws.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.CloseCause;
import dev.leanws.CloseStatus;
import dev.leanws.WebSocketConfig;
import dev.leanws.codec.ClosePayload;
import dev.leanws.codec.FrameEncoder;
import dev.leanws.codec.FrameHeader;
import dev.leanws.codec.Opcode;
import dev.leanws.codec.ProtocolException;
import dev.leanws.codec.ProtocolViolation;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The session state machine with no socket: bytes in, events and queued frames out. */
class ProtocolSessionTest {

    private final RecordingQueue queue = new RecordingQueue();
    private final List<String> events = new ArrayList<>();
    private int nextKey = 0x01020304;

    private final ProtocolSession.Listener listener = new ProtocolSession.Listener() {
        @Override public void onText(String text) { events.add("text:" + text); }
        @Override public void onBinary(ByteBuffer data) { events.add("binary:" + data.remaining()); }
        @Override public void onPong(ByteBuffer payload) { events.add("pong:" + utf8(payload)); }
        @Override public void onViolation(ProtocolException violation) { events.add("violation:" + violation.violation()); }
    };

    private ProtocolSession server() {
        return new ProtocolSession(Role.SERVER, WebSocketConfig.builder().maxMessageSize(1000).build(),
                null, queue, listener);
    }

    private ProtocolSession client() {
        return new ProtocolSession(Role.CLIENT, WebSocketConfig.defaults(), () -> nextKey++, queue, listener);
    }

    private static String utf8(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A frame as a client sends it: masked. */
    private static byte[] masked(boolean fin, Opcode op, byte[] payload) {
        return bytes(FrameEncoder.encode(FrameHeader.masked(fin, op, 0x37fa213d, payload.length), ByteBuffer.wrap(payload)));
    }

    private static byte[] unmasked(boolean fin, Opcode op, byte[] payload) {
        return bytes(FrameEncoder.encode(FrameHeader.unmasked(fin, op, payload.length), ByteBuffer.wrap(payload)));
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] close(int code, String reason) {
        return bytes(ClosePayload.encode(new CloseStatus(code, reason)));
    }

    @Test
    void serverDeliversMessagesFromOneReadInWireOrder() {
        ProtocolSession s = server();
        s.receive(ByteBuffer.wrap(concat(
                masked(true, Opcode.TEXT, text("one")),
                masked(false, Opcode.BINARY, new byte[3]),
                masked(true, Opcode.PING, text("p")),
                masked(true, Opcode.CONTINUATION, new byte[4]),
                masked(true, Opcode.TEXT, text("two")))));
        assertEquals(List.of("text:one", "binary:7", "text:two"), events);
        assertEquals(Opcode.PONG, queue.last().header().opcode(), "the ping between fragments was answered");
    }

    @Test
    void pingIsAnsweredWithPongCarryingTheSamePayload() {
        ProtocolSession s = server();
        s.receive(ByteBuffer.wrap(masked(true, Opcode.PING, text("Hello"))));
        RecordingQueue.Queued pong = queue.last();
        assertEquals(Opcode.PONG, pong.header().opcode());
        assertFalse(pong.header().masked(), "a server never masks");
        assertArrayEquals(text("Hello"), pong.payload());
    }

    @Test
    void clientMasksEveryFrameWithAFreshKey() {
        ProtocolSession s = client();
        s.sendText("a", null);
        s.sendText("b", null);
        assertTrue(queue.frames.get(0).header().masked());
        assertTrue(queue.frames.get(1).header().masked());
        assertEquals(queue.frames.get(0).header().maskKey() + 1, queue.frames.get(1).header().maskKey());
    }

    @Test
    void serverRejectsAnUnmaskedClientFrameWith1002() {
        ProtocolSession s = server();
        s.receive(ByteBuffer.wrap(unmasked(true, Opcode.TEXT, text("hi"))));
        assertEquals(List.of("violation:" + ProtocolViolation.UNMASKED_CLIENT_FRAME), events);
        assertCloseQueued(1002);
        assertTrue(s.isDone());
    }

    @Test
    void clientRejectsAMaskedServerFrameWith1002() {
        ProtocolSession s = client();
        s.receive(ByteBuffer.wrap(masked(true, Opcode.TEXT, text("hi"))));
        assertEquals(List.of("violation:" + ProtocolViolation.MASKED_SERVER_FRAME), events);
        assertCloseQueued(1002);
    }

    @Test
    void invalidUtf8FailsWith1007AndLaterInputIsIgnored() {
        ProtocolSession s = server();
        s.receive(ByteBuffer.wrap(concat(masked(true, Opcode.TEXT, new byte[] {(byte) 0xC0, (byte) 0x80}),
                masked(true, Opcode.TEXT, text("after")))));
        s.receive(ByteBuffer.wrap(masked(true, Opcode.TEXT, text("later"))));
        assertEquals(List.of("violation:" + ProtocolViolation.INVALID_UTF8), events);
        assertCloseQueued(1007);
        assertEquals(1, queue.frames.size(), "only the close frame");
    }

    @Test
    void oversizedMessageFailsWith1009() {
        ProtocolSession s = server();
        s.receive(ByteBuffer.wrap(masked(true, Opcode.BINARY, new byte[1001])));
        assertCloseQueued(1009);
    }

    @Test
    void peersCloseIsEchoedWithItsCodeAndLaterFramesAreIgnored() {
        ProtocolSession s = server();
        s.receive(ByteBuffer.wrap(concat(masked(true, Opcode.CLOSE, close(4001, "bye")),
                masked(true, Opcode.TEXT, text("ignored")), new byte[] {(byte) 0xFF, 0x00})));
        assertEquals(List.of(), events);
        assertCloseQueued(4001);
        assertTrue(s.isDone());
        CloseHandshake.State state = s.closeHandshake().state();
        assertEquals(CloseHandshake.Phase.HANDSHAKE_DONE, state.phase());
        assertEquals(new CloseStatus(4001, "bye"), state.received());
        assertTrue(state.peerFirst());
        assertNull(state.violation(), "bytes after the close frame are not a violation");
    }

    @Test
    void emptyCloseIsAnsweredWithAnEmptyClose() {
        ProtocolSession s = server();
        s.receive(ByteBuffer.wrap(masked(true, Opcode.CLOSE, new byte[0])));
        assertEquals(CloseStatus.NO_STATUS, s.closeHandshake().state().received());
        assertEquals(Opcode.CLOSE, queue.last().header().opcode());
        assertEquals(0, queue.last().payload().length);
    }

    @Test
    void localCloseThenPeersReplyCompletesTheHandshakeWithoutASecondCloseFrame() {
        ProtocolSession s = server();
        assertTrue(s.close(CloseCause.LOCAL_CLOSE, new CloseStatus(1001, "going")));
        assertFalse(s.isDone());
        assertFalse(s.sendText("too late", null), "no data after our close frame");
        s.receive(ByteBuffer.wrap(masked(true, Opcode.TEXT, text("still delivered"))));
        s.receive(ByteBuffer.wrap(masked(true, Opcode.CLOSE, close(1001, ""))));
        assertEquals(List.of("text:still delivered"), events);
        assertEquals(1, queue.frames.size());
        assertTrue(s.isDone());
        assertFalse(s.closeHandshake().state().peerFirst());
    }

    @Test
    void invalidCloseCodeFromPeerIs1002() {
        ProtocolSession s = server();
        s.receive(ByteBuffer.wrap(masked(true, Opcode.CLOSE, new byte[] {0x03, (byte) 0xED}))); // 1005
        assertCloseQueued(1002);
        assertEquals(List.of("violation:" + ProtocolViolation.INVALID_CLOSE_CODE), events);
    }

    @Test
    void closeRefusesUnsendableStatus() {
        ProtocolSession s = server();
        assertThrows(IllegalArgumentException.class, () -> s.close(CloseCause.LOCAL_CLOSE, CloseStatus.ABNORMAL));
        assertThrows(IllegalArgumentException.class,
                () -> s.close(CloseCause.LOCAL_CLOSE, new CloseStatus(1000, "x".repeat(124))));
        assertTrue(queue.frames.isEmpty());
    }

    @Test
    void pingPayloadOver125BytesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> server().ping(ByteBuffer.allocate(126)));
    }

    private void assertCloseQueued(int code) {
        RecordingQueue.Queued last = queue.last();
        assertEquals(Opcode.CLOSE, last.header().opcode());
        ByteBuffer p = ByteBuffer.wrap(last.payload());
        assertEquals(code, Short.toUnsignedInt(p.getShort()));
    }
}
