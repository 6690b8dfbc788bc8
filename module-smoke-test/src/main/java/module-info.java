/** An application of leanws as a user writes it: it requires the server and the client modules. */
module dev.leanws.smoke {
    requires dev.leanws.server;
    requires dev.leanws.client;
}
