package dev.leanws.testing.conformance;

import dev.leanws.testing.DeflateReader;
import dev.leanws.testing.RawFrames;
import dev.leanws.testing.conformance.DeflateCases.DeflateCase;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.Deflater;

/**
 * Plays a {@link DeflateCase} as the test suite's end of a connection whose handshake agreed
 * the case's parameters, against an implementation that echoes every message: each message is
 * compressed with the suite's own parameters by the JDK's {@link Deflater} (with a 32 KiB
 * window; below 15 agreed bits with Huffman coding only, which no window can object to), RSV1
 * on the first frame only, then split into frames if the case says so, and each echo is read back and judged by an independent decoder
 * ({@link DeflateReader}): the content must match, RSV1 may only be on the first frame, and no
 * match may reach further back than the implementation's agreed window, nor into an earlier
 * message when it agreed to no context takeover. Uncompressed echoes (RSV1 clear) are accepted,
 * as RFC 7692 §6 allows. Ends with a clean closing handshake (1000 both ways).
 */
public final class DeflateCaseRunner {

    private final DataInputStream in;
    private final OutputStream out;
    private final boolean suiteIsClient;
    private final DeflateCases.Agreed agreed;
    private final SplittableRandom keys = new SplittableRandom(42);

    /**
     * @param suiteIsClient the suite is the client (masks what it sends; the implementation is a server)
     */
    public DeflateCaseRunner(InputStream in, OutputStream out, boolean suiteIsClient, DeflateCases.Agreed agreed) {
        this.in = new DataInputStream(in);
        this.out = out;
        this.suiteIsClient = suiteIsClient;
        this.agreed = agreed;
    }

    /** Runs the case; returns null when it passed, or what went wrong. */
    public String run(DeflateCase c) throws IOException {
        boolean suiteIsServer = !suiteIsClient;
        Deflater deflater = new Deflater(6, true);
        if (agreed.maxWindowBits(suiteIsServer) < 15) {
            deflater.setStrategy(Deflater.HUFFMAN_ONLY);
        }
        boolean suiteResets = agreed.noContextTakeover(suiteIsServer);
        DeflateReader reader = new DeflateReader();
        int implWindow = 1 << agreed.maxWindowBits(!suiteIsServer);
        boolean implResets = agreed.noContextTakeover(!suiteIsServer);
        int opcode = DeflateCases.isText(c.payload()) ? 0x1 : 0x2;
        try {
            for (int i = 0; i < c.count(); i++) {
                byte[] message = DeflateCases.message(c, i);
                byte[] compressed = compress(deflater, message);
                if (suiteResets) {
                    deflater.reset();
                }
                sendMessage(opcode, compressed, c.fragment());
                Echo echo = readMessage();
                if (echo == null) {
                    return "no echo for message " + (i + 1) + " (the connection closed)";
                }
                if (echo.problem != null) {
                    return "message " + (i + 1) + ": " + echo.problem;
                }
                if (echo.opcode != opcode) {
                    return "message " + (i + 1) + ": echo has opcode " + echo.opcode;
                }
                byte[] content = echo.payload;
                if (echo.compressed) {
                    if (implResets) {
                        reader.reset();
                    }
                    try {
                        content = reader.read(concat(echo.payload, new byte[] {0, 0, (byte) 0xFF, (byte) 0xFF}));
                    } catch (IllegalArgumentException e) {
                        return "message " + (i + 1) + ": the echo does not decode: " + e.getMessage();
                    }
                    if (reader.maxDistance() > implWindow) {
                        return "message " + (i + 1) + ": a match reaches " + reader.maxDistance() + " bytes back, window "
                                + implWindow;
                    }
                }
                if (!Arrays.equals(message, content)) {
                    return "message " + (i + 1) + ": the echo differs";
                }
            }
            out.write(frame(0x8, true, false, new byte[] {0x03, (byte) 0xE8}));
            out.flush();
            Echo close = readMessage();
            if (close == null || close.opcode != 0x8 || close.payload.length < 2
                    || ((close.payload[0] & 0xFF) << 8 | (close.payload[1] & 0xFF)) != 1000) {
                return "no Close 1000 echoed";
            }
            return null;
        } finally {
            deflater.end();
        }
    }

