package dev.leanws.cluster;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One blocking socket to Redis (plain or TLS), logged in and on its database. Blocking I/O on
 * virtual threads: a read parks the virtual thread, not a carrier. Writes are not locked here;
 * each connection has one writer at a time by construction of its owner.
 */
final class RedisConnection implements Closeable {

    /** Redis refused our login or setup: a configuration error, not worth retrying at start. */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int maxBulk;

    private RedisConnection(Socket socket, int maxBulk) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        this.maxBulk = maxBulk;
    }

    /**
     * Connects, completes TLS for {@code rediss://}, sends AUTH and SELECT as the URL asks, and
     * checks each answer. The whole setup is bounded by {@code timeout}.
     *
     * @param tls the context for {@code rediss://} (null: the JDK default, i.e. the default trust store)
     * @throws Refused     if Redis answers AUTH or SELECT with an error
     * @throws IOException if Redis cannot be reached within the timeout
     */
    static RedisConnection open(RedisUri uri, SSLContext tls, Duration timeout, int maxBulk, String name)
            throws IOException {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            try {
                socket.connect(new InetSocketAddress(uri.host(), uri.port()), millis);
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                throw new IOException("cannot connect to Redis at " + uri + ": " + e.getMessage(), e);
            }
            socket.setSoTimeout(millis);
            if (uri.tls()) {
                socket = startTls(socket, uri, tls);
            }
            RedisConnection c = new RedisConnection(socket, maxBulk);
            if (uri.password() != null) {
                Object reply = uri.user() == null
                        ? c.call(Resp.command("AUTH", uri.password()))
                        : c.call(Resp.command("AUTH", uri.user(), uri.password()));
                if (reply instanceof Resp.Error e) {
                    throw new Refused("Redis at " + uri + " refused AUTH"
                            + (uri.user() != null ? " for user '" + uri.user() + "'" : "") + ": " + e.message());
                }
            }
            if (uri.database() != 0 && c.call(Resp.command("SELECT", Integer.toString(uri.database())))
                    instanceof Resp.Error e) {
                throw new Refused("Redis at " + uri + " refused SELECT " + uri.database() + ": " + e.message());
            }
            // PING proves the login is enough for commands (a server with requirepass answers
            // NOAUTH when the URL has no password) and names the connection in CLIENT LIST.
            Object pong = c.call(Resp.command("PING"));
            if (pong instanceof Resp.Error e) {
                throw new Refused("Redis at " + uri + " refused PING: " + e.message()
                        + (uri.password() == null ? " (the URL has no password)" : ""));
            }
            c.call(Resp.command("CLIENT", "SETNAME", name));   // an error here (old ACL rules) is harmless
            return c;
        } catch (SocketTimeoutException e) {
            socket.close();
            throw new SocketTimeoutException("Redis at " + uri + " did not answer within " + millis + " ms");
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static Socket startTls(Socket plain, RedisUri uri, SSLContext tls) throws IOException {
        try {
            SSLContext context = tls != null ? tls : SSLContext.getDefault();
            SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, uri.host(), uri.port(), true);
            SSLParameters params = s.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");   // the certificate must name the host
            s.setSSLParameters(params);
            s.startHandshake();
            return s;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException("no default TLS context", e);
        } catch (IOException e) {
            throw new IOException("TLS handshake with Redis at " + uri + " failed: " + e.getMessage(), e);
        }
    }

    /** Writes a command and reads its reply (for setup, before pipelining starts). */
    Object call(byte[] command) throws IOException {
        write(command);
        flush();
        return read();
    }

    void write(byte[] command) throws IOException {
        out.write(command);
    }

    void flush() throws IOException {
        out.flush();
    }

    Object read() throws IOException {
        return Resp.read(in, maxBulk);
    }

    /** A read that sees nothing for this long fails: how a half-open connection is noticed. */
    void readTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing left to do
        }
    }
}
