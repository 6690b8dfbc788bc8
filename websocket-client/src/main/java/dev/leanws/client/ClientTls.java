package dev.leanws.client;

import dev.leanws.tls.Pem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How the client does TLS for {@code wss://}: whom it trusts, whether it checks the host name,
 * and the certificate it shows if the server asks for one.
 *
 * <pre>{@code
 * // a server whose certificate a private CA signed, with a client certificate (mutual TLS)
 * ClientTls tls = ClientTls.builder()
 *         .trustPem(Path.of("ca.pem"))
 *         .clientPem(Path.of("client-chain.pem"), Path.of("client-key.pem"))
 *         .build();
 * WebSocketClient ws = WebSocketClient.connect(URI.create("wss://internal.example:8443/feed"),
 *         ClientConfig.builder().tls(tls).build());
 * }</pre>
 *
 * <p>Default ({@link #defaults()}): the JDK's trust store ({@code cacerts}) and host name
 * verification as HTTPS does it (RFC 2818: the URI's host must be among the certificate's
 * subject alternative names); no client certificate. A certificate that is expired, for another
 * host, or from an untrusted issuer fails {@code connect}; there is never a fallback to
 * {@code ws://}.
 */
public final class ClientTls {

    private static final ClientTls DEFAULTS = new ClientTls(null, true, false);

    private final SSLContext context;    // null: the JDK's default, looked up at the first connect
    private final boolean verifyHostname;
    private final boolean insecure;

    private ClientTls(SSLContext context, boolean verifyHostname, boolean insecure) {
        this.context = context;
        this.verifyHostname = verifyHostname;
        this.insecure = insecure;
    }

    /** The JDK's trust store, host name verification, no client certificate. */
    public static ClientTls defaults() {
        return DEFAULTS;
    }

    /**
     * Trusts every certificate and checks no host name: anyone on the path can read and change
     * the traffic. For tests against a self-signed server only; each connection logs a warning.
     */
    public static ClientTls insecure() {
        try {
            SSLContext trustAll = SSLContext.getInstance("TLS");
            trustAll.init(null, new TrustManager[] {new TrustEverything()}, null);
            return new ClientTls(trustAll, false, true);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a TLS context", e);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether the server's certificate must name the URI's host. */
    public boolean verifiesHostname() {
        return verifyHostname;
    }

    /** Whether this is {@link #insecure()}. */
    public boolean isInsecure() {
        return insecure;
    }

    /** The context to create engines from. */
    SSLContext context() throws NoSuchAlgorithmException {
        return context != null ? context : SSLContext.getDefault();
    }

    @Override
    public String toString() {
        return insecure ? "ClientTls[insecure]" : "ClientTls[" + (context == null ? "JDK defaults" : "custom context")
                + (verifyHostname ? "" : ", no host name check") + "]";
    }

    /** Builder of {@link ClientTls}: files are read by {@link #build()}. */
    public static final class Builder {
        private SSLContext context;
        private Path trustPem;
        private Path clientChain;
        private Path clientKey;
        private Path clientStore;
        private char[] clientStorePassword;
        private boolean verifyHostname = true;

        private Builder() {
        }

        /** Uses this context as is (its trust and key managers); excludes the file options. */
        public Builder sslContext(SSLContext sslContext) {
            this.context = Objects.requireNonNull(sslContext, "sslContext");
            return this;
        }

        /** Trusts the CA certificates of this PEM file, instead of the JDK's trust store. */
        public Builder trustPem(Path caCertificates) {
            this.trustPem = Objects.requireNonNull(caCertificates, "caCertificates");
            return this;
        }

        /** The client certificate for servers that ask for one: a PEM chain and its PKCS#8 key. */
        public Builder clientPem(Path chain, Path key) {
            this.clientChain = Objects.requireNonNull(chain, "chain");
            this.clientKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /** The client certificate from a PKCS#12 key store (store and key share the password). */
        public Builder clientKeyStore(Path file, char[] password) {
            this.clientStore = Objects.requireNonNull(file, "file");
            this.clientStorePassword = password.clone();
            return this;
        }

        /**
         * Whether the server's certificate must be valid for the URI's host (default true).
         * Turning it off lets any holder of a trusted certificate pose as the server.
         */
        public Builder verifyHostname(boolean verify) {
            this.verifyHostname = verify;
            return this;
        }

        /**
         * Reads the files and builds the TLS context.
         *
         * @throws UncheckedIOException     if a file cannot be read or parsed (the message names it)
         * @throws IllegalArgumentException if a context and files are both given
         */
        public ClientTls build() {
            boolean files = trustPem != null || clientChain != null || clientStore != null;
            if (context != null && files) {
                throw new IllegalArgumentException("an SSLContext is used as is: give no certificate files with it");
            }
            if (!files) {
                return new ClientTls(context, verifyHostname, false);
            }
            try {
                TrustManager[] trust = null;
                if (trustPem != null) {
                    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                    tmf.init(Pem.trustStore(trustPem));
                    trust = tmf.getTrustManagers();
                }
                KeyManager[] keys = null;
                if (clientChain != null || clientStore != null) {
                    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                    if (clientChain != null) {
                        kmf.init(Pem.keyStore(Pem.readCertificates(clientChain), Pem.readPrivateKey(clientKey)), new char[0]);
                    } else {
                        KeyStore store = KeyStore.getInstance("PKCS12");
                        try (InputStream in = Files.newInputStream(clientStore)) {
                            store.load(in, clientStorePassword);
                        }
                        kmf.init(store, clientStorePassword);
                    }
                    keys = kmf.getKeyManagers();
                }
                SSLContext built = SSLContext.getInstance("TLS");
                built.init(keys, trust, null);
                return new ClientTls(built, verifyHostname, false);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("TLS configuration refused: " + e.getMessage(), e);
            }
        }
    }

    /** {@link #insecure()}: an extended trust manager, so the JDK adds no host name check of its own. */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket s) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket s) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine e) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine e) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}
