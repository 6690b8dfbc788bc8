package dev.leanws.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.testing.JdkClient;
import dev.leanws.testing.RedisProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss://}: a TLS-only redis-server with a certificate made for the test (by the JDK's
 * keytool, exported to PEM here), trusted through a given {@link SSLContext}.
 */
class RedisTlsTest extends ClusterTestSupport {

    private static final char[] STORE_PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;

    @Test
    void nodesMeetOverTlsWithAGivenTrustAndRefuseAnUntrustedCertificate() throws Exception {
        KeyStore store = selfSigned();
        RedisProcess redis = closeLater(RedisProcess.startTls(
                "--tls-cert-file", dir.resolve("cert.pem").toString(),
                "--tls-key-file", dir.resolve("key.pem").toString(),
                "--tls-ca-cert-file", dir.resolve("cert.pem").toString(),
                "--tls-auth-clients", "no"));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);

        Node a = node(RedisBroker.builder(redis.url()).tls(tls).build());
        Node b = node(RedisBroker.builder(redis.url()).tls(tls).build());
        JdkClient a1 = subscriber(a, "secure");
        JdkClient b1 = subscriber(b, "secure");
        a1.send("pub secure over-tls");
        assertEquals("over-tls", a1.nextText());
        assertEquals("over-tls", b1.nextText());

        IOException e = assertThrows(IOException.class, () -> node(redis.url()));   // the JDK's default trust
        assertTrue(e.getMessage().startsWith("TLS handshake with Redis at " + redis.url()), e.getMessage());
    }

    /** A key pair and self-signed certificate for 127.0.0.1, as PKCS#12 (returned) and PEM files. */
    private KeyStore selfSigned() throws Exception {
        Path p12 = dir.resolve("redis.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "redis", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-keystore", p12.toString(), "-storetype", "PKCS12", "-storepass", new String(STORE_PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(keytool.waitFor(30, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool: " + output);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            store.load(in, STORE_PASSWORD);
        }
        Files.writeString(dir.resolve("key.pem"),
                pem("PRIVATE KEY", store.getKey("redis", STORE_PASSWORD).getEncoded()));
        Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", store.getCertificate("redis").getEncoded()));
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("redis", store.getCertificate("redis"));
        return trusted;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
