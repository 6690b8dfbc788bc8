package dev.leanws.runtime;

import dev.leanws.codec.FrameEncoder;
import dev.leanws.codec.FrameHeader;
import dev.leanws.codec.Opcode;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The client end of a loopback connection, speaking raw frames with a read deadline, so a test
 * fails instead of hanging when the other side does not answer.
 */
final class TestPeer implements AutoCloseable {

    record Frame(boolean fin, Opcode opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    TestPeer(Socket socket, int readTimeoutMillis) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(readTimeoutMillis);
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    void send(Opcode opcode, boolean fin, byte[] payload) throws IOException {
        ByteBuffer frame = FrameEncoder.encode(FrameHeader.masked(fin, opcode, 0x11223344, payload.length),
                ByteBuffer.wrap(payload));
        out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
    }

    void sendText(String text) throws IOException {
        send(Opcode.TEXT, true, text.getBytes(StandardCharsets.UTF_8));
    }

    void sendClose(int code) throws IOException {
        send(Opcode.CLOSE, true, new byte[] {(byte) (code >> 8), (byte) code});
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    /** Reads one unmasked frame. */
    Frame read() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        if ((b1 & 0x80) != 0) {
            throw new IOException("server frame is masked");
        }
        long length = b1 & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new Frame((b0 & 0x80) != 0, Opcode.of(b0 & 0x0F), payload);
    }

    /** Whether the other side closed TCP: end of stream before the read deadline. */
    boolean readsEndOfStream() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    void expectEndOfStream() throws IOException {
        try {
            int b = in.read();
            if (b >= 0) {
                throw new AssertionError("expected end of stream, got byte " + b);
            }
        } catch (EOFException e) {
            // fine
        }
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
