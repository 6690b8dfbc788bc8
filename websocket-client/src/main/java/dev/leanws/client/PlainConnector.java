package dev.leanws.client;

import dev.leanws.handshake.WebSocketUri;
import dev.leanws.runtime.PlainTransport;
import dev.leanws.runtime.Transport;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP: resolves the host and tries its addresses in the resolver's order until one accepts,
 * all within the connect deadline (so {@code localhost} still connects when the server listens
 * on only one of {@code ::1} and {@code 127.0.0.1}). Name resolution itself is not under the
 * deadline: the JDK's resolver offers no timeout.
 */
final class PlainConnector implements Connector {

    static final PlainConnector INSTANCE = new PlainConnector();

    private static final Logger LOG = LoggerFactory.getLogger(PlainConnector.class);

    private PlainConnector() {
    }

    @Override
    public Transport connect(WebSocketUri target, HandshakeDeadline deadline) throws IOException {
        InetAddress[] addresses = InetAddress.getAllByName(target.host());
        IOException failure = null;
        for (InetAddress address : addresses) {
            InetSocketAddress remote = new InetSocketAddress(address, target.port());
            SocketChannel channel = SocketChannel.open();
            deadline.guard(channel);
            try {
                channel.connect(remote);
                return new PlainTransport(channel);
            } catch (IOException e) {
                channel.close();
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
}
