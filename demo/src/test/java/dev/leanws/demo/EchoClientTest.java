package dev.leanws.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.event.EventFilter;
import dev.leanws.server.WebSocketServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code echo-client} run in-process (through {@link Main#run}) against our servers. */
@Timeout(60)
class EchoClientTest {

    private final Console out = new Console();
    private final Console err = new Console();
    private WebSocketServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ofSeconds(5));
        }
    }

    private int run(InputStream stdin, String... args) throws InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "echo-client";
        System.arraycopy(args, 0, command, 1, args.length);
        return Main.run(command, stdin, out.stream(), err.stream());
    }

    private int run(String... args) throws InterruptedException {
        return run(InputStream.nullInputStream(), args);
    }

    private String url() {
        return "ws://127.0.0.1:" + server.port() + "/";
    }

    @Test
    void allEchoesFromTheEchoServerComeBack() throws Exception {
        server = EchoServer.start("127.0.0.1", 0);
        assertEquals(0, run("--send", "hello ✓", "--count", "500", url()), err.text());
        assertEquals("all 500 echoes came back unchanged\n", out.text());
        assertEquals("", err.text());
    }

    @Test
    void deflateIsOfferedAndReportedAndTheEchoServerCanDeclineIt() throws Exception {
        String big = "compress me ".repeat(200);   // over the 1 KiB threshold: sent compressed
        server = EchoServer.start("127.0.0.1", 0);
        assertEquals(0, run("--deflate", "--send", big, "--count", "20", url()), err.text());
        assertEquals("extensions: permessage-deflate\nall 20 echoes came back unchanged\n", out.text());
        server.stop(Duration.ofSeconds(5));

        server = EchoServer.start("127.0.0.1", 0, dev.leanws.DeflateConfig.disabled());   // what --no-deflate runs
        assertEquals(0, run("--deflate", "--send", big, url()), err.text());
        assertTrue(out.text().startsWith("extensions: permessage-deflate\nall 20 echoes came back unchanged\n"
                + "extensions: (none)\n"), out.text());
        assertEquals(2, run("--deflate=yes", url()));
        assertTrue(err.text().contains("--deflate takes no value"), err.text());
    }

    /** A server written with the library that changes the third message it echoes. */
    @Test
    void failsAgainstAServerThatAltersAMessage() throws Exception {
        server = WebSocketServer.builder().build();
        AtomicInteger seen = new AtomicInteger();
        server.events().subscribe(EventFilter.textMessages(),
                e -> e.connection().send(seen.incrementAndGet() == 3 ? e.text() + "!" : e.text()));
        server.start();
        assertEquals(1, run("--send", "ping", "--count", "10", url()));
        assertEquals("echo-client: echo 3 of 10 differs: sent \"ping\", got \"ping!\"\n", err.text());
        assertEquals("", out.text());
    }

    @Test
    void failsWithinTheTimeoutWhenEchoesDoNotCome() throws Exception {
        server = WebSocketServer.builder().build().start();   // a server that never answers
        long start = System.nanoTime();
        assertEquals(1, run("--send", "hello", "--count", "3", "--timeout", "0.5", url()));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(8).toNanos(), "0.5 s wait, plus the close");
        assertEquals("echo-client: echo 1 of 3 did not come within PT0.5S\n", err.text());
    }

    @Test
    void failsWhenTheServerClosesEarly() throws Exception {
        server = WebSocketServer.builder().build();
        server.events().subscribe(EventFilter.textMessages(), e -> e.connection().close(dev.leanws.CloseStatus.of(1011, "broken")));
        server.start();
        assertEquals(1, run("--send", "hello", url()));
        assertEquals("echo-client: closed by the server after 0 of 1 echoes: 1011 broken\n", err.text());
    }

    @Test
    void aBadUrlOrSubprotocolIsAUsageErrorNotAStackTrace() throws Exception {
        server = EchoServer.start("127.0.0.1", 0);
        assertEquals(2, run("--send", "x", url() + "#fragment"));
        assertTrue(err.text().contains("the URL must be ws[s]://"), err.text());
        assertEquals(2, run("--send", "x", "--subprotocol", "not a token", url()));
        assertTrue(err.text().contains("subprotocols must be unique tokens"), err.text());
    }

    @Test
    void theSchemeIsCaseInsensitive() throws Exception {
        server = EchoServer.start("127.0.0.1", 0);
        assertEquals(0, run("--send", "x", "--count", "2", url().replace("ws://", "WS://")));
    }

    @Test
    void failsWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        assertEquals(1, run("--send", "x", "--timeout", "2", "ws://127.0.0.1:" + port + "/"));
        assertTrue(err.text().startsWith("echo-client: cannot connect to ws://127.0.0.1:" + port + "/: "), err.text());
    }

    @Test
    void printsTheEchoOfEachLineOfStdin() throws Exception {
        server = EchoServer.start("127.0.0.1", 0);
        var stdin = new ByteArrayInputStream("one\ntwo ✓\n\nthree\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(0, run(stdin, url()), err.text());
        assertEquals("one\ntwo ✓\n\nthree\n", out.text());
    }

    /** At the end of stdin it closes, and prints what still came before the server's Close. */
    @Test
    void talksToTheChatWithItsSubprotocol() throws Exception {
        try (ChatServer chat = ChatServer.start(new ChatServer.Settings("127.0.0.1", 0, 1000, 1000))) {
            String url = "ws://127.0.0.1:" + chat.server().port() + "/";
            var stdin = new ByteArrayInputStream("/nick you\nhello\n".getBytes(StandardCharsets.UTF_8));
            assertEquals(0, run(stdin, "--subprotocol", "chat.v1", url), err.text());
            assertTrue(out.text().endsWith("{\"type\":\"welcome\",\"nick\":\"you\",\"users\":[\"you\"]}\n"
                    + "{\"type\":\"message\",\"from\":\"you\",\"text\":\"hello\"}\n"), out.text());

            assertEquals(1, run("--send", "hello", url));   // no subprotocol offered: the chat refuses, and says why
            assertEquals("echo-client: cannot connect to " + url + ": HandshakeException: expected HTTP status 101"
                    + " Switching Protocols, got 400 Bad Request: Sec-WebSocket-Protocol required: offer one of chat.v1\n", err.text());
        }
    }
}
