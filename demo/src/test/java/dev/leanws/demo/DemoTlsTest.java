package dev.leanws.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.server.WebSocketServer;
import dev.leanws.testing.TestPki;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The demos' TLS options: servers with PEM files or a key store, echo-client with --ca-cert or --insecure. */
@Timeout(60)
class DemoTlsTest {

    static TestPki pki;
    private final Console out = new Console();
    private final Console err = new Console();
    private WebSocketServer server;
    private ChatServer chat;

    @BeforeAll
    static void certificates() {
        pki = TestPki.get();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ofSeconds(5));
        }
        if (chat != null) {
            chat.close();
        }
    }

    private static Flags serverFlags(String... args) throws Exception {
        return Flags.parse(args, DemoTls.SERVER_OPTIONS, 0);
    }

    private int client(String... args) throws InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "echo-client";
        System.arraycopy(args, 0, command, 1, args.length);
        return Main.run(command, InputStream.nullInputStream(), out.stream(), err.stream());
    }

    @Test
    void echoWithPemFilesAndEchoClientWithTheCaCertificate() throws Exception {
        server = EchoServer.start("127.0.0.1", 0, DemoTls.server(serverFlags(
                "--tls-cert", pki.server().chain().toString(), "--tls-key", pki.server().key().toString())));
        String url = "wss://127.0.0.1:" + server.port() + "/";
        assertEquals(0, client("--send", "over tls", "--count", "50", "--ca-cert", pki.caPem().toString(), url), err.text());
        assertEquals("all 50 echoes came back unchanged\n", out.text());
        // without the CA: the JDK's trust store does not know it, and the message says so
        assertEquals(1, client("--send", "x", url));
        assertTrue(err.text().contains("not trusted"), err.text());
    }

    @Test
    void echoWithAKeyStoreAndEchoClientInsecureWarnsLoudly(@TempDir Path dir) throws Exception {
        Path password = Files.writeString(dir.resolve("password"), TestPki.PASSWORD + "\n");
        server = EchoServer.start("127.0.0.1", 0, DemoTls.server(serverFlags(
                "--keystore", pki.expired().p12().toString(), "--keystore-password-file", password.toString())));
        assertEquals(0, client("--send", "x", "--insecure", "wss://127.0.0.1:" + server.port() + "/"), err.text());
        assertTrue(err.text().startsWith("echo-client: WARNING: --insecure"), err.text());
    }

    @Test
    void chatServesItsPageOverHttpsAndTheChatOverWss() throws Exception {
        chat = ChatServer.start(ChatServer.settings(Flags.parse(new String[] {
                "--tls-cert", pki.serverEc().chain().toString(), "--tls-key", pki.serverEc().key().toString()},
                ChatServer.OPTIONS, 0), "127.0.0.1", 0));
        int port = chat.server().port();
        assertEquals("https://localhost:" + port + "/", Main.pageUri(chat.server().address(), true).toString());
        try (HttpClient http = HttpClient.newBuilder().sslContext(pki.clientContext(null)).build()) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("location.protocol === \"https:\" ? \"wss://\""), "the page picks wss://");
        }
        var said = new java.util.concurrent.LinkedBlockingQueue<String>();
        var config = dev.leanws.client.ClientConfig.builder().subprotocols(java.util.List.of(ChatServer.SUBPROTOCOL))
                .tls(dev.leanws.client.ClientTls.builder().trustPem(pki.caPem()).build())
                .subscribe(dev.leanws.event.EventFilter.textMessages(), e -> said.add(e.text()))
                .build();
        try (var ann = dev.leanws.client.WebSocketClient.connect(URI.create("wss://localhost:" + port + "/"), config)) {
            String greeting = said.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(greeting != null && !greeting.isEmpty(), "the chat greets over wss://");
        }
    }

    @Test
    void tlsOptionsAreChecked() throws Exception {
        assertEquals(2, Main.run(new String[] {"echo", "--tls-cert", pki.server().chain().toString()},
                InputStream.nullInputStream(), out.stream(), err.stream()));
        assertTrue(err.text().contains("--tls-cert and --tls-key go together"), err.text());
        assertEquals(2, client("--send", "x", "--insecure", "ws://127.0.0.1:1/"));
        assertTrue(err.text().contains("--ca-cert and --insecure are for wss:// URLs"), err.text());
    }
}
