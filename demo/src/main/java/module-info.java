/** Runnable demo programs. */
module dev.leanws.demo {
    requires dev.leanws.server;
    requires dev.leanws.client;
    requires dev.leanws.cluster;
    requires org.slf4j;
}
