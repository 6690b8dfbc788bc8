package dev.leanws.server;

import dev.leanws.runtime.ConnectionSetup;
import java.io.IOException;
import java.net.BindException;
import java.net.UnknownHostException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blocking {@code accept()} on the listening channel, on one virtual thread, until the channel
 * is closed. Each accepted socket gets a {@link ConnectionTask} on a virtual thread of its own:
 * a normal one while a connection slot is free, a 503 answer past the limit.
 *
 * <p>An accept that fails for another reason than the channel closing (typically EMFILE, out
 * of file descriptors) is logged and retried after a pause that doubles up to one second, so
 * a full descriptor table does not turn the loop into a busy spin.
 */
final class AcceptLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(AcceptLoop.class);
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ServerSocketChannel listener;
    private final InetSocketAddress address;
    private final ConnectionRegistry registry;
    private final UpgradeHandler handler;
    private final ServerConfig settings;
    private Thread thread;

    private AcceptLoop(ServerSocketChannel listener, ConnectionRegistry registry, UpgradeHandler handler,
            ServerConfig settings) throws IOException {
        this.listener = listener;
        this.address = (InetSocketAddress) listener.getLocalAddress();
        this.registry = registry;
        this.handler = handler;
        this.settings = settings;
    }

    /**
     * Binds the listening socket and starts accepting on a new virtual thread.
     *
     * @throws IOException if binding fails; the channel is closed again
     */
    static AcceptLoop start(ServerConfig settings, ConnectionRegistry registry, UpgradeHandler handler)
            throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        AcceptLoop loop;
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, settings.reuseAddress());
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(settings.host()), settings.port());
            try {
                channel.bind(address, settings.backlog());
            } catch (BindException e) {
                BindException named = new BindException("cannot listen on " + settings.host() + ":" + settings.port()
                        + ": " + e.getMessage());
                named.initCause(e);
                throw named;
            }
            loop = new AcceptLoop(channel, registry, handler, settings);
        } catch (UnknownHostException e) {
            channel.close();
            UnknownHostException named = new UnknownHostException("cannot listen on " + settings.host() + ": unknown host");
            named.initCause(e);
            throw named;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        loop.thread = Thread.ofVirtual().name("leanws-accept-" + loop.address.getPort()).start(loop);
        return loop;
    }

    /** The bound address. */
    InetSocketAddress address() {
        return address;
    }

    /** The accept thread, if it is still alive. */
    Optional<Thread> liveThread() {
        return thread.isAlive() ? Optional.of(thread) : Optional.empty();
    }

    /** Closes the listening socket: the port is free at once, and the accept thread ends. */
    void closeListener() {
        try {
            listener.close();
        } catch (IOException e) {
            LOG.warn("closing the listening socket failed", e);
        }
    }

    /**
     * Closes the listening socket (the port is free at once) and waits for the accept thread to
     * end (unless called from it, after a fatal error).
     */
    void stop() {
        closeListener();
        if (Thread.currentThread() == thread) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Accepts until the listening channel closes. Nothing ends the loop while the channel is
     * open: an accept failure or an {@link Error} (a thread that cannot be started, a
     * StackOverflowError) is logged and retried after a pause; an {@link OutOfMemoryError} is
     * reported to the server, which stops (closing the channel) instead of keeping a listening
     * socket that can no longer serve.
     */
    @Override
    public void run() {
        long backoff = MIN_BACKOFF_NANOS;
        while (listener.isOpen()) {
            SocketChannel socket = null;
            try {
                settings.acceptFault().run();
                socket = listener.accept();
                backoff = MIN_BACKOFF_NANOS;
                dispatch(socket);
            } catch (ClosedChannelException e) {
                return;   // the server is stopping
            } catch (IOException e) {
                if (!listener.isOpen()) {
                    return;
                }
                LOG.warn("accept failed; retrying in {} ms", TimeUnit.NANOSECONDS.toMillis(backoff), e);
                backoff = pause(backoff);
            } catch (OutOfMemoryError e) {
                close(socket);
                registry.fatal(e);
                backoff = pause(backoff);   // the server closes the channel, which ends the loop
            } catch (RuntimeException | Error e) {
                close(socket);
                LOG.error("accept loop failed ({}); retrying in {} ms", e, TimeUnit.NANOSECONDS.toMillis(backoff));
                LOG.debug("accept loop failure", e);
                backoff = pause(backoff);
            }
        }
    }

    private static long pause(long backoff) {
        LockSupport.parkNanos(backoff);
        return Math.min(backoff * 2, MAX_BACKOFF_NANOS);
    }

    private void dispatch(SocketChannel socket) throws IOException {
        // No "stopping" check: the server stops this loop (and joins its thread) before it stops the registry.
        InetAddress peer = ((InetSocketAddress) socket.getRemoteAddress()).getAddress();
        ConnectionRegistry.Slot slot = registry.admit(peer);
        if (slot == ConnectionRegistry.Slot.NONE) {
            LOG.debug("{} has too many handshakes in flight, or the server is full and {} refusals are in progress; "
                    + "closing a new socket unanswered", peer, ConnectionRegistry.MAX_REFUSALS);
            close(socket);
            return;
        }
        ConnectionTask task = new ConnectionTask(ConnectionSetup.nextId("s"), socket, slot, peer, registry, handler,
                settings);
        Thread thread = task.newThread();
        registry.started(task);
        try {
            thread.start();
        } catch (RuntimeException | Error e) {
            registry.finished(task);
            throw e;
        }
    }

    private static void close(SocketChannel socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
