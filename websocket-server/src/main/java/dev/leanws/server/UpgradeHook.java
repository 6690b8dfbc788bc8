package dev.leanws.server;

import dev.leanws.http.HttpRequest;

/**
 * Decides about each valid upgrade request before the server answers 101: authentication,
 * attaching per-connection data, any rule of the application's. Called on the connection's own
 * virtual thread, after the request passed the RFC 6455 checks and its endpoint's subprotocol
 * and origin rules (a malformed upgrade is refused before the hook sees it), so it may block,
 * e.g. to ask an auth service.
 *
 * <pre>{@code
 * static final AttributeKey<User> USER = AttributeKey.of("user", User.class);
 *
 * Endpoint.at("/chat").hook(request -> sessions.find(request.headers().first("Cookie").orElse(""))
 *         .map(user -> UpgradeDecision.accept().with(USER, user))
 *         .orElse(UpgradeDecision.reject(401, "log in first")))
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
     * @param request the upgrade request: method, target, path and its parameters, query,
     *                headers, addresses (no body)
     * @return accept (with attributes) or reject (with a response)
     * @throws Exception answered with 500 Internal Server Error
     */
    UpgradeDecision onUpgrade(HttpRequest request) throws Exception;

    /**
     * Runs this hook, then, if it accepted, {@code next}; a rejection by either wins. Accepted
     * attributes and headers of both are merged ({@code next}'s win on the same key).
     */
    default UpgradeHook andThen(UpgradeHook next) {
        return request -> {
            UpgradeDecision first = onUpgrade(request);
            if (first == null || !first.isAccepted()) {
                return first;
            }
            UpgradeDecision second = next.onUpgrade(request);
            return second == null || !second.isAccepted() ? second : first.merge(second);
        };
    }
}
