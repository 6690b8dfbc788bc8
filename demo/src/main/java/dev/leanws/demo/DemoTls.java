package dev.leanws.demo;

import dev.leanws.client.ClientTls;
import dev.leanws.demo.Flags.UsageException;
import dev.leanws.server.TlsConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * The TLS options of the demo programs: a server's certificate (PEM files or a PKCS#12 key
 * store, watched for renewal) and a client's trust ({@code --ca-cert}, {@code --insecure}).
 */
final class DemoTls {

    static final Set<String> SERVER_OPTIONS = Set.of("tls-cert", "tls-key", "keystore", "keystore-password-file");
    static final Set<String> CLIENT_OPTIONS = Set.of("ca-cert");
    static final Set<String> CLIENT_SWITCHES = Set.of("insecure");

    static final String SERVER_HELP = """
              --tls-cert FILE  serve TLS (wss://, https://) with this PEM certificate chain
                               (e.g. fullchain.pem); needs --tls-key
              --tls-key FILE   the certificate's unencrypted PKCS#8 PEM key (e.g. privkey.pem)
              --keystore FILE  serve TLS with the keys of this PKCS#12 key store instead
              --keystore-password-file FILE
                               the key store's password (the first line of FILE)
                               Certificate files are checked every minute: renewed ones are
                               used for new connections, without a restart.
            """;

    /** How often the demo servers look at their certificate files. */
    private static final Duration WATCH = Duration.ofMinutes(1);

    private DemoTls() {
    }

    /** The server's TLS settings, or null for plain TCP. */
    static TlsConfig server(Flags flags) throws UsageException {
        boolean pem = flags.has("tls-cert") || flags.has("tls-key");
        boolean store = flags.has("keystore") || flags.has("keystore-password-file");
        if (pem && store) {
            throw new UsageException("give --tls-cert/--tls-key or --keystore, not both");
        }
        if (pem) {
            if (!flags.has("tls-cert") || !flags.has("tls-key")) {
                throw new UsageException("--tls-cert and --tls-key go together");
            }
            return TlsConfig.builder().pem(readable(flags, "tls-cert"), readable(flags, "tls-key")).watch(WATCH).build();
        }
        if (store) {
            if (!flags.has("keystore") || !flags.has("keystore-password-file")) {
                throw new UsageException("--keystore needs --keystore-password-file");
            }
            String password;
            try {
                password = Files.readString(readable(flags, "keystore-password-file"), StandardCharsets.UTF_8)
                        .lines().findFirst().orElse("");
            } catch (IOException e) {
                throw new UsageException("cannot read --keystore-password-file: " + e.getMessage());
            }
            return TlsConfig.builder().keyStore(readable(flags, "keystore"), password.toCharArray()).watch(WATCH).build();
        }
        return null;
    }

    /** The client's TLS settings: the JDK's defaults unless {@code --ca-cert} or {@code --insecure}. */
    static ClientTls client(Flags flags, PrintStream err) throws UsageException {
        if (flags.has("insecure") && flags.has("ca-cert")) {
            throw new UsageException("give --ca-cert or --insecure, not both");
        }
        if (flags.has("insecure")) {
            err.println("echo-client: WARNING: --insecure: the server's certificate and host name are NOT checked;"
                    + " anyone on the path can read and change this connection");
            return ClientTls.insecure();
        }
        if (flags.has("ca-cert")) {
            try {
                return ClientTls.builder().trustPem(readable(flags, "ca-cert")).build();
            } catch (UncheckedIOException e) {
                throw new UsageException("--ca-cert: " + e.getMessage());
            }
        }
        return ClientTls.defaults();
    }

    private static Path readable(Flags flags, String name) throws UsageException {
        Path p = Path.of(flags.string(name, ""));
        if (!Files.isReadable(p)) {
            throw new UsageException("--" + name + ": cannot read " + p);
        }
        return p;
    }
}
