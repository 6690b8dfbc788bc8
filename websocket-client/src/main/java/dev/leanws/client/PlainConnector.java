package dev.leanws.client;

import dev.leanws.runtime.HandshakeGuard;
import dev.leanws.handshake.WebSocketUri;
import dev.leanws.runtime.PlainTransport;
import dev.leanws.runtime.Transport;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP: resolves the host and tries its addresses in the resolver's order until one accepts,
 * all within the connect deadline (so {@code localhost} still connects when the server listens
 * on only one of {@code ::1} and {@code 127.0.0.1}).
 *
 * <p>Name resolution is under the deadline too. The JDK's resolver has no timeout of its own, so
 * the lookup runs on a virtual thread of its own and the attempt waits for it only until the
 * deadline; an abandoned lookup ends when the system resolver gives up (its own timeouts, a few
 * seconds) and its answer is dropped.
 */
final class PlainConnector implements Connector {

    /** Looks up a host's addresses, blocking; {@code InetAddress::getAllByName} outside tests. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    static final PlainConnector INSTANCE = new PlainConnector(InetAddress::getAllByName);

    private static final Logger LOG = LoggerFactory.getLogger(PlainConnector.class);

    private final Resolver resolver;

    PlainConnector(Resolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public Transport connect(WebSocketUri target, HandshakeGuard deadline) throws IOException {
        return new PlainTransport(open(target, deadline));
    }

    /** A connected channel to the target (what TLS then runs over). */
    SocketChannel open(WebSocketUri target, HandshakeGuard deadline) throws IOException {
        InetAddress[] addresses = resolve(target.host(), deadline);
        IOException failure = null;
        for (InetAddress address : addresses) {
            InetSocketAddress remote = new InetSocketAddress(address, target.port());
            SocketChannel channel = SocketChannel.open();
            deadline.guard(channel);
            try {
                channel.connect(remote);
                return channel;
            } catch (IOException e) {
                try {
                    channel.close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);   // the connect failure is what to report
                }
                IOException explained = deadline.explain(e);
                if (explained == e && e instanceof ConnectException) {
                    explained = (IOException) new ConnectException(remote + ": " + e.getMessage()).initCause(e);
                }
                if (deadline.isOver()) {
                    throw explained;
                }
                LOG.debug("connect to {} failed: {}", remote, e.toString());
                if (failure != null) {
                    explained.addSuppressed(failure);
                }
                failure = explained;
            }
        }
        throw failure;
    }

    /** The host's addresses, or the deadline's timeout (or cancellation) if the lookup outlasts it. */
    private InetAddress[] resolve(String host, HandshakeGuard deadline) throws IOException {
        CompletableFuture<InetAddress[]> lookup = new CompletableFuture<>();
        Thread.ofVirtual().name("leanws-resolve").start(() -> {
            try {
                lookup.complete(resolver.resolve(host));
            } catch (Throwable e) {
                lookup.completeExceptionally(e);
            }
        });
        deadline.guard(() -> lookup.completeExceptionally(new IOException("lookup of " + host + " abandoned")));
        try {
            return lookup.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UnknownHostException unknown) {
                UnknownHostException named = new UnknownHostException("unknown host " + host);
                named.initCause(unknown);
                throw named;
            }
            if (cause instanceof IOException io) {
                throw deadline.explain(io);
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException("lookup of " + host + " failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("interrupted while looking up " + host);
            interrupted.initCause(e);
            throw interrupted;
        }
    }
}
