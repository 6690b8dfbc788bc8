package dev.leanws.testing;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * A raw WebSocket endpoint for conformance and abuse tests, playing either side over loopback.
 * It sends whatever bytes it is given (any frame {@link RawFrames} can build: bad masks,
 * reserved bits and opcodes, lying lengths), split at any byte, with pauses between pieces;
 * and a reader thread records everything that comes back, with timing, in a {@link WireLog},
 * including whether and when the other side closed TCP.
 *
 * <p>As the {@linkplain Side#CLIENT client} it masks what {@link #frame} encodes; as the
 * {@linkplain Side#SERVER server} it does not. It never checks what it receives: the log
 * reports frames as they were, and judging them is the test's business.
 *
 * <pre>{@code
 * try (WirePeer peer = WirePeer.connect(server.port(), "/")) {
 *     byte[] bad = peer.frame(RawFrames.text("hi").rsv(2));
 *     peer.send(bad, 1);                                   // one byte per write
 *     peer.log().await(WireLog::closedOrEnded, Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class WirePeer implements AutoCloseable {

    /** The side this peer plays. */
    public enum Side { CLIENT, SERVER }

    /** Frames longer than this are not read (a runaway length would exhaust the test JVM). */
    private static final long MAX_FRAME = 64L << 20;
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    private final Socket socket;
    private final Side side;
    private final InputStream in;
    private final OutputStream out;
    private final WireLog log;
    private final SplittableRandom keys;
    private volatile boolean closedLocally;
    private volatile long lastSendNanos;

    private WirePeer(Socket socket, Side side, InputStream in, long origin) throws IOException {
        this.socket = socket;
        this.side = side;
        this.in = in;
        this.out = socket.getOutputStream();
        this.log = new WireLog(origin);
        this.keys = new SplittableRandom(socket.getLocalPort());
        socket.setSoTimeout(0);   // the reader blocks until data, end of stream, or close()
        Thread.ofVirtual().name("wire-peer-reader-" + socket.getLocalPort()).start(this::readLoop);
    }

    /** Connects to a server on loopback and completes the opening handshake on {@code path}, as a client. */
    public static WirePeer connect(int port, String path, String... extraHeaderLines) throws IOException {
        long origin = System.nanoTime();
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            WireHandshake.asClient(in, socket.getOutputStream(), path, extraHeaderLines);
            return new WirePeer(socket, Side.CLIENT, in, origin);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Accepts one client on {@code listener} (within {@code within}) and answers its handshake with 101, as a server. */
    public static WirePeer accept(ServerSocket listener, Duration within) throws IOException {
        listener.setSoTimeout((int) within.toMillis());
        Socket socket = listener.accept();
        long origin = System.nanoTime();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            WireHandshake.asServer(in, socket.getOutputStream());
            return new WirePeer(socket, Side.SERVER, in, origin);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** A loopback listener on an ephemeral port, for clients under test to connect to. */
    public static ServerSocket listen() throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return listener;
    }

    public Side side() {
        return side;
    }

    public WireLog log() {
        return log;
    }

    /** When the last write finished, in the log's time. */
    public long lastSendNanos() {
        return lastSendNanos;
    }

    /** Encodes a frame as this side sends it: masked with a fresh key by a client, as is by a server. */
    public byte[] frame(RawFrames.Builder frame) {
        return side == Side.CLIENT ? frame.masked(keys.nextInt()).build() : frame.unmasked().build();
    }

    /**
     * A data message as this side sends it, cut into frames of {@code fragmentSize} payload
     * bytes (1: one frame per byte); an empty payload is one empty frame.
     *
     * @param opcode the first frame's opcode (text or binary); the others are continuations
     */
    public byte[] fragmented(int opcode, byte[] payload, int fragmentSize) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int at = 0;
        do {
            int end = Math.min(payload.length, at + fragmentSize);
            out.writeBytes(frame(RawFrames.frame().opcode(at == 0 ? opcode : 0).fin(end == payload.length)
                    .payload(java.util.Arrays.copyOfRange(payload, at, end))));
            at = end;
        } while (at < payload.length);
        return out.toByteArray();
    }

    /** Writes {@code bytes} at once. */
    public void send(byte[] bytes) throws IOException {
        writing(bytes.length);
        out.write(bytes);
        out.flush();
        lastSendNanos = log.now();
    }

    /** Logged before the write, so an answer to these bytes can never be logged ahead of them. */
    private void writing(int bytes) {
        log.add(new WireLog.Sent(log.now(), bytes));
    }

    /** Writes {@code bytes} in pieces of {@code chop} bytes, each its own write (0: at once). */
    public void send(byte[] bytes, int chop) throws IOException {
        if (chop <= 0) {
            send(bytes);
            return;
        }
        for (int at = 0; at < bytes.length; at += chop) {
            int n = Math.min(chop, bytes.length - at);
            writing(n);
            out.write(bytes, at, n);
            out.flush();
        }
        lastSendNanos = log.now();
    }

    /** Writes one byte at a time with {@code gap} between bytes (a deliberately slow peer). */
    public void sendSlowly(byte[] bytes, Duration gap) throws IOException {
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0) {
                LockSupport.parkNanos(gap.toNanos());
            }
            writing(1);
            out.write(bytes[i]);
            out.flush();
        }
        lastSendNanos = log.now();
    }

    /** Sends FIN: the other side reads end of stream; this peer keeps reading. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Resets the connection (RST instead of FIN), as a crashed peer would. */
    public void reset() throws IOException {
        closedLocally = true;
        socket.setSoLinger(true, 0);
        socket.close();
    }

    public boolean isOpen() {
        return !socket.isClosed();
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        closedLocally = true;
        socket.close();
    }

    private void readLoop() {
        DataInputStream data = new DataInputStream(in);
        try {
            while (true) {
                int b0 = data.read();
                if (b0 < 0) {
                    log.add(new WireLog.End(log.now(), false, "end of stream"));
                    return;
                }
                int b1 = data.readUnsignedByte();
                long length = b1 & 0x7F;
                if (length == 126) {
                    length = data.readUnsignedShort();
                } else if (length == 127) {
                    length = data.readLong();
                }
                if (length < 0 || length > MAX_FRAME) {
                    log.add(new WireLog.End(log.now(), false, "unreadable frame length " + length));
                    socket.close();
                    return;
                }
                boolean masked = (b1 & 0x80) != 0;
                int key = masked ? data.readInt() : 0;
                byte[] payload = new byte[(int) length];
                data.readFully(payload);
                for (int i = 0; masked && i < payload.length; i++) {
                    payload[i] ^= (byte) (key >>> (24 - 8 * (i & 3)));
                }
                log.add(new WireLog.FrameIn(log.now(), (b0 & 0x80) != 0, (b0 >>> 4) & 7, b0 & 0x0F, masked, payload));
            }
        } catch (EOFException e) {
            log.add(new WireLog.End(log.now(), false, "end of stream inside a frame"));
        } catch (SocketException e) {
            boolean local = closedLocally;
            log.add(new WireLog.End(log.now(), !local, local ? "closed locally" : "reset: " + e.getMessage()));
        } catch (IOException e) {
            log.add(new WireLog.End(log.now(), false, e.toString()));
        }
    }

    @Override
    public String toString() {
        return "WirePeer[" + side + " :" + socket.getLocalPort() + "]";
    }
}
