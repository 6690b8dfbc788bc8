package dev.leanws.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made by the tests themselves with the running JDK's {@code keytool} (nothing
 * checked in, nothing that expires in the repository): a CA, server certificates it signs
 * (RSA and EC, SAN 127.0.0.1 and localhost), an expired one, one for another host name, one
 * for localhost only (SNI), a second server certificate (rotation), a client certificate, and a
 * self-signed client certificate no one trusts. PEM files (chain, PKCS#8 key) and PKCS#12
 * stores are written to a directory under the system temp directory, made once a day and
 * shared by the test JVMs of every module.
 */
public final class TestPki {

    public static final String PASSWORD = "changeit";
    private static final String VERSION = "v1";
    private static TestPki instance;

    private final Path dir;

    /** One certificate: its PEM chain (leaf first, then the CA), PKCS#8 PEM key and PKCS#12 store. */
    public record Identity(Path chain, Path key, Path p12) {
    }

    private TestPki(Path dir) {
        this.dir = dir;
    }

    /** The test PKI, made on first use (about ten seconds of keytool runs) or reused. */
    public static synchronized TestPki get() {
        if (instance == null) {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "leanws-test-pki-" + VERSION + "-"
                    + System.getProperty("user.name", "user"));
            try {
                Path done = dir.resolve("done");
                if (!Files.exists(done) || Files.getLastModifiedTime(done).toInstant()
                        .isBefore(Instant.now().minus(Duration.ofDays(1)))) {
                    Path tmp = Files.createTempDirectory(dir.getParent(), "leanws-test-pki-new");
                    makeInChildJvm(tmp);
                    Files.writeString(tmp.resolve("done"), "ok\n");
                    replace(tmp, dir);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot make test certificates: " + e.getMessage(), e);
            }
            instance = new TestPki(dir);
        }
        return instance;
    }

    private static void replace(Path fresh, Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
        try {
            Files.move(fresh, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
            // another test JVM made it meanwhile: use ours from where it is
            if (!Files.exists(dir.resolve("done"))) {
                throw raced;
            }
        }
    }

    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    /** RSA, SAN IP 127.0.0.1 and DNS localhost. */
    public Identity server() {
        return identity("server");
    }

    /** EC (P-256), SAN IP 127.0.0.1 and DNS localhost. */
    public Identity serverEc() {
        return identity("server-ec");
    }

    /** Another RSA certificate for the same names (certificate rotation). */
    public Identity serverNext() {
        return identity("server-next");
    }

    /** Expired ten days ago. */
    public Identity expired() {
        return identity("expired");
    }

    /** Valid, but for wrong.example only. */
    public Identity wrongHost() {
        return identity("wrong-host");
    }

    /** For DNS localhost only (no IP address): the SNI test's second certificate. */
    public Identity localhostOnly() {
        return identity("localhost-only");
    }

    /** A client certificate signed by the CA. */
    public Identity client() {
        return identity("client");
    }

    /** A self-signed client certificate (not trusted by the CA's trust store). */
    public Identity untrustedClient() {
        return identity("untrusted-client");
    }

    private Identity identity(String name) {
        return new Identity(dir.resolve(name + "-chain.pem"), dir.resolve(name + "-key.pem"), dir.resolve(name + ".p12"));
    }

    /** An SSLContext trusting only the test CA, with an optional client identity. */
    public SSLContext clientContext(Identity clientCert) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(caPem())));
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (clientCert != null) {
            kmf = KeyManagerFactory.getInstance("SunX509");
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(clientCert.p12())) {
                keys.load(in, PASSWORD.toCharArray());
            }
            kmf.init(keys, PASSWORD.toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    // ------------------------------------------------------------------ making them

    /**
     * Makes the files in one child JVM (the running one's {@code java}) that runs keytool's
     * main class in-process for every step: one JVM start instead of forty.
     */
    private static void makeInChildJvm(Path dir) throws IOException {
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow(() -> new IOException("no java command")));
        List<String> command = List.of(java.toString(), "--add-exports", "java.base/sun.security.tools.keytool=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), TestPki.class.getName(), dir.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("making the test certificates did not finish");
            }
            if (p.exitValue() != 0) {
                throw new IOException("making the test certificates failed (" + p.exitValue() + "):\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The child JVM: makes every file in {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        new TestPki(Path.of(args[0])).make();
    }

    private void make() throws IOException {
        Path ca = dir.resolve("ca.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=leanws test CA",
                "-ext", "bc:c", "-startdate", "-60d", "-validity", "120", "-keystore", ca.toString());
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-file", caPem().toString());
        String both = "san=ip:127.0.0.1,dns:localhost";
        signed("server", "RSA", both, "-validity", "60");
        signed("server-ec", "EC", both, "-validity", "60");
        signed("server-next", "RSA", both, "-validity", "61");
        signed("expired", "RSA", both, "-startdate", "-20d", "-validity", "10");
        signed("wrong-host", "RSA", "san=dns:wrong.example", "-validity", "60");
        signed("localhost-only", "EC", "san=dns:localhost", "-validity", "60");
        signed("client", "EC", "eku=clientAuth", "-validity", "60");
        Path untrusted = dir.resolve("untrusted-client.p12");
        keytool("-genkeypair", "-alias", "key", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=nobody",
                "-validity", "60", "-keystore", untrusted.toString());
        keytool("-exportcert", "-rfc", "-alias", "key", "-keystore", untrusted.toString(),
                "-file", dir.resolve("untrusted-client-chain.pem").toString());
        writeKeyPem(untrusted, dir.resolve("untrusted-client-key.pem"));
    }

    /** A key pair in {@code name.p12}, its certificate signed by the CA, chain and key as PEM. */
    private void signed(String name, String algorithm, String ext, String... validity) throws IOException {
        Path p12 = dir.resolve(name + ".p12");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".pem");
        List<String> gen = new ArrayList<>(List.of("-genkeypair", "-alias", "key", "-keyalg", algorithm,
                "-dname", "CN=" + name, "-keystore", p12.toString()));
        gen.addAll(algorithm.equals("EC") ? List.of("-groupname", "secp256r1") : List.of("-keysize", "2048"));
        keytool(gen.toArray(String[]::new));
        keytool("-certreq", "-alias", "key", "-keystore", p12.toString(), "-file", csr.toString());
        List<String> sign = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore",
                dir.resolve("ca.p12").toString(), "-infile", csr.toString(), "-outfile", cert.toString(), "-ext", ext));
        sign.addAll(List.of(validity));
        keytool(sign.toArray(String[]::new));
        String chain = Files.readString(cert) + Files.readString(caPem());
        Files.writeString(dir.resolve(name + "-chain.pem"), chain);
        // the store gets the signed chain (for the PKCS#12 tests and client identities)
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem().toString(), "-keystore", p12.toString());
        keytool("-importcert", "-noprompt", "-alias", "key", "-file", dir.resolve(name + "-chain.pem").toString(),
                "-keystore", p12.toString());
        writeKeyPem(p12, dir.resolve(name + "-key.pem"));
    }

    private static void writeKeyPem(Path p12, Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(p12)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            PrivateKey key = (PrivateKey) store.getKey("key", PASSWORD.toCharArray());
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
            Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot read the key of " + p12, e);
        }
    }

    /** Runs keytool's main class in this JVM (the child's), with the common store options; keytool exits on failure. */
    private void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("-storepass", PASSWORD, "-storetype", "PKCS12"));
        if (!List.of(args).contains("-exportcert")) {
            command.addAll(List.of("-keypass", PASSWORD));
        }
        List<String> absolute = new ArrayList<>();
        for (String a : command) {
            absolute.add(a);
        }
        try {
            Class.forName("sun.security.tools.keytool.Main").getMethod("main", String[].class)
                    .invoke(null, (Object) absolute.toArray(String[]::new));
        } catch (ReflectiveOperationException e) {
            throw new IOException("keytool " + String.join(" ", command) + " failed", e);
        }
    }
}
