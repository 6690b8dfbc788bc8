/** The WebSocket client: connect, client handshake, reconnect. */
module dev.leanws.client {
    requires transitive dev.leanws.core;
    requires org.slf4j;

    // exports dev.leanws.client;  (added with the first public type)
}
