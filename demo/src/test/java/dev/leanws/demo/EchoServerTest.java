package dev.leanws.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leanws.DeflateConfig;
import dev.leanws.server.WebSocketServer;
import dev.leanws.testing.JdkClient;
import dev.leanws.testing.WirePeer;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code echo}, started in-process on a free port and driven by the JDK's WebSocket client. */
@Timeout(60)
class EchoServerTest {

    private WebSocketServer server;

    @BeforeEach
    void start() throws Exception {
        server = EchoServer.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.stop(Duration.ofSeconds(5));
    }

    @Test
    void echoesTextAndBinaryUnchanged() throws Exception {
        try (JdkClient client = JdkClient.open(server.port())) {
            client.send("hello");
            assertEquals("hello", client.nextText());
            client.send("héllo wörld ✓ 😀");
            assertEquals("héllo wörld ✓ 😀", client.nextText());
            client.send("");
            assertEquals("", client.nextText());
            byte[] bytes = new byte[70_000];
            new Random(1).nextBytes(bytes);
            client.send(bytes);
            assertArrayEquals(bytes, client.next(byte[].class));
        }
    }

    /** The benchmark's peers accept messages up to 64 MiB; the library's default is 16 MiB. */
    @Test
    void echoesAMessageOverTheLibraryDefaultLimit() throws Exception {
        byte[] bytes = new byte[(16 << 20) + 1];
        new Random(2).nextBytes(bytes);
        try (JdkClient client = JdkClient.open(server.port())) {
            client.send(bytes);
            assertArrayEquals(bytes, client.next(byte[].class));
        }
    }

    /** {@code --max-connections}: past it a new client gets 503, as the library's limit says. */
    @Test
    void servesAtMostMaxConnections() throws Exception {
        WebSocketServer capped = EchoServer.start("127.0.0.1", 0, null, DeflateConfig.defaults(), 1);
        try (WirePeer first = WirePeer.open(capped.port(), "/"); WirePeer second = WirePeer.connect(capped.port())) {
            second.send(WirePeer.upgradeRequest("/"));
            assertEquals(503, second.readResponse().status());
            first.sendText("still served");
            assertEquals("still served", first.readFrame().text());
        } finally {
            capped.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void answersTheClosingHandshake() throws Exception {
        try (JdkClient client = JdkClient.open(server.port())) {
            client.socket().sendClose(1000, "bye").get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(1000, client.next(JdkClient.Closed.class).code());   // the code is echoed
        }
    }
}
