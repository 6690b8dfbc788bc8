/**
 * The WebSocket server: {@link dev.leanws.server.WebSocketServer} and what plugs into it, the
 * {@link dev.leanws.server.UpgradeHook} (accept or reject each upgrade, attach attributes) and
 * the {@link dev.leanws.server.HttpHandler} (plain HTTP requests on the same port).
 *
 * <pre>{@code
 * try (var server = WebSocketServer.builder().port(9001).build().start()) {
 *     server.events().subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()));
 *     ...
 * }
 * }</pre>
 */
package dev.leanws.server;
