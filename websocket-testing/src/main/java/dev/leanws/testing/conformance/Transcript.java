package dev.leanws.testing.conformance;

import dev.leanws.testing.WireFrame;
import dev.leanws.testing.WireLog;
import dev.leanws.testing.WirePeer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the implementation did, read from a {@link WireLog}: the events before its Close frame
 * (messages reassembled from fragments, pings, pongs, and the suite's pause markers), its
 * Close frame (and the suite's last write before it), how TCP ended, and the first rule it broke in what it sent (RFC 6455 checks
 * written independently of the library: masking by role, RSV bits, opcodes, control frame
 * rules, fragment order, UTF-8 of text and close reasons, nothing after Close).
 */
record Transcript(List<Event> events, WireFrame close, WireLog.End end, String violation, long lastWriteBeforeClose) {

    /** Reads the log of a peer playing {@code suiteSide}; the implementation is the other side. */
    static Transcript of(List<WireLog.Entry> entries, WirePeer.Side suiteSide) {
        boolean framesMustBeMasked = suiteSide == WirePeer.Side.SERVER;
        List<Event> events = new ArrayList<>();
        WireFrame close = null;
        WireLog.End end = null;
        String violation = null;
        long lastWrite = -1;
        Integer messageOpcode = null;
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        for (WireLog.Entry entry : entries) {
            if (entry instanceof WireLog.End e) {
                end = end == null ? e : end;
                continue;
            }
            if (entry instanceof WireLog.Sent s) {
                lastWrite = close == null ? s.nanos() : lastWrite;
                continue;
            }
            if (entry instanceof WireLog.Marker m) {
                if (close == null) {
                    events.add(Event.timeout(m.label()));
                }
                continue;
            }
            WireFrame f = (WireFrame) entry;
            String problem = null;
            if (close != null) {
                problem = "a frame after its Close frame";
            } else if (f.masked() != framesMustBeMasked) {
                problem = framesMustBeMasked ? "an unmasked frame from a client" : "a masked frame from a server";
            } else if (f.rsv() != 0) {
                problem = "RSV bits " + f.rsv() + " without an extension";
            } else if (f.opcode() >= 0x8) {
                problem = controlProblem(f);
                if (problem == null) {
                    switch (f.opcode()) {
                        case Frame.PING -> events.add(Event.ping(f.payload()));
                        case Frame.PONG -> events.add(Event.pong(f.payload()));
                        default -> close = f;
                    }
                }
            } else if (f.opcode() > Frame.BINARY) {
                problem = "reserved opcode " + f.opcode();
            } else if (f.opcode() == Frame.CONTINUATION && messageOpcode == null) {
                problem = "a continuation frame without a message";
            } else if (f.opcode() != Frame.CONTINUATION && messageOpcode != null) {
                problem = "a new message inside a fragmented one";
            } else {
                if (messageOpcode == null) {
                    messageOpcode = f.opcode();
                    message.reset();
                }
                message.writeBytes(f.payload());
                if (f.fin()) {
                    byte[] bytes = message.toByteArray();
                    if (messageOpcode == Frame.TEXT && !isUtf8(bytes)) {
                        problem = "a text message that is not UTF-8";
                    }
                    events.add(messageOpcode == Frame.TEXT ? Event.text(bytes) : Event.binary(bytes));
                    messageOpcode = null;
                }
            }
            if (problem != null && violation == null) {
                violation = "the implementation sent " + problem;
            }
        }
        return new Transcript(List.copyOf(events), close, end, violation, lastWrite);
    }

    private static String controlProblem(WireFrame f) {
        if (f.opcode() > Frame.PONG) {
            return "reserved control opcode " + f.opcode();
        }
        if (!f.fin()) {
            return "a fragmented control frame";
        }
        if (f.payload().length > 125) {
            return "a control frame of " + f.payload().length + " bytes";
        }
        if (f.isClose()) {
            byte[] p = f.payload();
            if (p.length == 1) {
                return "a Close frame with a 1-byte payload";
            }
            if (p.length >= 2 && !isSendableCode(f.closeCode())) {
                return "close code " + f.closeCode();
            }
            if (p.length > 2 && !isUtf8(java.util.Arrays.copyOfRange(p, 2, p.length))) {
                return "a close reason that is not UTF-8";
            }
        }
        return null;
    }

    /** RFC 6455 §7.4: codes an endpoint may put in a Close frame. */
    static boolean isSendableCode(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }

    /** UTF-8 validity by the JDK's decoder, an oracle independent of the library's validator. */
    static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The number of complete data messages in {@code entries} (cheap: no reassembly). */
    static int messages(List<WireLog.Entry> entries) {
        int count = 0;
        for (WireLog.Entry e : entries) {
            if (e instanceof WireFrame f && f.fin() && f.opcode() <= Frame.BINARY) {
                count++;
            }
        }
        return count;
    }
}
