package dev.leanws.server;

import static dev.leanws.testing.WirePeer.MASK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.codec.Opcode;
import dev.leanws.ProtocolViolationException;
import dev.leanws.codec.ProtocolViolation;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.ErrorEvent;
import dev.leanws.event.OpenEvent;
import dev.leanws.testing.Await;
import dev.leanws.testing.Hex;
import dev.leanws.testing.RawFrames;
import dev.leanws.testing.WirePeer;
import dev.leanws.testing.WireFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A raw-socket client breaks RFC 6455 in each way the server must catch. Each case asserts
 * the exact Close frame the server answers with (code and reason), that the server then ends
 * its side of TCP, and, once the client answers and closes as a real client would, that the
 * connection is closed with that code.
 */
class ProtocolViolationTest extends ServerTestSupport {

    private static final int MAX_FRAME = 1000;
    private static final int MAX_MESSAGE = 1500;

    static Stream<Arguments> violations() {
        return Stream.of(
                Arguments.of("unmasked client frame", RawFrames.text("hi").build(),
                        ProtocolViolation.UNMASKED_CLIENT_FRAME),
                Arguments.of("RSV1 without an extension", RawFrames.text("hi").rsv(4).masked(MASK).build(),
                        ProtocolViolation.RESERVED_BITS),
                Arguments.of("RSV3", RawFrames.text("hi").rsv(1).masked(MASK).build(),
                        ProtocolViolation.RESERVED_BITS),
                Arguments.of("reserved opcode 0x3", RawFrames.frame().opcode(0x3).masked(MASK).build(),
                        ProtocolViolation.RESERVED_OPCODE),
                Arguments.of("reserved control opcode 0xB", RawFrames.frame().opcode(0xB).masked(MASK).build(),
                        ProtocolViolation.RESERVED_OPCODE),
                Arguments.of("bad UTF-8 (overlong)", RawFrames.frame().opcode(Opcode.TEXT.code()).payloadHex("c0af").masked(MASK).build(),
                        ProtocolViolation.INVALID_UTF8),
                Arguments.of("bad UTF-8 (surrogate) in the second fragment", RawFrames.stream(
                                RawFrames.text("ok ").fin(false).masked(MASK).build(),
                                RawFrames.continuation(true, Hex.bytes("eda080")).masked(MASK).build()),
                        ProtocolViolation.INVALID_UTF8),
                Arguments.of("bad UTF-8 mid-frame: fails before the frame ends", Arrays.copyOf(
                                RawFrames.frame().opcode(Opcode.TEXT.code()).payload(concat("abc", "ff", 50)).masked(MASK).build(), 2 + 4 + 4),
                        ProtocolViolation.INVALID_UTF8),
                Arguments.of("frame over maxFrameSize", RawFrames.binary(new byte[MAX_FRAME + 1]).masked(MASK).build(),
                        ProtocolViolation.FRAME_TOO_BIG),
                Arguments.of("1 GiB declared, header only", RawFrames.frame().declaredLength(1L << 30).masked(MASK).build(),
                        ProtocolViolation.FRAME_TOO_BIG),
                Arguments.of("message over maxMessageSize", RawFrames.stream(
                                RawFrames.binary(new byte[900]).fin(false).masked(MASK).build(),
                                RawFrames.continuation(true, new byte[900]).masked(MASK).build()),
                        ProtocolViolation.MESSAGE_TOO_BIG),
                Arguments.of("close code 1005", RawFrames.close(1005, "").masked(MASK).build(), ProtocolViolation.INVALID_CLOSE_CODE),
                Arguments.of("close code 1006", RawFrames.close(1006, "").masked(MASK).build(), ProtocolViolation.INVALID_CLOSE_CODE),
                Arguments.of("close code 999", RawFrames.close(999, "").masked(MASK).build(), ProtocolViolation.INVALID_CLOSE_CODE),
                Arguments.of("close code 1015", RawFrames.close(1015, "").masked(MASK).build(), ProtocolViolation.INVALID_CLOSE_CODE),
                Arguments.of("close code 2999", RawFrames.close(2999, "").masked(MASK).build(), ProtocolViolation.INVALID_CLOSE_CODE),
                Arguments.of("close code 5000", RawFrames.close(5000, "").masked(MASK).build(), ProtocolViolation.INVALID_CLOSE_CODE),
                Arguments.of("close code 65535", RawFrames.close(65535, "").masked(MASK).build(), ProtocolViolation.INVALID_CLOSE_CODE),
                Arguments.of("close with a 1-byte payload", RawFrames.frame().opcode(Opcode.CLOSE.code()).payloadHex("03").masked(MASK).build(),
                        ProtocolViolation.CLOSE_PAYLOAD_ONE_BYTE),
                Arguments.of("close reason not UTF-8", RawFrames.frame().opcode(Opcode.CLOSE.code()).payloadHex("03e8 ff").masked(MASK).build(),
                        ProtocolViolation.INVALID_CLOSE_REASON_UTF8),
                Arguments.of("fragmented ping", RawFrames.frame().opcode(Opcode.PING.code()).fin(false).payload("x").masked(MASK).build(),
                        ProtocolViolation.CONTROL_FRAME_FRAGMENTED),
                Arguments.of("ping of 126 bytes", RawFrames.frame().opcode(Opcode.PING.code()).payload(new byte[126]).masked(MASK).build(),
                        ProtocolViolation.CONTROL_FRAME_TOO_LONG),
                Arguments.of("continuation without start", RawFrames.continuation(true, new byte[] {'x'}).masked(MASK).build(),
                        ProtocolViolation.CONTINUATION_WITHOUT_START),
                Arguments.of("new message inside a fragmented one", RawFrames.stream(
                                RawFrames.text("a").fin(false).masked(MASK).build(),
                                RawFrames.text("b").masked(MASK).build()),
                        ProtocolViolation.DATA_FRAME_INSIDE_FRAGMENTED_MESSAGE),
                Arguments.of("non-minimal length", RawFrames.text("hi").lengthEncoding(RawFrames.Length.BITS_16).masked(MASK).build(),
                        ProtocolViolation.NON_MINIMAL_LENGTH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void answersWithTheViolationsCloseFrameThenClosesTcp(String name, byte[] attack, ProtocolViolation violation)
            throws Exception {
        WebSocketServer server = start(b -> b.config(QUIET.toBuilder().maxFrameSize(MAX_FRAME).maxMessageSize(MAX_MESSAGE).build()));
        EventRecorder events = record(server);
        WirePeer peer = open(server);
        events.next(OpenEvent.class);

        peer.send(attack);

        WireFrame close = peer.readFrame();
        byte[] expected = RawFrames.close(violation.closeCode(), violation.description()).build();
        assertEquals(Hex.hex(expected), Hex.hex(close.raw()), "the exact Close frame, unmasked");
        assertTrue(peer.readsEndOfStream(), "the server ends its side of TCP after its Close frame");

        // A real client answers the Close and closes; the server then closes the socket.
        peer.sendClose(violation.closeCode(), "");
        peer.shutdownOutput();
        ErrorEvent error = events.next(ErrorEvent.class);
        ProtocolViolationException reported = assertInstanceOf(ProtocolViolationException.class, error.cause());
        assertEquals(violation.id(), reported.id());
        assertEquals(violation.closeCode(), reported.closeStatus().code());
        CloseEvent closed = events.next(CloseEvent.class);
        assertEquals(violation.closeCode(), closed.code());
        assertEquals(violation.description(), closed.reason());
        assertTrue(closed.remote(), "the peer broke the connection");
        assertEquals(dev.leanws.CloseCause.PROTOCOL_VIOLATION, closed.cause());
        Await.until("connection released", Duration.ofSeconds(5), () -> server.connections().isEmpty());
    }

    /** {@code prefix} in ASCII, then {@code hex} bytes, padded with 'x' to {@code length} bytes. */
    private static byte[] concat(String prefix, String hex, int length) {
        byte[] bytes = Arrays.copyOf(prefix.getBytes(StandardCharsets.US_ASCII), length);
        byte[] bad = Hex.bytes(hex);
        System.arraycopy(bad, 0, bytes, prefix.length(), bad.length);
        Arrays.fill(bytes, prefix.length() + bad.length, length, (byte) 'x');
        return bytes;
    }

    @Test
    void bytesAfterTheViolationAreIgnoredAndDoNotResetTheCloseFrame() throws Exception {
        WebSocketServer server = start();
        EventRecorder events = record(server);
        WirePeer peer = open(server);
        events.next(OpenEvent.class);
        byte[] junk = new byte[256 * 1024];
        peer.send(RawFrames.stream(RawFrames.text("hi").build(), junk));   // unmasked, then a flood
        WireFrame close = peer.readFrame();
        assertEquals(1002, close.closeCode());
        assertArrayEquals(new byte[0], peer.readToEnd(), "nothing after the Close frame, then a clean end of stream");
        peer.close();
        assertEquals(1002, events.skipTo(CloseEvent.class).code());
    }
}
