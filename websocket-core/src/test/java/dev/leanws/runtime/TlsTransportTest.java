package dev.leanws.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.leanws.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.security.KeyStore;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The TLS transport alone: a pair over loopback, both sides ours. */
@Timeout(60)
class TlsTransportTest {

    private TlsTransport client;
    private TlsTransport server;

    @BeforeEach
    void connect() throws Exception {
        TestPki pki = TestPki.get();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pki.server().p12())) {
            store.load(in, TestPki.PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(store, TestPki.PASSWORD.toCharArray());
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel c = SocketChannel.open(listener.getLocalAddress());
            SocketChannel s = listener.accept();
            SSLEngine ce = pki.clientContext(null).createSSLEngine("localhost", 0);
            ce.setUseClientMode(true);
            SSLEngine se = serverContext.createSSLEngine();
            se.setUseClientMode(false);
            client = new TlsTransport(c, ce);
            server = new TlsTransport(s, se);
        }
        CompletableFuture<Void> serverSide = CompletableFuture.runAsync(() -> {
            try {
                server.handshake();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        client.handshake();
        serverSide.get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        client.close();
        server.close();
    }

    @Test
    void bothDirectionsAtOnceWithConcurrentReadersAndWriters() throws Exception {
        byte[] up = random(1_000_000, 1);
        byte[] down = random(700_000, 2);
        CompletableFuture<byte[]> serverGot = readAsync(server, up.length);
        CompletableFuture<byte[]> clientGot = readAsync(client, down.length);
        CompletableFuture<Void> w1 = writeAsync(client, up);
        CompletableFuture<Void> w2 = writeAsync(server, down);
        w1.get(30, TimeUnit.SECONDS);
        w2.get(30, TimeUnit.SECONDS);
        assertArrayEquals(up, serverGot.get(30, TimeUnit.SECONDS));
        assertArrayEquals(down, clientGot.get(30, TimeUnit.SECONDS));
    }

    @Test
    void anIdleTransportHoldsNoPacketBuffer() throws Exception {
        byte[] big = random(100_000, 3);
        CompletableFuture<byte[]> got = readAsync(server, big.length);
        writeAsync(client, big).get(30, TimeUnit.SECONDS);
        assertArrayEquals(big, got.get(30, TimeUnit.SECONDS));
        assertFalse(server.holdsPacketBuffers(), "after a burst, between reads");
        assertFalse(client.holdsPacketBuffers());
    }

    @Test
    void closeNotifyReadsAsEndOfStream() throws Exception {
        client.shutdownOutput();
        assertEquals(-1, server.read(ByteBuffer.allocate(100)));
        assertThrows(java.io.IOException.class, () -> client.write(new ByteBuffer[] {ByteBuffer.wrap(new byte[] {1})}, 0, 1));
    }

    @Test
    void aTcpEndWithoutCloseNotifyIsAnEndOfStreamOrAReset() throws Exception {
        client.close();   // with the server's session ticket unread, the kernel may answer with a reset
        try {
            assertEquals(-1, server.read(ByteBuffer.allocate(100)));
        } catch (java.net.SocketException reset) {
            // also an end
        }
        assertFalse(server.holdsPacketBuffers());
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Writes in uneven gathering pieces, as the runtime's batches do. */
    private static CompletableFuture<Void> writeAsync(TlsTransport t, byte[] data) {
        return CompletableFuture.runAsync(() -> {
            try {
                Random r = new Random(data.length);
                int at = 0;
                while (at < data.length) {
                    int a = Math.min(data.length - at, 1 + r.nextInt(3000));
                    int b = Math.min(data.length - at - a, r.nextInt(40_000));
                    ByteBuffer[] srcs = {ByteBuffer.wrap(data, at, a), ByteBuffer.wrap(data, at + a, b)};
                    while (srcs[0].hasRemaining() || srcs[1].hasRemaining()) {
                        t.write(srcs, 0, 2);
                    }
                    at += a + b;
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
    }

    /** Reads into buffers of changing sizes (512 B to 64 KiB, like the runtime's read buffer). */
    private static CompletableFuture<byte[]> readAsync(TlsTransport t, int size) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                Random r = new Random(size);
                while (got.size() < size) {
                    ByteBuffer b = ByteBuffer.allocate(512 << r.nextInt(8));
                    int n = t.read(b);
                    if (n < 0) {
                        throw new java.io.EOFException("after " + got.size());
                    }
                    got.write(b.array(), 0, b.position());
                }
                return got.toByteArray();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
    }
}
