package dev.leanws.client;

import dev.leanws.runtime.HandshakeGuard;
import dev.leanws.handshake.WebSocketUri;
import dev.leanws.runtime.Transport;
import java.io.IOException;

/**
 * Opens the byte stream to a server: the seam where {@code wss://} plugs in. {@link PlainConnector}
 * does TCP; a TLS connector will wrap the same channel in an {@code SSLEngine} transport and run
 * the TLS handshake within the same deadline.
 */
interface Connector {

    /**
     * Connects to {@code target}, guarding every blocking step with {@code deadline} (so the
     * watchdog can close what blocks, see {@link HandshakeGuard#guard}).
     *
     * @return a connected transport, before the WebSocket opening handshake
     */
    Transport connect(WebSocketUri target, HandshakeGuard deadline) throws IOException;

    /**
     * The connector for the URI's scheme.
     *
     * @throws IllegalArgumentException for {@code wss://}, which needs TLS (not supported yet)
     */
    static Connector forTarget(WebSocketUri target) {
        if (target.secure()) {
            throw new IllegalArgumentException("wss:// needs TLS, which this version of the leanws client does not "
                    + "support yet; use ws:// (" + target.uri() + ")");
        }
        return PlainConnector.INSTANCE;
    }
}
