package dev.leanws.testing.conformance;

import dev.leanws.testing.RawFrames;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A frame a case sends, before it is encoded for a side (a client masks it, a server does
 * not). Anything goes: reserved bits, reserved opcodes, control frames without FIN or longer
 * than 125 bytes.
 *
 * @param fin     the FIN bit
 * @param rsv     the three RSV bits as 0-7
 * @param opcode  any 4-bit opcode
 * @param payload the payload, unmasked
 */
public record Frame(boolean fin, int rsv, int opcode, byte[] payload) {

    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    public static Frame of(int opcode, byte[] payload) {
        return new Frame(true, 0, opcode, payload);
    }

    public static Frame text(String text) {
        return of(TEXT, utf8(text));
    }

    public static Frame text(byte[] bytes) {
        return of(TEXT, bytes);
    }

    public static Frame binary(byte[] bytes) {
        return of(BINARY, bytes);
    }

    public static Frame continuation(boolean fin, byte[] bytes) {
        return new Frame(fin, 0, CONTINUATION, bytes);
    }

    public static Frame ping(byte[] bytes) {
        return of(PING, bytes);
    }

    public static Frame pong(byte[] bytes) {
        return of(PONG, bytes);
    }

    /** A Close frame with a 2-byte code (its low 16 bits) and the reason's bytes. */
    public static Frame close(int code, byte[] reason) {
        byte[] payload = new byte[2 + reason.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(reason, 0, payload, 2, reason.length);
        return of(CLOSE, payload);
    }

    public static Frame close(int code) {
        return close(code, new byte[0]);
    }

    public Frame fin(boolean value) {
        return new Frame(value, rsv, opcode, payload);
    }

    public Frame rsv(int value) {
        return new Frame(fin, value, opcode, payload);
    }

    /** A builder that writes this frame (unmasked until the sending side masks it). */
    public RawFrames.Builder builder() {
        return RawFrames.frame().fin(fin).rsv(rsv).opcode(opcode).payload(payload);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && fin == f.fin && rsv == f.rsv && opcode == f.opcode && Arrays.equals(payload, f.payload);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(payload) * 31 + opcode;
    }

    @Override
    public String toString() {
        return "Frame[op=" + opcode + " fin=" + fin + " rsv=" + rsv + " len=" + payload.length + "]";
    }
}
