/**
 * The WebSocket client: connect, client handshake, reconnect. Applications use
 * {@code dev.leanws.client.WebSocketClient}; connections, events and configuration come from
 * {@code dev.leanws.core}, shared with the server.
 */
module dev.leanws.client {
    requires transitive dev.leanws.core;
    requires org.slf4j;

    exports dev.leanws.client;
}
