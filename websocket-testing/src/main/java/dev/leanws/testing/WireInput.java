package dev.leanws.testing;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * The reading half of a {@link WirePeer}, in either of its two modes: read by the test, straight
 * from the socket under its read timeout; or, once {@linkplain #startLog logging}, by a virtual
 * thread that puts every frame into the {@link WireLog}, the test's reads then taking the log's
 * entries in order.
 */
final class WireInput {

    private final Socket socket;
    private final DataInputStream in;
    private final WireLog log;
    private Duration timeout = WirePeer.READ_TIMEOUT;
    private volatile boolean logging;
    private volatile boolean closedLocally;
    private int cursor;   // the log entry the test reads next (test thread only)

    WireInput(Socket socket, WireLog log) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        this.log = log;
        socket.setSoTimeout((int) timeout.toMillis());
    }

    boolean logging() {
        return logging;
    }

    void timeout(Duration value) throws IOException {
        timeout = value;
        if (!logging) {
            socket.setSoTimeout((int) Math.max(1, value.toMillis()));
        }
    }

    void startLog(String threadName) throws IOException {
        if (!logging) {
            logging = true;
            socket.setSoTimeout(0);   // the reader blocks until data, end of stream, or close()
            Thread.ofVirtual().name(threadName).start(this::readLoop);
        }
    }

    /** Noted before this side closes, so the log says "closed locally" rather than "reset". */
    void closingLocally() {
        closedLocally = true;
    }

    WireHead readHead(boolean withBody) throws IOException {
        requireNotLogging();
        return WireHandshake.read(in, withBody);
    }

    byte[] readToEnd() throws IOException {
        requireNotLogging();
        return in.readAllBytes();
    }

    WireFrame readFrame() throws IOException {
        if (!logging) {
            WireFrame frame = FrameReader.read(in, log::now);
            if (frame == null) {
                throw new EOFException("end of stream, expected a frame");
            }
            return frame;
        }
        while (true) {
            WireLog.Entry entry = log.awaitEntry(cursor, timeout);
            if (entry == null) {
                throw new SocketTimeoutException("no frame within " + timeout);
            }
            if (entry instanceof WireLog.End end) {
                throw new EOFException("expected a frame: " + end.detail());   // the cursor stays: later reads see the end too
            }
            cursor++;
            if (entry instanceof WireFrame frame) {
                return frame;
            }
        }
    }

    boolean readsEndOfStream() throws IOException {
        if (!logging) {
            try {
                return in.read() < 0;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true;   // reset: closed as well
            }
        }
        while (true) {
            WireLog.Entry entry = log.awaitEntry(cursor, timeout);
            if (entry == null || entry instanceof WireFrame) {
                return false;
            }
            if (entry instanceof WireLog.End) {
                return true;
            }
            cursor++;
        }
    }

    private void requireNotLogging() {
        if (logging) {
            throw new IllegalStateException("this peer logs: read frames with readFrame() or the log");
        }
    }

    private void readLoop() {
        try {
            while (true) {
                WireFrame frame = FrameReader.read(in, log::now);
                if (frame == null) {
                    log.add(new WireLog.End(log.now(), false, "end of stream"));
                    return;
                }
                log.add(frame);
            }
        } catch (EOFException e) {
            log.add(new WireLog.End(log.now(), false, "end of stream inside a frame"));
        } catch (SocketException e) {
            boolean local = closedLocally;
            log.add(new WireLog.End(log.now(), !local, local ? "closed locally" : "reset: " + e.getMessage()));
        } catch (IOException e) {
            log.add(new WireLog.End(log.now(), false, e.getMessage()));
            try {
                socket.close();   // an unreadable frame: nothing more can be read from this stream
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
