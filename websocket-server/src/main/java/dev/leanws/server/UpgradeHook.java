package dev.leanws.server;

import java.util.List;
import java.util.Set;

/**
 * Decides about each valid upgrade request before the server answers 101: authentication,
 * origin checks, routing by path, attaching per-connection data. Called on the connection's
 * own virtual thread, after the request passed the RFC 6455 checks (a malformed upgrade is
 * refused before the hook sees it), so it may block, e.g. to ask an auth service.
 *
 * <pre>{@code
 * WebSocketServer.builder()
 *         .upgradeHook(request -> {
 *             if (!request.path().equals("/chat")) {
 *                 return UpgradeDecision.reject(404, "no WebSocket at " + request.path());
 *             }
 *             Optional<User> user = sessions.find(request.header("Cookie"));
 *             return user.isPresent()
 *                     ? UpgradeDecision.accept(Map.of("user", user.get()))
 *                     : UpgradeDecision.reject(401, "log in first");
 *         })
 *         .build();
 * }</pre>
 *
 * <p>The hook's time counts against {@link dev.leanws.WebSocketConfig#handshakeTimeout()}:
 * past it the connection is closed and the hook's thread is interrupted. A hook that throws (or
 * returns {@code null}) is logged at WARN and the client gets 500; the server keeps serving.
 */
@FunctionalInterface
public interface UpgradeHook {

    /** Accepts every upgrade (the default). */
    UpgradeHook ACCEPT_ALL = request -> UpgradeDecision.accept();

    /**
     * @param request the upgrade request: method, target, headers, remote address (no body)
     * @return accept (with attributes) or reject (with a response)
     * @throws Exception answered with 500 Internal Server Error
     */
    UpgradeDecision onUpgrade(HttpRequest request) throws Exception;

    /**
     * A hook that accepts only requests whose {@code Origin} header is one of {@code origins}
     * (compared exactly, e.g. {@code "https://example.com"}) and refuses the rest with 403,
     * including requests without {@code Origin}. Browsers always send {@code Origin}; checking
     * it stops other sites' pages from opening connections with the user's cookies
     * (cross-site WebSocket hijacking). Chain it with {@link #andThen}.
     */
    static UpgradeHook allowOrigins(String... origins) {
        Set<String> allowed = Set.of(origins);
        return request -> {
            List<String> values = request.headers().getOrDefault("Origin", List.of());
            return values.size() == 1 && allowed.contains(values.get(0))
                    ? UpgradeDecision.accept()
                    : UpgradeDecision.reject(403, "origin not allowed");
        };
    }

    /**
     * Runs this hook, then, if it accepted, {@code next}; a rejection by either wins. Accepted
     * attributes and headers of both are merged ({@code next}'s win on the same key).
     */
    default UpgradeHook andThen(UpgradeHook next) {
        return request -> {
            UpgradeDecision first = onUpgrade(request);
            if (!(first instanceof UpgradeDecision.Accept a)) {
                return first;
            }
            UpgradeDecision second = next.onUpgrade(request);
            if (!(second instanceof UpgradeDecision.Accept b)) {
                return second;
            }
            UpgradeDecision.Accept merged = a;
            for (var e : b.attributes().entrySet()) {
                merged = merged.withAttribute(e.getKey(), e.getValue());
            }
            for (var e : b.headers().entrySet()) {
                for (String v : e.getValue()) {
                    merged = merged.withHeader(e.getKey(), v);
                }
            }
            return merged;
        };
    }
}
