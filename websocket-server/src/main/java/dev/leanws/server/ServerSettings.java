package dev.leanws.server;

import dev.leanws.UpgradeConfig;
import dev.leanws.WebSocketConfig;
import java.util.Objects;

/**
 * Everything {@link WebSocketServer.Builder} collected, validated and frozen.
 *
 * @param host            bind host (name or literal)
 * @param port            bind port, 0 for an ephemeral one
 * @param backlog         accept queue length asked of the kernel
 * @param reuseAddress    {@code SO_REUSEADDR} on the listening socket
 * @param upgrade         subprotocol negotiation
 * @param config          per-connection limits and timeouts
 * @param maxConnections  connections served at once (handshakes included); past it: 503
 * @param hook            decides about valid upgrades
 * @param httpHandler     answers plain HTTP requests, or null for 404
 * @param maxHttpBodySize largest plain HTTP request body read
 */
record ServerSettings(String host, int port, int backlog, boolean reuseAddress, UpgradeConfig upgrade,
        WebSocketConfig config, int maxConnections, UpgradeHook hook, HttpHandler httpHandler, int maxHttpBodySize) {

    ServerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(upgrade, "upgrade");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(hook, "upgradeHook");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535: " + port);
        }
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be > 0: " + backlog);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be > 0: " + maxConnections);
        }
        if (maxHttpBodySize < 0) {
            throw new IllegalArgumentException("maxHttpBodySize must be >= 0: " + maxHttpBodySize);
        }
    }
}
