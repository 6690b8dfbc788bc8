package dev.leanws.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.event.BinaryEvent;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.EventManager;
import dev.leanws.event.OpenEvent;
import dev.leanws.event.TextEvent;

import dev.leanws.testing.TestPki;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client over {@code wss://}: trust from a CA file or a context, host name verification,
 * SNI, client certificates, failures that say why, reconnection. The server is the core-built
 * {@link EchoServer} over TLS.
 */
@Timeout(60)
class TlsClientTest {

    static TestPki pki;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final EventManager events = new EventManager();
    private final EventRecorder recorder = new EventRecorder(events);

    @BeforeAll
    static void certificates() {
        pki = TestPki.get();
    }

    @AfterEach
    void closeAll() throws Exception {
        recorder.close();
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    /** A TLS echo server showing {@code identity}; with {@code clientAuth} it requires a client certificate from the test CA. */
    EchoServer server(TestPki.Identity identity, boolean clientAuth) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(identity.p12())) {
            store.load(in, TestPki.PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(store, TestPki.PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), clientAuth ? trustManagersOfCa() : null, null);
        EchoServer server = EchoServer.startTls(context, clientAuth);
        closeables.add(server);
        return server;
    }

    private static javax.net.ssl.TrustManager[] trustManagersOfCa() throws Exception {
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        tmf.init(dev.leanws.tls.Pem.trustStore(pki.caPem()));
        return tmf.getTrustManagers();
    }

    WebSocketClient connect(URI uri, ClientTls tls) throws Exception {
        WebSocketClient ws = WebSocketClient.connect(uri, ClientConfig.builder().tls(tls).events(events).build());
        closeables.add(ws);
        assertSame(ws, recorder.next(OpenEvent.class).connection());
        return ws;
    }

    static ClientTls trustingTheCa() {
        return ClientTls.builder().trustPem(pki.caPem()).build();
    }

    @Test
    void echoesOverWssTrustingACaFile() throws Exception {
        EchoServer server = server(pki.server(), false);
        WebSocketClient ws = connect(server.uri("/"), trustingTheCa());
        ws.send("hello");
        assertEquals("hello", recorder.next(TextEvent.class).text());
        byte[] big = new byte[300_000];
        new Random(3).nextBytes(big);
        ws.send(ByteBuffer.wrap(big));
        BinaryEvent echo = recorder.next(BinaryEvent.class);
        byte[] got = new byte[echo.data().remaining()];
        echo.data().get(got);
        assertArrayEquals(big, got);
        ws.close();
        assertEquals(1000, recorder.next(CloseEvent.class).code());
    }

    @Test
    void theHostNameIsVerifiedAndSentAsSni() throws Exception {
        EchoServer server = server(pki.server(), false);
        URI byName = URI.create("wss://localhost:" + server.port() + "/");
        connect(byName, trustingTheCa()).send("by name");
        assertEquals("by name", recorder.next(TextEvent.class).text());
        assertTrue(TlsConnector.isHostName("localhost"));
        assertTrue(!TlsConnector.isHostName("127.0.0.1") && !TlsConnector.isHostName("::1"));
    }

    @Test
    void aCertificateForAnotherHostFailsNamingTheCause() throws Exception {
        EchoServer server = server(pki.wrongHost(), false);
        SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                () -> WebSocketClient.connect(server.uri("/"), ClientConfig.builder().tls(trustingTheCa()).build()));
        assertTrue(e.getMessage().contains("not valid for host name 127.0.0.1"), e.getMessage());
    }

    @Test
    void anExpiredCertificateFailsNamingTheCause() throws Exception {
        EchoServer server = server(pki.expired(), false);
        SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                () -> WebSocketClient.connect(server.uri("/"), ClientConfig.builder().tls(trustingTheCa()).build()));
        assertTrue(e.getMessage().contains("certificate has expired"), e.getMessage());
    }

    @Test
    void anUntrustedIssuerFailsNamingTheCause() throws Exception {
        EchoServer server = server(pki.server(), false);
        // the JDK's default trust store does not know the test CA
        SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                () -> WebSocketClient.connect(server.uri("/"), ClientConfig.defaults()));
        assertTrue(e.getMessage().contains("not trusted"), e.getMessage());
    }

    @Test
    void hostNameVerificationCanBeTurnedOffAndInsecureTrustsAnything() throws Exception {
        EchoServer server = server(pki.wrongHost(), false);
        connect(server.uri("/"), ClientTls.builder().trustPem(pki.caPem()).verifyHostname(false).build()).send("a");
        assertEquals("a", recorder.next(TextEvent.class).text());
        EchoServer expired = server(pki.expired(), false);
        connect(expired.uri("/"), ClientTls.insecure()).send("b");
        assertEquals("b", recorder.next(TextEvent.class).text());
    }

    @Test
    void aCustomSslContextIsUsed() throws Exception {
        EchoServer server = server(pki.serverEc(), false);
        connect(server.uri("/"), ClientTls.builder().sslContext(pki.clientContext(null)).build()).send("ctx");
        assertEquals("ctx", recorder.next(TextEvent.class).text());
    }

    @Test
    void clientCertificatesFromPemOrPkcs12() throws Exception {
        EchoServer server = server(pki.server(), true);
        connect(server.uri("/"), ClientTls.builder().trustPem(pki.caPem())
                .clientPem(pki.client().chain(), pki.client().key()).build()).send("pem");
        assertEquals("pem", recorder.next(TextEvent.class).text());
        connect(server.uri("/"), ClientTls.builder().trustPem(pki.caPem())
                .clientKeyStore(pki.client().p12(), TestPki.PASSWORD.toCharArray()).build()).send("p12");
        assertEquals("p12", recorder.next(TextEvent.class).text());
        Exception e = assertThrows(Exception.class,
                () -> WebSocketClient.connect(server.uri("/"), ClientConfig.builder().tls(trustingTheCa()).build()));
        assertTrue(String.valueOf(e.getMessage()).contains("certificate"), String.valueOf(e));
    }

    @Test
    void reconnectsOverTls() throws Exception {
        EchoServer server = server(pki.server(), false);
        WebSocketClient ws = WebSocketClient.connect(server.uri("/"), ClientConfig.builder().tls(trustingTheCa())
                .events(events).reconnect(ReconnectPolicy.builder().initialDelay(Duration.ofMillis(10)).jitter(0).build())
                .build());
        closeables.add(ws);
        recorder.next(OpenEvent.class);
        server.dropAll();
        assertEquals(1006, recorder.next(CloseEvent.class).code());
        recorder.next(OpenEvent.class);
        assertTrue(ws.send("again"));
        assertEquals("again", recorder.next(TextEvent.class).text());
    }

    @Test
    void badFilesAreReportedByName() {
        var e = assertThrows(java.io.UncheckedIOException.class,
                () -> ClientTls.builder().trustPem(pki.server().key()).build());
        assertTrue(e.getMessage().contains("no -----BEGIN CERTIFICATE----- block"), e.getMessage());
    }
}