    private void sendMessage(int opcode, byte[] compressed, int fragment) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        if (fragment <= 0 || compressed.length <= fragment) {
            wire.writeBytes(frame(opcode, true, true, compressed));
        } else {
            for (int from = 0; from < compressed.length; from += fragment) {
                int to = Math.min(compressed.length, from + fragment);
                wire.writeBytes(frame(from == 0 ? opcode : 0x0, to == compressed.length, from == 0,
                        Arrays.copyOfRange(compressed, from, to)));
            }
        }
        out.write(wire.toByteArray());
        out.flush();
    }

    private byte[] frame(int opcode, boolean fin, boolean rsv1, byte[] payload) {
        RawFrames.Builder b = RawFrames.frame().opcode(opcode).fin(fin).rsv(rsv1 ? 0b100 : 0).payload(payload);
        return (suiteIsClient ? b.masked(keys.nextInt()) : b.unmasked()).build();
    }

    /** One data message (or a control frame) as it arrived. */
    private record Echo(int opcode, boolean compressed, byte[] payload, String problem) {
    }

    /** Reads the next data message, or the next Close; answers pings. Null at the end of the stream. */
    private Echo readMessage() throws IOException {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        int opcode = -1;
        boolean compressed = false;
        while (true) {
            int b0 = in.read();
            if (b0 < 0) {
                return null;
            }
            int b1 = in.readUnsignedByte();
            boolean fin = (b0 & 0x80) != 0;
            int rsv = (b0 >> 4) & 0x7;
            int op = b0 & 0x0F;
            long length = b1 & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            boolean masked = (b1 & 0x80) != 0;
            if (masked == suiteIsClient) {
                return new Echo(op, false, new byte[0], masked ? "a server frame is masked" : "a client frame is not masked");
            }
            byte[] key = new byte[4];
            if (masked) {
                in.readFully(key);
            }
            byte[] data = new byte[(int) length];
            in.readFully(data);
            if (masked) {
                for (int i = 0; i < data.length; i++) {
                    data[i] ^= key[i & 3];
                }
            }
            if (op >= 0x8) {
                if (rsv != 0) {
                    return new Echo(op, false, data, "RSV bits on a control frame");
                }
                if (op == 0x8) {
                    return new Echo(op, false, data, null);
                }
                continue;   // pings and pongs are not part of the exchange
            }
            if ((rsv & 0b011) != 0) {
                return new Echo(op, false, data, "RSV2 or RSV3 set");
            }
            if (opcode < 0) {
                if (op == 0) {
                    return new Echo(op, false, data, "continuation without a message");
                }
                opcode = op;
                compressed = (rsv & 0b100) != 0;
            } else if (op != 0) {
                return new Echo(op, false, data, "new message inside a fragmented one");
            } else if ((rsv & 0b100) != 0) {
                return new Echo(op, false, data, "RSV1 on a continuation frame");
            }
            payload.writeBytes(data);
            if (fin) {
                return new Echo(opcode, compressed, payload.toByteArray(), null);
            }
        }
    }

    /** Raw DEFLATE of one message, sync-flushed, the trailing 00 00 ff ff removed (RFC 7692 §7.2.1). */
    private static byte[] compress(Deflater deflater, byte[] message) {
        deflater.setInput(message);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (true) {
            int n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            out.write(buffer, 0, n);
            if (n < buffer.length && deflater.needsInput()) {
                break;
            }
        }
        byte[] all = out.toByteArray();
        if (all.length < 4) {
            return new byte[] {0};   // an empty message right after a flush
        }
        return Arrays.copyOf(all, all.length - 4);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
