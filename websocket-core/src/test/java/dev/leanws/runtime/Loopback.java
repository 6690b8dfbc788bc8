package dev.leanws.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** A connected TCP pair on 127.0.0.1: our channel and the peer's plain socket. */
record Loopback(SocketChannel ours, Socket peer) {

    static Loopback open() throws IOException {
        return open(0);
    }

    /**
     * A pair whose kernel buffers are pinned at about {@code kernelBytes} each way when that is
     * positive (our send buffer, the peer's receive buffer). Linux grows unpinned loopback
     * buffers while data and ACKs flow, so a write that looked stuck behind a peer that never
     * reads can still complete a moment later; with pinned buffers what the kernel can absorb is
     * fixed, and a test of a full outbound queue does not depend on that timing.
     */
    static Loopback open(int kernelBytes) throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Socket peer = new Socket();
            if (kernelBytes > 0) {
                peer.setReceiveBufferSize(kernelBytes);   // before connect: it sets the window scale
            }
            peer.connect(listener.getLocalAddress());
            SocketChannel ours = listener.accept();
            if (kernelBytes > 0) {
                ours.setOption(StandardSocketOptions.SO_SNDBUF, kernelBytes);
            }
            return new Loopback(ours, peer);
        }
    }
}
