/**
 * The virtual-thread WebSocket server: accept loop, server handshake with an upgrade hook and a
 * plain-HTTP handler, broadcast, graceful shutdown. Start with
 * {@link dev.leanws.server.WebSocketServer#builder()}.
 */
module dev.leanws.server {
    requires transitive dev.leanws.core;
    requires org.slf4j;

    exports dev.leanws.server;
}
