package dev.leanws.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The byte stream under a connection: plain TCP now, TLS over the same channel later. Blocking
 * calls, made from virtual threads: one reader and one writer at a time, concurrently.
 * Deadlines are not the transport's business: the runtime's watchdog enforces them by calling
 * {@link #close()}, which makes a blocked {@code read} or {@code write} fail at once.
 */
public interface Transport extends AutoCloseable {

    /** Reads at least one byte into {@code dst}, blocking until some arrive; -1 at end of stream. */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Writes some of the bytes of {@code srcs[offset .. offset+length)}, blocking until at least
     * one is written (a partial write is normal); returns how many were written.
     */
    long write(ByteBuffer[] srcs, int offset, int length) throws IOException;

    /** Sends FIN after what was written: the peer reads end of stream, we can still read. */
    void shutdownOutput() throws IOException;

    /** Closes both directions; idempotent; wakes a blocked reader or writer. Never throws. */
    @Override
    void close();

    InetSocketAddress remoteAddress();

    InetSocketAddress localAddress();
}
