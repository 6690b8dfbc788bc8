/** Runnable demo programs. */
module dev.leanws.demo {
    requires dev.leanws.server;
    requires dev.leanws.client;
    requires org.slf4j;
}
