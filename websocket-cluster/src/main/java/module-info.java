/**
 * Topics and broadcast across server nodes: {@link dev.leanws.cluster.ClusterTopics} carries a
 * {@code WebSocketServer}'s publishes through a {@link dev.leanws.cluster.Broker}, of which
 * {@link dev.leanws.cluster.RedisBroker} (Redis pub/sub, its own small RESP2 client) is the one
 * shipped.
 */
module dev.leanws.cluster {
    requires transitive dev.leanws.server;
    requires org.slf4j;

    exports dev.leanws.cluster;
}
