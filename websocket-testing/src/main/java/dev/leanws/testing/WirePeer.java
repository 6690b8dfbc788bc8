package dev.leanws.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The one raw WebSocket peer of the tests, playing either side over loopback with bytes written
 * by hand, independently of the library: the HTTP of the opening handshake, frames built with
 * {@link RawFrames} (valid or not: bad masks, reserved bits and opcodes, lying lengths), split at
 * any byte or sent slowly, and exact reads of what comes back ({@link WireFrame}, {@link WireHead}).
 *
 * <p>As the {@linkplain Side#CLIENT client} it masks what it {@linkplain #frame encodes}; as the
 * {@linkplain Side#SERVER server} it does not. It never checks what it receives: judging the
 * frames is the test's business.
 *
 * <p>Two ways to read. By default the test reads, and nothing is read unless it asks: every read
 * waits at most the {@linkplain #readTimeout read timeout} (10 s), so a silent other side fails
 * the test instead of hanging it, and a peer that never reads plays a stalled consumer. After
 * {@link #startLog()}, a virtual thread reads every frame as it arrives into a {@link WireLog}
 * with timings (for conformance and abuse tests); {@link #readFrame()} then takes the frames from
 * the log in order.
 *
 * <pre>{@code
 * try (WirePeer peer = WirePeer.open(server.port(), "/")) {      // a client, handshake done
 *     peer.sendText("hi");                                        // masked
 *     assertEquals("hi", peer.readFrame().text());
 *     peer.send(peer.frame(RawFrames.text("x").rsv(2)), 1);       // a violation, one byte per write
 *     assertEquals(1002, peer.readUntilClose().closeCode());
 *     assertTrue(peer.readsEndOfStream());
 * }
 * try (WireServer server = WireServer.start()) {                  // the server side of a client test
 *     ... connect a client to server.uri("/") ...
 *     WirePeer peer = server.accept();
 *     WireHead request = peer.acceptHandshake();
 *     peer.sendText("hello");                                     // unmasked
 *     assertEquals(1000, peer.answerClose().closeCode());
 * }
 * }</pre>
 */
public final class WirePeer implements AutoCloseable {

    /** The side this peer plays. */
    public enum Side { CLIENT, SERVER }

    /** The {@code Sec-WebSocket-Key} of {@link #upgradeRequest} (the RFC's sample nonce). */
    public static final String KEY = WireHandshake.KEY;
    /** A masking key for frames a test builds itself with {@link RawFrames.Builder#masked(int)}. */
    public static final int MASK = 0x37fa213d;
    /** The read timeout a peer starts with. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final Side side;
    private final WireInput input;
    private final OutputStream out;
    private final WireLog log;
    private final SplittableRandom keys;
    private volatile long lastSendNanos;

    private WirePeer(Socket socket, Side side, long origin) throws IOException {
        this.socket = socket;
        this.side = side;
        this.out = socket.getOutputStream();
        this.log = new WireLog(origin);
        this.input = new WireInput(socket, log);
        this.keys = new SplittableRandom(socket.getLocalPort());
        socket.setTcpNoDelay(true);
    }

    /** A peer over a connected socket (e.g. one end of a loopback pair), nothing sent or read yet. */
    public static WirePeer over(Socket socket, Side side) throws IOException {
        return new WirePeer(socket, side, System.nanoTime());
    }

    /** A client's TCP connection to a loopback port, nothing sent yet. */
    public static WirePeer connect(int port) throws IOException {
        long origin = System.nanoTime();
        return new WirePeer(new Socket(InetAddress.getLoopbackAddress(), port), Side.CLIENT, origin);
    }

    /** A client's TCP connection from a given loopback source address (e.g. 127.0.0.2), nothing sent yet. */
    public static WirePeer connectFrom(String sourceAddress, int port) throws IOException {
        long origin = System.nanoTime();
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(sourceAddress, 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) READ_TIMEOUT.toMillis());
            return new WirePeer(socket, Side.CLIENT, origin);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** A client that completed the opening handshake on {@code path}; it reads nothing more unless asked. */
    public static WirePeer open(int port, String path, String... extraHeaderLines) throws IOException {
        return connect(port).upgrade(path, extraHeaderLines);
    }

    /**
     * Completes the opening handshake on {@code path} as a client (after {@link #connect(int)} or
     * {@link #connectFrom}); closes this peer and throws if the answer is not a valid 101.
     */
    public WirePeer upgrade(String path, String... extraHeaderLines) throws IOException {
        try {
            send(upgradeRequest(path, extraHeaderLines));
            WireHandshake.check(readResponse());
            return this;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** {@link #upgrade(String, String...)} on {@code /}. */
    public WirePeer upgrade() throws IOException {
        return upgrade("/");
    }

    /** A client that completed the opening handshake on {@code path} and {@linkplain #startLog() logs} from then on. */
    public static WirePeer connect(int port, String path, String... extraHeaderLines) throws IOException {
        return open(port, path, extraHeaderLines).startLog();
    }

    /** A loopback listener on an ephemeral port, for clients under test to connect to (see also {@link WireServer}). */
    public static ServerSocket listen() throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return listener;
    }

    /** Accepts one client on {@code listener} (within {@code within}), answers its handshake with 101, and logs. */
    public static WirePeer accept(ServerSocket listener, Duration within) throws IOException {
        listener.setSoTimeout((int) within.toMillis());
        WirePeer peer = over(listener.accept(), Side.SERVER);
        try {
            peer.acceptHandshake();
            return peer.startLog();
        } catch (IOException | RuntimeException e) {
            peer.close();
            throw e;
        }
    }

    /** A valid upgrade request head for {@code path}; extra lines such as {@code "Origin: x"} go before the end. */
    public static String upgradeRequest(String path, String... extraHeaderLines) {
        return WireHandshake.request(path, extraHeaderLines);
    }

    /** A 101 response that accepts {@code request}, plus extra lines ("Name: value"). */
    public static String switchingProtocols(WireHead request, String... extraHeaderLines) {
        return WireHandshake.switchingProtocols(request, extraHeaderLines);
    }

    /** The {@code Sec-WebSocket-Accept} value for a {@code Sec-WebSocket-Key}. */
    public static String acceptKey(String key) {
        return WireHandshake.accept(key);
    }

    public Side side() {
        return side;
    }

    /** What this peer read and sent since {@link #startLog()}. */
    public WireLog log() {
        return log;
    }

    /** When the last write finished, in the log's time. */
    public long lastSendNanos() {
        return lastSendNanos;
    }

    /** How long each read waits from now on (the default is {@link #READ_TIMEOUT}). */
    public WirePeer readTimeout(Duration timeout) throws IOException {
        input.timeout(timeout);
        return this;
    }

    /**
     * From now on a virtual thread reads every frame into the {@link #log()}, with timings, and
     * how the stream ended; HTTP reads are no longer possible.
     */
    public WirePeer startLog() throws IOException {
        input.startLog("wire-peer-reader-" + socket.getLocalPort());
        return this;
    }

    // ---- HTTP -------------------------------------------------------------------------------

    /** Reads an HTTP response head and its {@code Content-Length} body. */
    public WireHead readResponse() throws IOException {
        return input.readHead(true);
    }

    /** Reads an HTTP request head (a server peer reading the client's upgrade request). */
    public WireHead readRequest() throws IOException {
        return input.readHead(false);
    }

    /** Reads the upgrade request and accepts it with a 101 carrying the extra lines; returns the request. */
    public WireHead acceptHandshake(String... extraHeaderLines) throws IOException {
        WireHead request = readRequest();
        send(switchingProtocols(request, extraHeaderLines));
        return request;
    }

    // ---- writing ----------------------------------------------------------------------------

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
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        int at = 0;
        do {
            int end = Math.min(payload.length, at + fragmentSize);
            frames.writeBytes(frame(RawFrames.frame().opcode(at == 0 ? opcode : RawFrames.CONTINUATION)
                    .fin(end == payload.length).payload(Arrays.copyOfRange(payload, at, end))));
            at = end;
        } while (at < payload.length);
        return frames.toByteArray();
    }

    /** Writes {@code bytes} at once. */
    public void send(byte[] bytes) throws IOException {
        writing(bytes.length);
        out.write(bytes);
        out.flush();
        lastSendNanos = log.now();
    }

    /** Writes text as ISO-8859-1 bytes (an HTTP head, say). */
    public void send(String ascii) throws IOException {
        send(ascii.getBytes(StandardCharsets.ISO_8859_1));
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
                LockSupport.parkNanos(gap.toNanos());   // the slowness under test, not a wait for an event
            }
            writing(1);
            out.write(bytes[i]);
            out.flush();
        }
        lastSendNanos = log.now();
    }

    /**
     * Logged (once the peer logs) before the write, so an answer to these bytes can never be
     * logged ahead of them.
     */
    private void writing(int bytes) {
        if (input.logging()) {
            log.add(new WireLog.Sent(log.now(), bytes));
        }
    }

    /** Sends a frame as this side does ({@link #frame}). */
    public void sendFrame(RawFrames.Builder frame) throws IOException {
        send(frame(frame));
    }

    public void sendText(String text) throws IOException {
        sendFrame(RawFrames.text(text));
    }

    public void sendBinary(byte[] data) throws IOException {
        sendFrame(RawFrames.binary(data));
    }

    public void sendPing(byte[] payload) throws IOException {
        sendFrame(RawFrames.ping(payload));
    }

    /** A ping with the UTF-8 bytes of {@code payload}. */
    public void sendPing(String payload) throws IOException {
        sendPing(payload.getBytes(StandardCharsets.UTF_8));
    }

    public void sendPong(byte[] payload) throws IOException {
        sendFrame(RawFrames.pong(payload));
    }

    public void sendClose(int code, String reason) throws IOException {
        sendFrame(RawFrames.close(code, reason));
    }

    /** A Close frame with a code and no reason. */
    public void sendClose(int code) throws IOException {
        sendClose(code, "");
    }

    // ---- reading ----------------------------------------------------------------------------

    /**
     * The next frame, within the read timeout.
     *
     * @throws java.net.SocketTimeoutException if none came in time
     * @throws java.io.EOFException           if the stream ended first
     */
    public WireFrame readFrame() throws IOException {
        return input.readFrame();
    }

    /** Reads frames until a Close frame, which it returns; data and control frames before it are skipped. */
    public WireFrame readUntilClose() throws IOException {
        while (true) {
            WireFrame frame = readFrame();
            if (frame.isClose()) {
                return frame;
            }
        }
    }

    /**
     * Reads the other side's Close frame, echoes its code, and closes TCP (as a server answers a
     * client's close); returns the frame.
     */
    public WireFrame answerClose() throws IOException {
        WireFrame close = readFrame();
        if (!close.isClose()) {
            throw new AssertionError("expected a Close frame, got " + close);
        }
        sendFrame(close.payload().length < 2 ? RawFrames.frame().opcode(RawFrames.CLOSE) : RawFrames.close(close.closeCode(), ""));
        close();
        return close;
    }

    /**
     * Whether the other side closed its end within the read timeout: end of stream (or a reset)
     * and nothing before it. False if bytes (one of which is consumed) or nothing came.
     */
    public boolean readsEndOfStream() throws IOException {
        return input.readsEndOfStream();
    }

    /** Everything until end of stream (throws at the read timeout). */
    public byte[] readToEnd() throws IOException {
        return input.readToEnd();
    }

    // ---- TCP --------------------------------------------------------------------------------

    /** Sends FIN: the other side reads end of stream; this peer can still read. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Resets the connection (RST instead of FIN), as a crashed peer would. */
    public void reset() throws IOException {
        input.closingLocally();
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
        input.closingLocally();
        socket.close();
    }

    @Override
    public String toString() {
        return "WirePeer[" + side + " :" + socket.getLocalPort() + "]";
    }
}
