package dev.leanws.server;

import dev.leanws.DeflateConfig;
import dev.leanws.WebSocketConfig;
import dev.leanws.runtime.MemoryBudget;
import dev.leanws.runtime.Watchdog;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Everything {@link WebSocketServer.Builder} collected, validated and frozen.
 *
 * @param host            bind host (name or literal)
 * @param port            bind port, 0 for an ephemeral one
 * @param backlog         accept queue length asked of the kernel
 * @param reuseAddress    {@code SO_REUSEADDR} on the listening socket
 * @param config          per-connection limits and timeouts (and the handshake's)
 * @param maxConnections  sockets served at once once their request head arrived (open
 *                        connections, upgrades and plain requests being answered); past it: 503
 * @param endpoints       the endpoints, most specific path first
 * @param httpHandler     answers plain HTTP requests, or null for 404
 * @param maxHttpBodySize largest plain HTTP request body read
 * @param watchdog        checks every deadline of the server's sockets
 * @param admission       caps on sockets whose request head has not arrived yet
 * @param memory          what peers make the server hold, all connections together
 * @param onFatal         told (after the server stopped) of the error that stopped it
 * @param acceptFault     a test seam: runs on the accept thread before each accept (a no-op
 *                        outside tests)
 * @param deflate         permessage-deflate settings of endpoints without their own
 */
record ServerConfig(String host, int port, int backlog, boolean reuseAddress, WebSocketConfig config,
        int maxConnections, List<Endpoint> endpoints, HttpHandler httpHandler, int maxHttpBodySize, Watchdog watchdog,
        Admission admission, MemoryBudget memory, Consumer<Throwable> onFatal, Runnable acceptFault,
        ServerTls tls, DeflateConfig deflate) {

    /**
     * @param maxPending            request heads awaited at once, from every address
     * @param maxPendingPerAddress  request heads awaited at once from one remote IP address
     */
    record Admission(int maxPending, int maxPendingPerAddress) {
        Admission {
            if (maxPending < 1) {
                throw new IllegalArgumentException("maxPendingHandshakes must be > 0: " + maxPending);
            }
            if (maxPendingPerAddress < 1) {
                throw new IllegalArgumentException("maxPendingHandshakesPerAddress must be > 0: " + maxPendingPerAddress);
            }
        }
    }

    ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(watchdog, "watchdog");
        Objects.requireNonNull(admission, "admission");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(onFatal, "onFatal");
        Objects.requireNonNull(acceptFault, "acceptFault");
        Objects.requireNonNull(deflate, "deflate");
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
        endpoints = sortBySpecificity(endpoints);
    }

    /** The endpoint whose path matches {@code rawPath} (the most specific), if any. */
    Optional<Endpoint> route(String rawPath) {
        for (Endpoint e : endpoints) {
            if (e.pattern().match(rawPath).isPresent()) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The connection settings of an endpoint's connections: its own, or the server's. */
    WebSocketConfig configOf(Endpoint endpoint) {
        return endpoint.config().orElse(config);
    }

    /** The permessage-deflate settings of an endpoint's connections: its own, or the server's. */
    DeflateConfig deflateOf(Endpoint endpoint) {
        return endpoint.deflate().orElse(deflate);
    }

    private static List<Endpoint> sortBySpecificity(List<Endpoint> endpoints) {
        List<Endpoint> sorted = new ArrayList<>(endpoints);
        for (int i = 0; i < sorted.size(); i++) {
            for (int j = i + 1; j < sorted.size(); j++) {
                if (sorted.get(i).pattern().sameShape(sorted.get(j).pattern())) {
                    throw new IllegalArgumentException("endpoints " + sorted.get(i).path() + " and "
                            + sorted.get(j).path() + " match the same paths");
                }
            }
        }
        sorted.sort((a, b) -> a.pattern().compareSpecificity(b.pattern()));   // stable: ties keep their order
        return List.copyOf(sorted);
    }
}
