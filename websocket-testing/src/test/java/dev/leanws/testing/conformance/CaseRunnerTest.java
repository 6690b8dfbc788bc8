package dev.leanws.testing.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.testing.RawFrames;
import dev.leanws.testing.WireFrame;
import dev.leanws.testing.WireLog;
import dev.leanws.testing.WirePeer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The judge must be able to say no: the runner plays cases against a toy server with chosen
 * flaws and must report exactly those flaws (and OK where it has none).
 */
class CaseRunnerTest {

    /** How the toy server deviates from RFC 6455. */
    enum Flaw { NONE, NO_UTF8_CHECK, UTF8_CHECKED_AT_MESSAGE_END, ANY_CLOSE_CODE, KEEPS_TCP_OPEN, PONGS_AFTER_MESSAGE }

    private Outcome play(String id, Flaw flaw) throws Exception {
        Case c = Catalogue.all().stream().filter(k -> k.id().equals(id)).findFirst().orElseThrow();
        try (ServerSocket listener = WirePeer.listen()) {
            CompletableFuture<Void> server = CompletableFuture.runAsync(() -> toyServer(listener, flaw));
            // Short waits for what a flawed server never sends, and pauses of 200 ms instead of 1 s:
            // the toy server answers within milliseconds.
            Outcome outcome = CaseRunner.run(c, WirePeer.connect(listener.getLocalPort(), "/"), Duration.ofMillis(500), 0.2);
            server.get(10, TimeUnit.SECONDS);
            return outcome;
        }
    }

    @Test
    void aFaithfulServerIsOk() throws Exception {
        for (String id : List.of("1.1.1", "2.10", "5.19", "6.3.1", "6.4.1", "7.9.1")) {
            Outcome outcome = play(id, Flaw.NONE);
            assertEquals(Outcome.Verdict.OK, outcome.verdict(), id + ": " + outcome);
        }
    }

    @Test
    void eachFlawIsCaught() throws Exception {
        Outcome noUtf8 = play("6.3.1", Flaw.NO_UTF8_CHECK);
        assertEquals(Outcome.Verdict.FAILED, noUtf8.verdict());
        assertTrue(noUtf8.summary().contains("events [text("), noUtf8.summary());
        assertEquals(Outcome.Verdict.NON_STRICT, play("6.4.1", Flaw.UTF8_CHECKED_AT_MESSAGE_END).verdict());
        Outcome lateInOneFrame = play("6.4.4", Flaw.UTF8_CHECKED_AT_MESSAGE_END);
        assertEquals(Outcome.Verdict.NON_STRICT, lateInOneFrame.verdict(), lateInOneFrame.toString());
        assertEquals("FAILED close code 1000 instead of [1002]", play("7.9.3", Flaw.ANY_CLOSE_CODE).ratchetValue());
        assertEquals("FAILED TCP still open after the closing handshake", play("1.1.1", Flaw.KEEPS_TCP_OPEN).ratchetValue());
        Outcome latePongs = play("5.19", Flaw.PONGS_AFTER_MESSAGE);
        assertTrue(latePongs.summary().startsWith("events [timeout(A), text("), latePongs.summary());
    }

    /** Serves one connection: echo, pong, close echo, and {@code flaw}. Frames are read from the peer's log. */
    private static void toyServer(ServerSocket listener, Flaw flaw) {
        try (WirePeer peer = WirePeer.accept(listener, Duration.ofSeconds(5))) {
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            List<byte[]> heldPongs = new java.util.ArrayList<>();
            int messageOpcode = -1;
            for (int seen = 0; ; seen++) {
                int index = seen;
                if (!peer.log().await(e -> e.size() > index, Duration.ofSeconds(5))) {
                    return;
                }
                WireLog.Entry entry = peer.log().entries().get(index);
                if (entry instanceof WireLog.Sent) {
                    continue;   // its own writes
                }
                if (!(entry instanceof WireFrame f)) {
                    return;   // the client ended the stream
                }
                switch (f.opcode()) {
                    case Frame.PING -> {
                        if (flaw == Flaw.PONGS_AFTER_MESSAGE && messageOpcode >= 0) {
                            heldPongs.add(f.payload());
                        } else {
                            peer.send(peer.frame(RawFrames.frame().opcode(Frame.PONG).payload(f.payload())));
                        }
                    }
                    case Frame.CLOSE -> {
                        int code = f.closeCode();
                        boolean valid = flaw == Flaw.ANY_CLOSE_CODE || Transcript.isSendableCode(code) && code <= 4999;
                        peer.send(peer.frame(RawFrames.close(valid ? 1000 : 1002, "")));
                        if (flaw == Flaw.KEEPS_TCP_OPEN) {
                            peer.log().awaitEnd(Duration.ofSeconds(5));
                        }
                        return;
                    }
                    case Frame.TEXT, Frame.BINARY, Frame.CONTINUATION -> {
                        messageOpcode = f.opcode() == Frame.CONTINUATION ? messageOpcode : f.opcode();
                        message.writeBytes(f.payload());
                        boolean text = messageOpcode == Frame.TEXT;
                        boolean checkNow = flaw == Flaw.NONE || flaw == Flaw.ANY_CLOSE_CODE || flaw == Flaw.KEEPS_TCP_OPEN
                                || flaw == Flaw.PONGS_AFTER_MESSAGE || f.fin() && flaw == Flaw.UTF8_CHECKED_AT_MESSAGE_END;
                        if (text && checkNow && !validPrefix(message.toByteArray(), f.fin())) {
                            peer.send(peer.frame(RawFrames.close(1007, "")));
                            peer.log().await(WireLog::closedOrEnded, Duration.ofSeconds(5));   // the echo
                            return;
                        }
                        if (f.fin()) {
                            peer.send(peer.frame(RawFrames.frame().opcode(messageOpcode).payload(message.toByteArray())));
                            for (byte[] pong : heldPongs) {
                                peer.send(peer.frame(RawFrames.frame().opcode(Frame.PONG).payload(pong)));
                            }
                            heldPongs.clear();
                            message.reset();
                            messageOpcode = -1;
                        }
                    }
                    default -> {
                        peer.send(peer.frame(RawFrames.close(1002, "")));
                        peer.log().await(WireLog::closedOrEnded, Duration.ofSeconds(5));
                        return;
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Whether {@code bytes} are valid UTF-8, or (when not {@code complete}) could still become so. */
    private static boolean validPrefix(byte[] bytes, boolean complete) {
        java.nio.charset.CharsetDecoder decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT);
        return !decoder.decode(java.nio.ByteBuffer.wrap(bytes), java.nio.CharBuffer.allocate(bytes.length + 1), complete).isError();
    }
}
