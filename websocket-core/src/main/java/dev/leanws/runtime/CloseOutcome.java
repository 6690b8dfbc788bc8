package dev.leanws.runtime;

import dev.leanws.CloseStatus;
import dev.leanws.WebSocket;
import dev.leanws.codec.ProtocolException;
import dev.leanws.event.CloseEvent;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What decides a connection's {@link CloseEvent}: our Close, the peer's Close, who sent first,
 * or why the connection was dropped without a closing handshake. Written by the application's
 * threads, the reader and the watchdog; read once, by the reader, when the connection ends.
 */
final class CloseOutcome {

    private final AtomicReference<String> abortReason = new AtomicReference<>();
    // The status of the first close() call. Set before the Close frame is queued: once queued, it
    // can be written, echoed and read back (ending the connection) before close() returns.
    private final AtomicReference<CloseStatus> localClose = new AtomicReference<>();
    private volatile CloseStatus peerClose;       // the peer's Close, once received
    private volatile boolean peerClosedFirst;

    /** Records the application's close; only the first call may queue our Close frame. */
    boolean closeLocally(CloseStatus status) {
        return localClose.compareAndSet(null, status);
    }

    /** The peer's Close arrived. */
    void peerClosed(CloseStatus status, boolean weClosedFirst) {
        peerClosedFirst = !weClosedFirst;
        peerClose = status;
    }

    /** Records why the connection is dropped; only the first reason counts. @return whether it was the first */
    boolean abort(String reason) {
        return abortReason.compareAndSet(null, reason);
    }

    /** Whether the connection was dropped on purpose (its I/O failures are consequences, not errors). */
    boolean aborted() {
        return abortReason.get() != null;
    }

    /**
     * The close event: a protocol violation's code first, then the closing handshake (the
     * peer's status when the peer closed first, ours otherwise), then 1006 with the reason the
     * connection was dropped or failed.
     */
    CloseEvent event(WebSocket connection, ProtocolException failure, boolean eof, Throwable error) {
        if (failure != null) {
            return new CloseEvent(connection, failure.closeCode(), failure.closeReason(), false);
        }
        CloseStatus peer = peerClose;
        if (peer != null) {
            CloseStatus ours = localClose.get();
            return peerClosedFirst || ours == null
                    ? new CloseEvent(connection, peer.code(), peer.reason(), true)
                    : new CloseEvent(connection, ours.code(), ours.reason(), false);
        }
        String aborted = abortReason.get();
        if (aborted != null) {
            return new CloseEvent(connection, CloseStatus.ABNORMAL.code(), aborted, false);
        }
        String why = error != null ? String.valueOf(error.getMessage())
                : eof ? "connection closed by peer without a close frame" : "connection closed";
        return new CloseEvent(connection, CloseStatus.ABNORMAL.code(), why, true);
    }
}
