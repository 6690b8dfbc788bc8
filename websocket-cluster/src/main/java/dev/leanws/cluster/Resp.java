package dev.leanws.cluster;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * RESP2, the Redis serialization protocol (redis.io/docs/reference/protocol-spec), as far as
 * pub/sub needs it: commands out as arrays of bulk strings, replies in as simple strings,
 * errors, integers, bulk strings and arrays. Every length a server sends is checked against a
 * limit before anything is allocated for it.
 */
final class Resp {

    /** An error reply ({@code -ERR ...}, {@code -WRONGPASS ...}). */
    record Error(String message) {
    }

    private static final byte[] CRLF = {'\r', '\n'};
    /** Longest status, error or length line we accept (Redis' own are far shorter). */
    private static final int MAX_LINE = 64 * 1024;
    /** Most elements of one array reply: a pub/sub push has 3, a batched SUBSCRIBE ack is 3 too. */
    private static final int MAX_ARRAY = 1024;

    private Resp() {
    }

    /** One command: an array of bulk strings. */
    static byte[] command(byte[]... args) {
        int size = 16;
        for (byte[] a : args) {
            size += a.length + 16;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.write('*');
        writeAscii(out, Integer.toString(args.length));
        out.writeBytes(CRLF);
        for (byte[] a : args) {
            out.write('$');
            writeAscii(out, Integer.toString(a.length));
            out.writeBytes(CRLF);
            out.writeBytes(a);
            out.writeBytes(CRLF);
        }
        return out.toByteArray();
    }

    /** {@link #command(byte[]...)} with UTF-8 strings. */
    static byte[] command(String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = utf8(args[i]);
        }
        return command(bytes);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void writeAscii(ByteArrayOutputStream out, String s) {
        for (int i = 0; i < s.length(); i++) {
            out.write(s.charAt(i));
        }
    }

    /**
     * Reads one reply: a {@code String} (simple string), an {@link Error}, a {@code Long}, a
     * {@code byte[]} (bulk string; null for the null bulk string), or a {@code List<Object>}
     * (array; null for the null array).
     *
     * @param maxBulk longest bulk string accepted
     * @throws IOException at end of stream, or on anything that is not RESP2 within the limits
     */
    static Object read(InputStream in, int maxBulk) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("Redis closed the connection");
        }
        return switch (type) {
            case '+' -> line(in);
            case '-' -> new Error(line(in));
            case ':' -> number(in);
            case '$' -> bulk(in, maxBulk);
            case '*' -> array(in, maxBulk);
            default -> throw new IOException("not a RESP2 reply: type byte 0x" + Integer.toHexString(type));
        };
    }

    private static byte[] bulk(InputStream in, int maxBulk) throws IOException {
        long length = number(in);
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > maxBulk) {
            throw new IOException("bulk string of " + length + " bytes (limit " + maxBulk + ")");
        }
        byte[] data = in.readNBytes((int) length);
        if (data.length != length || in.read() != '\r' || in.read() != '\n') {
            throw new EOFException("Redis closed the connection inside a bulk string");
        }
        return data;
    }

    private static List<Object> array(InputStream in, int maxBulk) throws IOException {
        long count = number(in);
        if (count == -1) {
            return null;
        }
        if (count < 0 || count > MAX_ARRAY) {
            throw new IOException("array of " + count + " elements (limit " + MAX_ARRAY + ")");
        }
        List<Object> items = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            Object item = read(in, maxBulk);
            if (item instanceof List) {
                throw new IOException("nested array in a pub/sub reply");
            }
            items.add(item);
        }
        return items;
    }

    private static long number(InputStream in) throws IOException {
        String s = line(in);
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IOException("not a RESP2 integer: " + s);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("Redis closed the connection inside a reply");
            }
            if (b == '\r') {
                if (in.read() != '\n') {
                    throw new IOException("CR without LF in a RESP2 line");
                }
                return sb.toString();
            }
            if (sb.length() >= MAX_LINE) {
                throw new IOException("RESP2 line longer than " + MAX_LINE);
            }
            sb.append((char) b);   // ASCII by the protocol; an error text's UTF-8 shows as Latin-1
        }
    }

    /** A reply as text for messages and logs. */
    static String describe(Object reply) {
        if (reply instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (reply instanceof Error e) {
            return e.message();
        }
        if (reply instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            list.forEach(o -> parts.add(describe(o)));
            return parts.toString();
        }
        return String.valueOf(reply);
    }
}
