package dev.leanws.codec;

/** Frame opcodes of RFC 6455 §5.2. Reserved opcodes have no constant: {@link #of(int)} returns null. */
public enum Opcode {
    CONTINUATION(0x0),
    TEXT(0x1),
    BINARY(0x2),
    CLOSE(0x8),
    PING(0x9),
    PONG(0xA);

    private static final Opcode[] BY_CODE = new Opcode[16];

    static {
        for (Opcode op : values()) {
            BY_CODE[op.code] = op;
        }
    }

    private final int code;

    Opcode(int code) {
        this.code = code;
    }

    /** The 4-bit wire value. */
    public int code() {
        return code;
    }

    /** Close, ping and pong: at most 125 bytes of payload and never fragmented (§5.5). */
    public boolean isControl() {
        return (code & 0x8) != 0;
    }

    /** The opcode for a 4-bit value, or null for the reserved values 3-7 and 0xB-0xF. */
    public static Opcode of(int code) {
        return BY_CODE[code & 0xF];
    }
}
