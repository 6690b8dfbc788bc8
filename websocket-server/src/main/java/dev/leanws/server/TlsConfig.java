package dev.leanws.server;

import dev.leanws.tls.Pem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;

/**
 * How a {@link WebSocketServer} serves TLS ({@code wss://} and {@code https://} on its port):
 * its certificates, which protocol versions, and whether clients must show a certificate.
 *
 * <pre>{@code
 * // the files an ACME client (certbot, lego...) renews every 60-90 days
 * TlsConfig tls = TlsConfig.builder()
 *         .pem(Path.of("/etc/letsencrypt/live/example.com/fullchain.pem"),
 *              Path.of("/etc/letsencrypt/live/example.com/privkey.pem"))
 *         .pem(otherChain, otherKey)              // a second name: chosen by SNI
 *         .watch(Duration.ofMinutes(1))           // renewed files are picked up
 *         .build();
 * WebSocketServer server = WebSocketServer.builder().port(8443).tls(tls).build().start();
 * server.tls().reload();                          // or: re-read the files now
 * }</pre>
 *
 * <p><b>Certificates.</b> From PEM files (a chain, server certificate first, and an
 * unencrypted PKCS#8 key, RSA or EC: {@link #builder()}{@code .pem(...)}), from a PKCS#12 key
 * store ({@code .keyStore(...)}, every key entry in it), or from an {@link SSLContext} the
 * application built ({@code .sslContext(...)}, used as is). With several certificates the
 * one whose names (subject alternative names) match the client's SNI host name is served; the
 * first one when none matches or the client sent no SNI.
 *
 * <p><b>Defaults.</b> TLS 1.3 and 1.2, the JDK's default cipher suites, no client
 * certificates, files read when the server starts (and on {@link ServerTls#reload()}).
 */
public final class TlsConfig {

    /** Whether clients present a certificate (mutual TLS). */
    public enum ClientAuth {
        /** Not asked for. */
        NONE,
        /** Asked for; a client without one is still served. A certificate it shows must be trusted. */
        OPTIONAL,
        /** Required: a client without a trusted certificate fails the TLS handshake. */
        REQUIRED
    }

    /** A PEM chain and key, or a PKCS#12 store: what {@link #load()} reads. */
    private sealed interface Source permits PemSource, KeyStoreSource {
    }

    private record PemSource(Path chain, Path key) implements Source {
    }

    private record KeyStoreSource(Path file, char[] password) implements Source {
    }

    private final List<Source> sources;
    private final SSLContext context;
    private final ClientAuth clientAuth;
    private final Path clientCas;
    private final List<String> protocols;
    private final Duration watch;

    private TlsConfig(Builder b) {
        this.sources = List.copyOf(b.sources);
        this.context = b.context;
        this.clientAuth = b.clientAuth;
        this.clientCas = b.clientCas;
        this.protocols = List.copyOf(b.protocols);
        this.watch = b.watch;
    }

    /** TLS with one certificate chain and its key from PEM files; see {@link Builder#pem}. */
    public static TlsConfig pem(Path chain, Path key) {
        return builder().pem(chain, key).build();
    }

    /** TLS with the key entries of a PKCS#12 key store; see {@link Builder#keyStore}. */
    public static TlsConfig keyStore(Path file, char[] password) {
        return builder().keyStore(file, password).build();
    }

