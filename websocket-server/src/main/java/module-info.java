/** The virtual-thread WebSocket server: accept loop, server handshake, lifecycle. */
module dev.leanws.server {
    requires transitive dev.leanws.core;
    requires org.slf4j;

    // exports dev.leanws.server;  (added with the first public type)
}
