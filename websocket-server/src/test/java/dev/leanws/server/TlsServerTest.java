package dev.leanws.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.testing.JdkClient;
import dev.leanws.testing.Await;
import dev.leanws.WebSocketConfig;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.EventFilter;
import dev.leanws.event.OpenEvent;

import dev.leanws.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server over TLS with the JDK's clients (WebSocket and HTTP) as peers: the same echo,
 * limits, broadcast and HTTP handler as over TCP, with PEM (RSA, EC) and PKCS#12 certificates.
 */
@Timeout(60)
class TlsServerTest extends ServerTestSupport {

    static TestPki pki;
    static SSLContext trustCa;

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestPki.get();
        trustCa = pki.clientContext(null);
    }

    WebSocketServer echo(TlsConfig tls) throws IOException {
        return echo(tls, QUIET);
    }

    WebSocketServer echo(TlsConfig tls, WebSocketConfig config) throws IOException {
        WebSocketServer server = start(b -> b.tls(tls).config(config)
                .httpHandler(r -> dev.leanws.server.HttpResponse.text(200, "hello over " + r.path() + "\n")));
        server.events().subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()));
        server.events().subscribe(EventFilter.binaryMessages(), e -> e.connection().send(e.data()));
        return server;
    }

    JdkClient wss(WebSocketServer server) throws Exception {
        JdkClient client = closeLater(JdkClient.withTls(trustCa));
        client.connectTo("wss://127.0.0.1:" + server.port() + "/");
        return client;
    }

    void assertEchoes(JdkClient client) throws Exception {
        assertEquals("hello", client.send("hello").nextText());
        byte[] big = new byte[200_000];   // many TLS records each way
        new Random(7).nextBytes(big);
        assertArrayEquals(big, client.send(big).next(byte[].class));
    }

    @Test
    void echoesOverTlsWithAPemRsaCertificate() throws Exception {
        TestPki.Identity id = pki.server();
        assertEchoes(wss(echo(TlsConfig.pem(id.chain(), id.key()))));
    }

    @Test
    void echoesOverTlsWithAPemEcCertificate() throws Exception {
        TestPki.Identity id = pki.serverEc();
        assertEchoes(wss(echo(TlsConfig.pem(id.chain(), id.key()))));
    }

    @Test
    void echoesOverTlsWithAPkcs12KeyStore() throws Exception {
        assertEchoes(wss(echo(TlsConfig.keyStore(pki.server().p12(), TestPki.PASSWORD.toCharArray()))));
    }

    @Test
    void echoesOverTlsWithAnApplicationSslContext() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        var kmf = javax.net.ssl.KeyManagerFactory.getInstance("SunX509");
        var store = java.security.KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(pki.serverEc().p12())) {
            store.load(in, TestPki.PASSWORD.toCharArray());
        }
        kmf.init(store, TestPki.PASSWORD.toCharArray());
        context.init(kmf.getKeyManagers(), null, null);
        assertEchoes(wss(echo(TlsConfig.sslContext(context))));
    }

    @Test
    void tls12AndTls13AreBothServed() throws Exception {
        TestPki.Identity id = pki.server();
        WebSocketServer server = echo(TlsConfig.pem(id.chain(), id.key()));
        for (String version : new String[] {"TLSv1.2", "TLSv1.3"}) {
            assertEquals(version, Handshakes.session(trustCa, server.port(), null, version).getProtocol());
        }
    }

    @Test
    void echoesAndClosesOverTls12Too() throws Exception {
        TestPki.Identity id = pki.server();
        WebSocketServer server = echo(TlsConfig.pem(id.chain(), id.key()));
        SSLContext tls12 = SSLContext.getInstance("TLSv1.2");   // a client that offers TLS 1.2 at most
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        tmf.init(dev.leanws.tls.Pem.trustStore(pki.caPem()));
        tls12.init(null, tmf.getTrustManagers(), null);
        EventRecorder events = record(server);
        JdkClient client = closeLater(JdkClient.withTls(tls12));
        client.connectTo("wss://127.0.0.1:" + server.port() + "/");
        events.next(OpenEvent.class);
        assertEchoes(client);
        client.socket().sendClose(1000, "bye").get(10, TimeUnit.SECONDS);
        assertEquals(1000, client.next(JdkClient.Closed.class).code());
        CloseEvent closed = events.skipTo(CloseEvent.class);
        assertEquals(1000, closed.status().code());
        assertTrue(closed.clean(), "a clean close over TLS 1.2: " + closed);
    }

    @Test
    void theHttpHandlerIsServedOverHttps() throws Exception {
        TestPki.Identity id = pki.server();
        WebSocketServer server = echo(TlsConfig.pem(id.chain(), id.key()));
        try (HttpClient http = HttpClient.newBuilder().sslContext(trustCa).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + server.port() + "/page")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("hello over /page\n", response.body());
        }
    }

    @Test
    void limitsAndBroadcastWorkAsOverTcp() throws Exception {
        TestPki.Identity id = pki.server();
        WebSocketServer server = echo(TlsConfig.pem(id.chain(), id.key()),
                WebSocketConfig.builder().pingInterval(Duration.ZERO).maxMessageSize(1000).build());
        EventRecorder events = record(server);
        JdkClient a = wss(server);
        JdkClient b = wss(server);
        events.next(OpenEvent.class);
        events.next(OpenEvent.class);
        assertEquals(2, server.broadcast("to all"));
        assertEquals("to all", a.nextText());
        assertEquals("to all", b.nextText());
        a.send(new byte[1001]);
        assertEquals(1009, a.next(JdkClient.Closed.class).code());
        assertEquals(1009, events.skipTo(CloseEvent.class).status().code());
    }

    @Test
    void plainHttpToTheTlsPortGetsAPlain400SayingSo() throws Exception {
        TestPki.Identity id = pki.server();
        WebSocketServer server = echo(TlsConfig.pem(id.chain(), id.key()));
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
            assertTrue(answer.contains("this port speaks TLS: use https:// or wss://"), answer);
        }
    }

    @Test
    void aGarbageClientHelloIsClosedCleanly() throws Exception {
        TestPki.Identity id = pki.server();
        WebSocketServer server = echo(TlsConfig.pem(id.chain(), id.key()));
        byte[] garbage = new byte[300];
        new Random(1).nextBytes(garbage);
        byte[][] openings = {
            garbage,                                                   // not even a record header
            concat(new byte[] {0x16, 0x03, 0x01, 0x01, 0x00}, garbage),  // a handshake record of nonsense
            {0x16, 0x03, 0x01, (byte) 0xff, (byte) 0xff, 1, 2, 3},    // a record longer than TLS allows
        };
        for (byte[] opening : openings) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(opening);
                assertTrue(Handshakes.readsToTheEnd(socket.getInputStream()), "server closed");
            }
        }
        Await.until("every connection thread ended", Duration.ofSeconds(10), () -> server.threads().size() == 1);
    }

    @Test
    void aPeerVanishingMidHandshakeLeavesNothing() throws Exception {
        TestPki.Identity id = pki.server();
        WebSocketServer server = echo(TlsConfig.pem(id.chain(), id.key()));
        byte[] hello = Handshakes.clientHello();
        for (int cut : new int[] {0, 3, 40, hello.length - 1}) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                socket.getOutputStream().write(hello, 0, cut);
            }
        }
        Await.until("every connection thread ended", Duration.ofSeconds(10), () -> server.threads().size() == 1);
    }

    @Test
    void aSlowTlsHandshakeIsCutByTheHandshakeDeadline() throws Exception {
        TestPki.Identity id = pki.server();
        WebSocketServer server = echo(TlsConfig.pem(id.chain(), id.key()),
                WebSocketConfig.builder().pingInterval(Duration.ZERO).handshakeTimeout(Duration.ofMillis(500)).build());
        byte[] hello = Handshakes.clientHello();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(10_000);
            long start = System.nanoTime();
            socket.getOutputStream().write(hello, 0, 20);    // then nothing: a slowloris
            assertTrue(Handshakes.readsToTheEnd(socket.getInputStream()));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis >= 400 && millis < 5_000, "cut after " + millis + " ms");
        }
        Await.until("the connection thread ended", Duration.ofSeconds(10), () -> server.threads().size() == 1);
    }

    @Test
    void tls12RenegotiationIsRefused() throws Exception {
        TestPki.Identity id = pki.server();
        WebSocketServer server = echo(TlsConfig.pem(id.chain(), id.key()));
        try (javax.net.ssl.SSLSocket socket = Handshakes.socket(trustCa, server.port(), null, "TLSv1.2")) {
            socket.startHandshake();
            socket.setSoTimeout(10_000);
            // A second handshake on an established TLS 1.2 connection is a renegotiation.
            assertThrows(IOException.class, () -> {
                socket.startHandshake();
                socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                if (socket.getInputStream().read() < 0) {
                    throw new IOException("closed");
                }
            });
        }
        Await.until("the connection thread ended", Duration.ofSeconds(10), () -> server.threads().size() == 1);
    }

    @Test
    void serverWithUnreadableCertificatesDoesNotStart() {
        WebSocketServer server = WebSocketServer.builder()
                .tls(TlsConfig.pem(pki.server().chain(), pki.caPem())).build();   // a certificate where the key should be
        IOException e = assertThrows(IOException.class, server::start);
        assertTrue(e.getMessage().contains("no -----BEGIN PRIVATE KEY----- block"), e.getMessage());
        assertTrue(!server.isRunning());
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
