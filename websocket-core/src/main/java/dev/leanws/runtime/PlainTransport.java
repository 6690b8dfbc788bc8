package dev.leanws.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** TCP without TLS over a blocking {@link SocketChannel}. */
public final class PlainTransport implements Transport {

    private final SocketChannel channel;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;

    /**
     * Wraps a connected channel, puts it in blocking mode and turns Nagle's algorithm off:
     * WebSocket frames are written whole and small ones are batched by the runtime, so delaying
     * them in the kernel only adds latency.
     */
    public PlainTransport(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(true);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        this.remote = (InetSocketAddress) channel.getRemoteAddress();
        this.local = (InetSocketAddress) channel.getLocalAddress();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return channel.write(srcs, offset, length);
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to do with a channel that cannot even close
        }
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public String toString() {
        return "tcp:" + remote;
    }
}
