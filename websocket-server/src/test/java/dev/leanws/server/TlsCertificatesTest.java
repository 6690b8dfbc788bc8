package dev.leanws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.testing.JdkClient;
import dev.leanws.testing.Await;
import dev.leanws.WebSocketConfig;
import dev.leanws.event.EventFilter;
import dev.leanws.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Which certificate the server shows (SNI, rotation) and which client certificates it takes (mTLS). */
@Timeout(60)
class TlsCertificatesTest extends ServerTestSupport {

    static TestPki pki;
    static SSLContext trustCa;

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestPki.get();
        trustCa = pki.clientContext(null);
    }

    WebSocketServer echo(TlsConfig tls) throws IOException {
        WebSocketServer server = start(b -> b.tls(tls));
        server.events().subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()));
        return server;
    }

    JdkClient wss(WebSocketServer server, SSLContext context) throws Exception {
        JdkClient client = closeLater(JdkClient.withTls(context));
        client.connectTo("wss://127.0.0.1:" + server.port() + "/");
        return client;
    }

    @Test
    void sniPicksTheCertificateForTheRequestedName() throws Exception {
        WebSocketServer server = echo(TlsConfig.builder()
                .pem(pki.server().chain(), pki.server().key())               // default: 127.0.0.1, localhost
                .pem(pki.wrongHost().chain(), pki.wrongHost().key())         // wrong.example
                .build());
        assertEquals("CN=wrong-host", Handshakes.servedCertificate(trustCa, server.port(), "wrong.example"));
        assertEquals("CN=server", Handshakes.servedCertificate(trustCa, server.port(), "localhost"));
        assertEquals("CN=server", Handshakes.servedCertificate(trustCa, server.port(), "unknown.example"));
        assertEquals("CN=server", Handshakes.servedCertificate(trustCa, server.port(), null));
    }

    @Test
    void sniAlsoChoosesAmongTheEntriesOfAKeyStoreAndByKeyType() throws Exception {
        WebSocketServer server = echo(TlsConfig.builder()
                .keyStore(pki.serverEc().p12(), TestPki.PASSWORD.toCharArray())
                .pem(pki.wrongHost().chain(), pki.wrongHost().key())
                .build());
        assertEquals("CN=server-ec", Handshakes.servedCertificate(trustCa, server.port(), "localhost"));
        assertEquals("CN=wrong-host", Handshakes.servedCertificate(trustCa, server.port(), "wrong.example"));
    }

    @Test
    void requiredClientCertificates() throws Exception {
        var seen = new java.util.concurrent.LinkedBlockingQueue<String>();
        WebSocketServer server = start(b -> b.tls(TlsConfig.builder().pem(pki.server().chain(), pki.server().key())
                .clientAuth(TlsConfig.ClientAuth.REQUIRED).trustedClientCas(pki.caPem()).build())
                .upgradeHook(request -> {
                    // the hook sees who the client is
                    seen.add(request.tlsSession().orElseThrow().getPeerPrincipal().getName());
                    return UpgradeDecision.accept();
                }));
        server.events().subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()));
        assertEquals("hi", wss(server, pki.clientContext(pki.client())).send("hi").nextText());
        assertEquals("CN=client", seen.poll(5, java.util.concurrent.TimeUnit.SECONDS));
        assertThrows(Exception.class, () -> wss(server, trustCa));                            // none
        assertThrows(Exception.class, () -> wss(server, pki.clientContext(pki.untrustedClient())));   // untrusted
        Await.until("refused connections ended", Duration.ofSeconds(10), () -> server.threads().size() == 2);
    }

    @Test
    void optionalClientCertificates() throws Exception {
        WebSocketServer server = echo(TlsConfig.builder().pem(pki.server().chain(), pki.server().key())
                .clientAuth(TlsConfig.ClientAuth.OPTIONAL).trustedClientCas(pki.caPem()).build());
        assertEquals("hi", wss(server, trustCa).send("hi").nextText());
        assertEquals("hi", wss(server, pki.clientContext(pki.client())).send("hi").nextText());
        // A client whose certificate no trusted CA issued does not offer it, and is served without one.
        assertEquals("hi", wss(server, pki.clientContext(pki.untrustedClient())).send("hi").nextText());
    }

    @Test
    void reloadServesTheNewCertificateToNewConnectionsWhileOpenOnesGoOn() throws Exception {
        WebSocketServer server = echo(TlsConfig.pem(pki.server().chain(), pki.server().key()));
        JdkClient before = wss(server, trustCa);
        assertEquals("CN=server", Handshakes.servedCertificate(trustCa, server.port(), null));
        server.tls().reload(TlsConfig.pem(pki.serverNext().chain(), pki.serverNext().key()));
        assertEquals("CN=server-next", Handshakes.servedCertificate(trustCa, server.port(), null));
        assertEquals("still here", before.send("still here").nextText());
        assertEquals("new", wss(server, trustCa).send("new").nextText());
    }

    @Test
    void aFailedReloadKeepsTheCurrentCertificate() throws Exception {
        WebSocketServer server = echo(TlsConfig.pem(pki.server().chain(), pki.server().key()));
        IOException e = assertThrows(IOException.class,
                () -> server.tls().reload(TlsConfig.pem(pki.serverNext().chain(), Path.of("/nonexistent/key.pem"))));
        assertNotNull(e.getMessage());
        assertEquals("CN=server", Handshakes.servedCertificate(trustCa, server.port(), null));
    }

    @Test
    void theWatcherPicksUpRenewedFiles(@TempDir Path dir) throws Exception {
        Path chain = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        Files.copy(pki.server().chain(), chain);
        Files.copy(pki.server().key(), key);
        WebSocketServer server = echo(TlsConfig.builder().pem(chain, key).watch(Duration.ofMillis(20)).build());
        JdkClient before = wss(server, trustCa);
        assertEquals("CN=server", Handshakes.servedCertificate(trustCa, server.port(), null));
        // As an ACME client renews: both files replaced (the clock may not tick between writes, so set it).
        Files.copy(pki.serverNext().key(), key, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pki.serverNext().chain(), chain, StandardCopyOption.REPLACE_EXISTING);
        FileTime later = FileTime.from(Instant.now().plusSeconds(5));
        Files.setLastModifiedTime(chain, later);
        Files.setLastModifiedTime(key, later);
        Await.until("the renewed certificate is served", Duration.ofSeconds(10), () -> {
            try {
                return Handshakes.servedCertificate(trustCa, server.port(), null).equals("CN=server-next");
            } catch (IOException e) {
                return false;   // caught between the two files: try again
            }
        });
        assertEquals("still here", before.send("still here").nextText());
    }

    @Test
    void tlsHandshakesCountAgainstThePendingHandshakeCap() throws Exception {
        WebSocketServer server = start(b -> b.maxPendingHandshakes(1)
                .tls(TlsConfig.pem(pki.server().chain(), pki.server().key())));
        try (java.net.Socket slow = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.port())) {
            slow.getOutputStream().write(Handshakes.clientHello(), 0, 10);   // a handshake that takes its time
            Await.until("the slow handshake holds the only slot", Duration.ofSeconds(5), () -> server.threads().size() == 2);
            try (SSLSocket second = Handshakes.socket(trustCa, server.port(), null, null)) {
                second.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
                String answer = new String(second.getInputStream().readAllBytes());
                assertTrue(answer.startsWith("HTTP/1.1 503 "), answer);
            }
        }
    }

    @Test
    void configurationIsChecked() {
        assertThrows(IllegalArgumentException.class, () -> TlsConfig.builder().build());
        assertThrows(IllegalStateException.class, () -> WebSocketServer.builder().config(WebSocketConfig.defaults())
                .build().tls());
        assertEquals(java.util.List.of("TLSv1.3", "TLSv1.2"), TlsConfig.pem(Path.of("a"), Path.of("b")).protocols());
    }
}