    /** TLS with a context the application built (its key managers choose the certificate). */
    public static TlsConfig sslContext(SSLContext context) {
        return builder().sslContext(context).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /** The TLS versions offered, most preferred first. */
    public List<String> protocols() {
        return protocols;
    }

    /** How often the certificate files are checked for changes; empty: only on {@link ServerTls#reload()}. */
    public Optional<Duration> watchInterval() {
        return Optional.ofNullable(watch);
    }

    /** The files this configuration reads (for the change watcher). */
    List<Path> files() {
        List<Path> files = new ArrayList<>();
        for (Source s : sources) {
            switch (s) {
                case PemSource p -> {
                    files.add(p.chain());
                    files.add(p.key());
                }
                case KeyStoreSource k -> files.add(k.file());
            }
        }
        if (clientCas != null) {
            files.add(clientCas);
        }
        return files;
    }

    /**
     * Builds the {@link SSLContext} from the files as they are now.
     *
     * @throws IOException              if a file cannot be read or parsed (the message names it)
     * @throws GeneralSecurityException if the JDK refuses a key or certificate
     */
    SSLContext load() throws IOException, GeneralSecurityException {
        if (context != null) {
            return context;
        }
        List<SniKeyManager.Identity> identities = new ArrayList<>();
        for (Source s : sources) {
            switch (s) {
                case PemSource p -> {
                    List<X509Certificate> chain = Pem.readCertificates(p.chain());
                    PrivateKey key = Pem.readPrivateKey(p.key());
                    identities.add(SniKeyManager.identity(p.chain().toString(), chain, key));
                }
                case KeyStoreSource k -> identities.addAll(readKeyStore(k));
            }
        }
        TrustManager[] trust = null;
        if (clientCas != null) {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(Pem.trustStore(clientCas));
            trust = tmf.getTrustManagers();
        }
        SSLContext built = SSLContext.getInstance("TLS");
        built.init(new KeyManager[] {new SniKeyManager(identities)}, trust, null);
        return built;
    }

    private static List<SniKeyManager.Identity> readKeyStore(KeyStoreSource k) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(k.file())) {
            store.load(in, k.password());
        } catch (IOException e) {
            throw new IOException(k.file() + ": cannot read the PKCS#12 key store (wrong password?): " + e.getMessage(), e);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(store, k.password());
        X509KeyManager keys = (X509KeyManager) kmf.getKeyManagers()[0];
        List<SniKeyManager.Identity> identities = new ArrayList<>();
        for (String alias : java.util.Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias) && keys.getPrivateKey(alias) != null) {
                Certificate[] chain = store.getCertificateChain(alias);
                List<X509Certificate> x509 = Arrays.stream(chain).map(c -> (X509Certificate) c).toList();
                identities.add(SniKeyManager.identity(k.file() + "#" + alias, x509, keys.getPrivateKey(alias)));
            }
        }
        if (identities.isEmpty()) {
            throw new IOException(k.file() + ": no private key entry in the key store");
        }
        return identities;
    }

    @Override
    public String toString() {
        return "TlsConfig[" + (context != null ? "SSLContext" : files()) + ", clientAuth " + clientAuth
                + ", " + protocols + "]";
    }

    /** Builder of {@link TlsConfig}; give at least one certificate source. */
    public static final class Builder {
        private final List<Source> sources = new ArrayList<>();
        private SSLContext context;
        private ClientAuth clientAuth = ClientAuth.NONE;
        private Path clientCas;
        private List<String> protocols = List.of("TLSv1.3", "TLSv1.2");
        private Duration watch;

        private Builder() {
        }

        /**
         * Adds a certificate chain (PEM, the server's certificate first, e.g. {@code fullchain.pem})
         * and its unencrypted PKCS#8 private key (PEM, RSA or EC, e.g. {@code privkey.pem}).
         * Several may be added: the client's SNI name picks one, the first is the default.
         */
        public Builder pem(Path chain, Path key) {
            sources.add(new PemSource(Objects.requireNonNull(chain, "chain"), Objects.requireNonNull(key, "key")));
            return this;
        }

        /** Adds every private key entry of a PKCS#12 key store (store and keys share the password). */
        public Builder keyStore(Path file, char[] password) {
            sources.add(new KeyStoreSource(Objects.requireNonNull(file, "file"), password.clone()));
            return this;
        }

        /** Uses this context as is (instead of files): its key and trust managers decide. */
        public Builder sslContext(SSLContext context) {
            this.context = Objects.requireNonNull(context, "context");
            return this;
        }

        /** Client certificates: none (default), optional or required. */
        public Builder clientAuth(ClientAuth auth) {
            this.clientAuth = Objects.requireNonNull(auth, "auth");
            return this;
        }

        /** The CA certificates (PEM) that client certificates must chain to; default: the JDK's trust store. */
        public Builder trustedClientCas(Path pem) {
            this.clientCas = Objects.requireNonNull(pem, "pem");
            return this;
        }

        /** The TLS versions to offer; default {@code TLSv1.3, TLSv1.2}. */
        public Builder protocols(String... versions) {
            if (versions.length == 0) {
                throw new IllegalArgumentException("at least one TLS version");
            }
            this.protocols = List.of(versions);
            return this;
        }

        /**
         * Checks the certificate files' modification times every {@code interval} and reloads
         * them when one changed: new connections get the new certificate, open ones keep theirs.
         * A reload that fails (a half-written file) is logged and retried at the next check.
         */
        public Builder watch(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("watch interval must be > 0: " + interval);
            }
            this.watch = interval;
            return this;
        }

        /** @throws IllegalArgumentException without a certificate source, or with files and a context */
        public TlsConfig build() {
            if (context == null && sources.isEmpty()) {
                throw new IllegalArgumentException("TLS needs a certificate: pem(...), keyStore(...) or sslContext(...)");
            }
            if (context != null && (!sources.isEmpty() || clientCas != null)) {
                throw new IllegalArgumentException("an SSLContext is used as is: give no certificate files with it");
            }
            return new TlsConfig(this);
        }
    }
}
