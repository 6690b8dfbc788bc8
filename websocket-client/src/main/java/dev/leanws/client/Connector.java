package dev.leanws.client;

import dev.leanws.runtime.HandshakeGuard;
import dev.leanws.handshake.WebSocketUri;
import dev.leanws.runtime.Transport;
import java.io.IOException;

/**
 * Opens the byte stream to a server. {@link PlainConnector} does TCP; {@link TlsConnector} wraps
 * the same channel in an {@code SSLEngine} transport and runs the TLS handshake under a deadline.
 */
interface Connector {

    /**
     * Connects to {@code target}, guarding every blocking step with {@code deadline} (so the
     * watchdog can close what blocks, see {@link HandshakeGuard#guard}).
     *
     * @return a connected transport, before the WebSocket opening handshake
     */
    Transport connect(WebSocketUri target, HandshakeGuard deadline) throws IOException;

    /** The connector for the URI's scheme: TCP for {@code ws://}, TLS over it for {@code wss://}. */
    static Connector forTarget(WebSocketUri target, ClientConfig config) {
        if (target.secure()) {
            return new TlsConnector(config.tls(), config.config().handshakeTimeout(), PlainConnector.INSTANCE);
        }
        return PlainConnector.INSTANCE;
    }
}
