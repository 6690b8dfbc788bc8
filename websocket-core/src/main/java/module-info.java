/**
 * The WebSocket protocol without sockets (codec, handshake, protocol session), plus the
 * connection runtime and event model that {@code dev.leanws.server} and
 * {@code dev.leanws.client} share.
 *
 * <p>Applications see only {@code dev.leanws} (connections, configuration, close status) and
 * {@code dev.leanws.event} (events, filters, subscriptions). The protocol packages are exported
 * to the server and client modules only.
 */
module dev.leanws.core {
    requires org.slf4j;
    requires jdk.jfr;

    exports dev.leanws;
    exports dev.leanws.event;
    exports dev.leanws.http;
    exports dev.leanws.tls;
    exports dev.leanws.codec to dev.leanws.server, dev.leanws.client;
    exports dev.leanws.handshake to dev.leanws.server, dev.leanws.client;
    exports dev.leanws.http.internal to dev.leanws.server, dev.leanws.client;
    exports dev.leanws.session to dev.leanws.server, dev.leanws.client;
    exports dev.leanws.runtime to dev.leanws.server, dev.leanws.client;
}
