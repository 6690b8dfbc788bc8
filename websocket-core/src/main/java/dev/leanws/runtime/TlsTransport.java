package dev.leanws.runtime;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * TLS over a blocking {@link SocketChannel}, with an {@link SSLEngine}. The owner calls
 * {@link #handshake()} first, on the connection's thread and under its handshake deadline (the
 * deadline closes the transport, which ends a blocked handshake at once); then reads and writes
 * go through the engine, a reader and a writer concurrently, each under its own lock (the
 * engine's wrap and unwrap may run concurrently; blocking I/O is never done inside
 * {@code synchronized}).
 *
 * <p><b>Memory.</b> A TLS record is up to 16 KiB of data plus about 300 bytes; an engine wants
 * buffers of that size each way. An idle connection holds none of them: a read that waits
 * for the peer waits on a {@value #IDLE_READ}-byte buffer; once a record turns out larger it
 * moves to a packet buffer borrowed from {@link PacketBuffers}, given back when all its bytes
 * are decrypted (and the read did not fill it: a peer that keeps the buffer full has more
 * coming). A write borrows an output buffer for the length of one call. Decrypted bytes that do
 * not fit the caller's buffer wait in a borrowed buffer until the next read takes them.
 *
 * <p><b>Renegotiation</b> (TLS 1.2 and older) is refused: the connection fails. TLS 1.3
 * post-handshake messages (session tickets, key updates) are handled.
 */
public final class TlsTransport implements Transport {

    /** What a read waiting for the peer holds: enough for a TLS record header and a small frame. */
    static final int IDLE_READ = 512;
    private static final int TLS_HEADER = 5;
    private static final byte HANDSHAKE_RECORD = 0x16;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /** Plain text (e.g. an HTTP request) where a TLS ClientHello was expected. */
    public static final class NotTlsException extends SSLException {
        NotTlsException(String message) {
            super(message);
        }
    }

    private final SocketChannel channel;
    private final SSLEngine engine;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();

    // Under readLock (the handshake holds both locks).
    private ByteBuffer netIn;        // received, not yet decrypted; read mode; null when empty
    private ByteBuffer appIn;        // decrypted, not yet read; read mode; null when empty
    private boolean lastFillWasFull; // the last channel read filled netIn: more is probably waiting
    private boolean inboundDone;
    private boolean firstBytesChecked;

    // Under writeLock.
    private boolean outboundDone;

    private volatile boolean handshaken;

    /**
     * Wraps a connected channel (put in blocking mode, Nagle off as for {@link PlainTransport}).
     *
     * @param engine an engine in client or server mode, its parameters set; not begun
     */
    public TlsTransport(SocketChannel channel, SSLEngine engine) throws IOException {
        this.channel = channel;
        this.engine = engine;
        channel.configureBlocking(true);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        this.remote = (InetSocketAddress) channel.getRemoteAddress();
        this.local = (InetSocketAddress) channel.getLocalAddress();
    }

    /**
     * Runs the TLS handshake on the calling thread, blocking. On failure the engine's alert is
     * sent if it can be (best effort) and the exception is thrown; the caller closes.
     *
     * @throws NotTlsException (server side) when the peer's first bytes are plain text, e.g.
     *                         an {@code http://} request sent to a TLS port
     * @throws SSLException    when the handshake fails (the peer's certificate, no common
     *                         protocol or cipher suite, garbage)
     * @throws EOFException    when the peer closes during the handshake
     */
    public void handshake() throws IOException {
        readLock.lock();
        writeLock.lock();
        try {
            engine.beginHandshake();
            HandshakeStatus status = engine.getHandshakeStatus();
            while (status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING) {
                status = switch (status) {
                    case NEED_WRAP -> wrapAndSend(EMPTY).getHandshakeStatus();
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> unwrapHandshake();
                    case NEED_TASK -> runTasks();
                    default -> throw new SSLException("unexpected TLS handshake status " + status);
                };
            }
            handshaken = true;
        } catch (SSLException e) {
            if (!(e instanceof NotTlsException)) {
                sendAlert();
            }
            throw e;
        } finally {
            releaseIdleBuffers();
            writeLock.unlock();
            readLock.unlock();
        }
    }

    /** The TLS session (protocol, cipher suite, the peer's certificates); complete after {@link #handshake()}. */
    public SSLSession session() {
        return engine.getSession();
    }

    private HandshakeStatus unwrapHandshake() throws IOException {
        while (true) {
            if (netIn == null || !netIn.hasRemaining()) {
                if (fill() < 0) {
                    throw new EOFException("the peer closed the connection during the TLS handshake");
                }
            }
            if (appIn == null) {
                appIn = PacketBuffers.take(engine.getSession().getApplicationBufferSize()).flip();
            }
            appIn.compact();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                appIn.flip();
            }
            switch (r.getStatus()) {
                case OK -> {
                    return r.getHandshakeStatus();
                }
                case BUFFER_UNDERFLOW -> {
                    if (fill() < 0) {
                        throw new EOFException("the peer closed the connection during the TLS handshake");
                    }
                }
                case CLOSED -> throw new EOFException("the peer closed TLS during the handshake");
                default -> throw new SSLException("no room to decrypt a TLS record (" + r + ")");
            }
        }
    }

    private HandshakeStatus runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
        return engine.getHandshakeStatus();
    }

    /** After a fatal handshake error the engine holds an alert for the peer: one try to send it. */
    private void sendAlert() {
        try {
            engine.closeOutbound();
            wrapAndSend(EMPTY);
        } catch (IOException | RuntimeException ignored) {
            // the peer may be gone already; the original failure is what counts
        }
    }

    // ------------------------------------------------------------------ reading

    @Override
    public int read(ByteBuffer dst) throws IOException {
        readLock.lock();
        try {
            if (appIn != null && appIn.hasRemaining()) {
                return takeDecrypted(dst);
            }
            if (inboundDone) {
                return -1;
            }
            int start = dst.position();
            while (true) {
                if (netIn == null || !netIn.hasRemaining()) {
                    if (dst.position() > start) {
                        return dst.position() - start;
                    }
                    if (fill() < 0) {
                        return endOfStream();
                    }
                }
                SSLEngineResult r = engine.unwrap(netIn, dst);
                if (r.getStatus() != SSLEngineResult.Status.CLOSED) {
                    afterUnwrap(r.getHandshakeStatus());
                }
                switch (r.getStatus()) {
                    case OK -> {
                        if (!dst.hasRemaining()) {
                            return dst.position() - start;
                        }
                    }
                    case BUFFER_UNDERFLOW -> {
                        if (dst.position() > start) {
                            return dst.position() - start;
                        }
                        if (fill() < 0) {
                            return endOfStream();
                        }
                    }
                    case BUFFER_OVERFLOW -> {
                        if (dst.position() > start) {
                            return dst.position() - start;
                        }
                        int n = decryptAside(dst);
                        if (n != 0) {
                            return n;
                        }
                    }
                    case CLOSED -> {
                        inboundDone = true;   // the peer's close_notify
                        return dst.position() > start ? dst.position() - start : -1;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            inboundDone = true;
            releaseAll();
            throw e;
        } finally {
            releaseIdleBuffers();
            readLock.unlock();
        }
    }

    /** The record is larger than {@code dst} has room for: decrypt it into a borrowed buffer. */
    private int decryptAside(ByteBuffer dst) throws IOException {
        appIn = PacketBuffers.take(engine.getSession().getApplicationBufferSize());
        SSLEngineResult r;
        while (true) {
            r = engine.unwrap(netIn, appIn);
            if (r.getStatus() != SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                break;
            }
            // The engine judged dst too small before seeing the record whole: read the rest.
            if (fill() < 0) {
                appIn.flip();
                return endOfStream();
            }
        }
        appIn.flip();
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
            inboundDone = true;   // the peer's close_notify
        } else if (r.getStatus() == SSLEngineResult.Status.OK) {
            afterUnwrap(r.getHandshakeStatus());
        } else {
            throw new SSLException("cannot decrypt a TLS record (" + r + ")");
        }
        if (!appIn.hasRemaining()) {
            return inboundDone ? -1 : 0;   // 0: a record without data (a TLS 1.3 ticket): read on
        }
        return takeDecrypted(dst);
    }

    private int takeDecrypted(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), appIn.remaining());
        ByteBuffer part = appIn.slice(appIn.position(), n);
        dst.put(part);
        appIn.position(appIn.position() + n);
        return n;
    }

    /** What a record read after the handshake asks of us: tasks, a reply (TLS 1.3), or a refused renegotiation. */
    private void afterUnwrap(HandshakeStatus status) throws IOException {
        if (status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED || !handshaken) {
            return;
        }
        String protocol = engine.getSession().getProtocol();
        if (!"TLSv1.3".equals(protocol)) {
            throw new SSLException("TLS renegotiation refused (" + protocol + ")");
        }
        if (status == HandshakeStatus.NEED_TASK) {
            status = runTasks();
        }
        if (status == HandshakeStatus.NEED_WRAP) {
            // A key update the peer asked for: answered under the writer's lock, like any write.
            writeLock.lock();
            try {
                while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && !outboundDone) {
                    wrapAndSend(EMPTY);
                }
            } finally {
                writeLock.unlock();
            }
        }
    }

    /**
     * Reads from the channel into {@code netIn}, growing it when a record does not fit.
     *
     * @return the bytes read, or -1 at end of stream
     */
    private int fill() throws IOException {
        if (netIn == null) {
            netIn = ByteBuffer.allocate(IDLE_READ).flip();
        }
        int needed = recordLength();
        if (needed > 2 * PacketBuffers.SIZE) {
            throw new SSLException("TLS record of " + needed + " bytes announced: larger than TLS allows");
        }
        boolean full = netIn.limit() == netIn.capacity() && netIn.position() == 0;
        if (full || needed > netIn.capacity() || (lastFillWasFull && netIn.capacity() < PacketBuffers.SIZE)) {
            // a record larger than the buffer, or a busy peer (the last read filled it): read a packet's worth
            grow(Math.max(needed, netIn.capacity() + 1));
        }
        netIn.compact();
        int n;
        try {
            n = channel.read(netIn);
        } finally {
            netIn.flip();
        }
        lastFillWasFull = n > 0 && netIn.limit() == netIn.capacity();
        if (n > 0 && !firstBytesChecked) {
            firstBytesChecked = true;
            checkFirstByte();
        }
        return n;
    }

    /** The full length of the record at the start of {@code netIn}, or 0 if its header is not in yet. */
    private int recordLength() {
        if (netIn.remaining() < TLS_HEADER) {
            return 0;
        }
        int p = netIn.position();
        return TLS_HEADER + (((netIn.get(p + 3) & 0xff) << 8) | (netIn.get(p + 4) & 0xff));
    }

    private void grow(int size) {
        int packet = engine.getSession().getPacketBufferSize();
        ByteBuffer bigger = PacketBuffers.take(Math.max(size, Math.min(packet, PacketBuffers.SIZE)));
        bigger.put(netIn).flip();
        PacketBuffers.give(netIn);
        netIn = bigger;
    }

    /** A server's first bytes from a browser or curl speaking {@code http://} start with a method name, not a TLS record. */
    private void checkFirstByte() throws NotTlsException {
        if (engine.getUseClientMode()) {
            return;
        }
        byte b = netIn.get(netIn.position());
        if (b != HANDSHAKE_RECORD && b >= 'A' && b <= 'Z') {
            throw new NotTlsException("plain text (an http:// request?) sent to a TLS port");
        }
    }

    private int endOfStream() {
        inboundDone = true;
        try {
            engine.closeInbound();
        } catch (SSLException truncated) {
            // TCP ended without close_notify: WebSocket has its own closing handshake, so this
            // is an end of stream like any other
        }
        return -1;
    }

    // ------------------------------------------------------------------ writing

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        writeLock.lock();
        try {
            long consumed = 0;
            while (consumed == 0 && remaining(srcs, offset, length) > 0) {
                if (outboundDone) {
                    throw new ClosedChannelException();
                }
                SSLEngineResult r = wrapAndSend(srcs, offset, length);
                consumed += r.bytesConsumed();
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    outboundDone = true;
                    throw new SSLException("TLS output is closed");
                }
                if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runTasks();
                }
            }
            return consumed;
        } finally {
            writeLock.unlock();
        }
    }

    private SSLEngineResult wrapAndSend(ByteBuffer src) throws IOException {
        return wrapAndSend(new ByteBuffer[] {src}, 0, 1);
    }

    /** Encrypts one record's worth of {@code srcs} into a borrowed buffer and writes all of it. */
    private SSLEngineResult wrapAndSend(ByteBuffer[] srcs, int offset, int length) throws IOException {
        ByteBuffer out = PacketBuffers.take(engine.getSession().getPacketBufferSize());
        try {
            SSLEngineResult r = engine.wrap(srcs, offset, length, out);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                throw new SSLException("TLS record larger than its buffer (" + r + ")");
            }
            out.flip();
            while (out.hasRemaining()) {
                channel.write(out);
            }
            return r;
        } finally {
            PacketBuffers.give(out);
        }
    }

    private static long remaining(ByteBuffer[] srcs, int offset, int length) {
        long n = 0;
        for (int i = offset; i < offset + length; i++) {
            n += srcs[i].remaining();
        }
        return n;
    }

    /** Sends close_notify, then FIN. */
    @Override
    public void shutdownOutput() throws IOException {
        writeLock.lock();
        try {
            if (!outboundDone) {
                outboundDone = true;
                engine.closeOutbound();
                while (!engine.isOutboundDone()) {
                    if (wrapAndSend(EMPTY).bytesProduced() == 0) {
                        break;
                    }
                }
            }
            channel.shutdownOutput();
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Closes the channel at once (waking a blocked reader or writer), without close_notify:
     * sending one could block on a peer that reads nothing. The buffers go back to the pool
     * when the reader, and the writer, leave.
     */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to do with a channel that cannot even close
        }
        if (readLock.tryLock()) {
            try {
                inboundDone = true;
                releaseAll();
            } finally {
                readLock.unlock();
            }
        }
    }

    // ------------------------------------------------------------------ buffers (reader's)

    /** Between reads: keep only what holds unread bytes (or a packet buffer a busy peer keeps full). */
    private void releaseIdleBuffers() {
        if (appIn != null && !appIn.hasRemaining()) {
            PacketBuffers.give(appIn);
            appIn = null;
        }
        if (netIn != null && !netIn.hasRemaining() && !lastFillWasFull) {
            PacketBuffers.give(netIn);
            netIn = null;
        } else if (netIn != null && netIn.capacity() > IDLE_READ && netIn.remaining() <= IDLE_READ / 2
                && !lastFillWasFull) {
            // a few bytes of the next record: move them to a small buffer, give the big one back
            ByteBuffer small = ByteBuffer.allocate(IDLE_READ).put(netIn).flip();
            PacketBuffers.give(netIn);
            netIn = small;
        }
    }

    private void releaseAll() {
        PacketBuffers.give(appIn);
        appIn = null;
        PacketBuffers.give(netIn);
        netIn = null;
    }

    /** Whether this transport holds a TLS packet buffer now (for tests of the idle footprint). */
    boolean holdsPacketBuffers() {
        readLock.lock();
        try {
            return (netIn != null && netIn.capacity() > IDLE_READ) || appIn != null;
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public String toString() {
        return "tls:" + remote;
    }
}
