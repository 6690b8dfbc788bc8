package dev.leanws.client;

import dev.leanws.handshake.WebSocketUri;
import dev.leanws.runtime.HandshakeGuard;
import dev.leanws.runtime.TlsTransport;
import dev.leanws.runtime.Transport;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code wss://}: TCP through {@link PlainConnector}, then the TLS handshake over the same
 * channel under its own deadline (the handshake timeout), with host name verification (HTTPS
 * endpoint identification) and SNI for a host name, unless the {@link ClientTls} says otherwise.
 * A failed handshake is reported as an {@link SSLHandshakeException} whose message says why in
 * words (expired, wrong host name, untrusted issuer), the JDK's exception as its cause.
 */
final class TlsConnector implements Connector {

    private static final Logger LOG = LoggerFactory.getLogger(TlsConnector.class);

    private final ClientTls tls;
    private final Duration handshakeTimeout;
    private final PlainConnector tcp;

    TlsConnector(ClientTls tls, Duration handshakeTimeout, PlainConnector tcp) {
        this.tls = tls;
        this.handshakeTimeout = handshakeTimeout;
        this.tcp = tcp;
    }

    @Override
    public Transport connect(WebSocketUri target, HandshakeGuard deadline) throws IOException {
        SocketChannel channel = tcp.open(target, deadline);
        TlsTransport transport;
        try {
            transport = new TlsTransport(channel, engine(target));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (tls.isInsecure()) {
            LOG.warn("TLS to {} trusts ANY certificate and checks no host name (insecure mode): do not use in production",
                    target.uri());
        }
        deadline.start("TLS handshake", handshakeTimeout);
        deadline.guard(transport);
        try {
            transport.handshake();
            return transport;
        } catch (IOException e) {
            transport.close();
            IOException explained = deadline.explain(e);
            if (explained == e && e instanceof SSLException ssl) {
                SSLHandshakeException named = new SSLHandshakeException("TLS handshake with " + target.host() + ":"
                        + target.port() + " failed: " + describe(ssl, target.host()));
                named.initCause(e);
                throw named;
            }
            throw explained;
        }
    }

    private SSLEngine engine(WebSocketUri target) throws IOException {
        SSLEngine engine;
        try {
            engine = tls.context().createSSLEngine(target.host(), target.port());
        } catch (NoSuchAlgorithmException e) {
            throw new IOException("no default TLS context in this JDK", e);
        }
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        if (tls.verifiesHostname()) {
            params.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (isHostName(target.host())) {
            params.setServerNames(List.of(new SNIHostName(target.host())));
        }
        engine.setSSLParameters(params);
        return engine;
    }

    /** SNI carries host names only (RFC 6066 §3), never an IP literal. */
    static boolean isHostName(String host) {
        if (host.indexOf(':') >= 0 || host.endsWith(".")) {
            return false;
        }
        return !host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /** The cause in words, from the JDK's exception chain. */
    static String describe(SSLException e, String host) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException) {
                return "the server's certificate has expired (" + t.getMessage() + ")";
            }
            if (t instanceof CertificateNotYetValidException) {
                return "the server's certificate is not valid yet (" + t.getMessage() + ")";
            }
            if (t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return "the server's certificate has expired (" + v.getMessage() + ")";
            }
            String m = String.valueOf(t.getMessage());
            if (m.contains("No subject alternative") || m.contains("No name matching")) {
                return "the server's certificate is not valid for host name " + host + " (" + m + ")";
            }
            if (t.getClass().getName().endsWith("SunCertPathBuilderException")
                    || m.contains("unable to find valid certification path")) {
                return "the server's certificate is not trusted: its issuer is not in the trust store (" + m + ")";
            }
        }
        return e.getMessage();
    }
}
