package dev.leanws.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/** Raw TLS client steps for the server's TLS tests (the JDK's {@link SSLSocket}). */
final class Handshakes {

    private Handshakes() {
    }

    /** A TLS socket to the loopback port: only {@code protocol} if given, SNI {@code sni} if given, no host name check. */
    static SSLSocket socket(SSLContext context, int port, String sni, String protocol) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        SSLParameters params = socket.getSSLParameters();
        if (protocol != null) {
            params.setProtocols(new String[] {protocol});
        }
        if (sni != null) {
            params.setServerNames(List.of(new SNIHostName(sni)));
        }
        socket.setSSLParameters(params);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Handshakes and returns the session (the socket is closed). */
    static SSLSession session(SSLContext context, int port, String sni, String protocol) throws IOException {
        try (SSLSocket socket = socket(context, port, sni, protocol)) {
            socket.startHandshake();
            SSLSession session = socket.getSession();
            session.invalidate();   // each call a full handshake: a resumed session would show the old certificate
            return session;
        }
    }

    /** The common name of the certificate the server presents to a new connection. */
    static String servedCertificate(SSLContext context, int port, String sni) throws IOException {
        X509Certificate leaf = (X509Certificate) session(context, port, sni, null).getPeerCertificates()[0];
        return leaf.getSubjectX500Principal().getName();
    }

    /** Reads and discards until the end of the stream or a reset: true; false if the read timeout passed. */
    static boolean readsToTheEnd(InputStream in) {
        byte[] sink = new byte[4096];
        try {
            while (in.read(sink) >= 0) {
                // discard: an alert, perhaps
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** The bytes of a real TLS ClientHello, as a client engine writes it. */
    static byte[] clientHello() throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        return Arrays.copyOf(hello, hello.length);
    }
}
