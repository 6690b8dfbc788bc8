package dev.leanws.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** A connected TCP pair on 127.0.0.1: our channel and the peer's plain socket. */
record Loopback(SocketChannel ours, Socket peer) {

    static Loopback open() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Socket peer = new Socket(InetAddress.getLoopbackAddress(), ((InetSocketAddress) listener.getLocalAddress()).getPort());
            SocketChannel ours = listener.accept();
            return new Loopback(ours, peer);
        }
    }
}
