package dev.leanws.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.testing.JdkClient;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code enhanced-echo}, in-process on a free port: echo, the stats line, keep-alive. */
@Timeout(60)
class EnhancedEchoServerTest {

    private final Console console = new Console();
    private EnhancedEchoServer app;

    private int start(Duration statsInterval, Duration pingInterval, Duration pongTimeout) throws Exception {
        app = EnhancedEchoServer.start(new EnhancedEchoServer.Settings("127.0.0.1", 0, statsInterval, pingInterval,
                pongTimeout, 100), console.stream());
        return app.server().port();
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void echoesAndCountsInTheStatsLine() throws Exception {
        int port = start(Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofSeconds(10));
        try (JdkClient a = JdkClient.open(port); JdkClient b = JdkClient.open(port)) {
            for (int i = 0; i < 3; i++) {
                a.send("text " + i);
                assertEquals("text " + i, a.nextText());
            }
            b.send(new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, b.next(byte[].class));
            String line = console.await(l -> l.contains("total in 4,"), 10);
            assertTrue(line.matches("stats: 2 connections, in \\d+\\.\\d msg/s, out \\d+\\.\\d msg/s"
                    + " \\(total in 4, out 4, 0 dropped for a late pong\\)"), line);
        }
        console.await(l -> l.startsWith("stats: 0 connections"), 10);
    }

    @Test
    void noDeflateDeclinesCompression() throws Exception {
        assertTrue(EnhancedEchoServer.settings(Flags.parse(new String[0], EnhancedEchoServer.OPTIONS, 0), "127.0.0.1", 0)
                .deflate());
        assertFalse(EnhancedEchoServer.settings(
                Flags.parse(new String[] {"--no-deflate"}, EnhancedEchoServer.OPTIONS, 0), "127.0.0.1", 0).deflate());
        for (boolean deflate : new boolean[] {true, false}) {
            if (app != null) {
                app.close();
            }
            app = EnhancedEchoServer.start(new EnhancedEchoServer.Settings("127.0.0.1", 0, Duration.ofSeconds(10),
                    Duration.ofSeconds(30), Duration.ofSeconds(10), 100, deflate),
                    console.stream());
            try (dev.leanws.client.WebSocketClient ws = dev.leanws.client.WebSocketClient.connect(
                    java.net.URI.create("ws://127.0.0.1:" + app.server().port() + "/"),
                    dev.leanws.client.ClientConfig.builder().deflate(dev.leanws.DeflateConfig.defaults()).build())) {
                assertEquals(deflate ? java.util.List.of("permessage-deflate") : java.util.List.of(), ws.extensions());
            }
        }
    }

    @Test
    void servesMetricsInThePrometheusFormat() throws Exception {
        int port = start(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(10));
        try (JdkClient a = JdkClient.open(port)) {
            a.send("one");
            assertEquals("one", a.nextText());
            java.net.http.HttpResponse<String> metrics = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", metrics.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(metrics.body().contains("\nwebsocket_connections_open 1\n"), metrics.body());
            assertTrue(metrics.body().contains("\nwebsocket_messages_received_total{type=\"text\"} 1\n"), metrics.body());
        }
    }

    /** A peer that never answers pings is dropped once its pong is late, and counted. */
    @Test
    void dropsAPeerThatMissesItsPong() throws Exception {
        int port = start(Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofMillis(300));
        try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), port)) {
            silent.setSoTimeout(10_000);
            silent.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = silent.getInputStream();
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            assertEquals(0x89, in.read(), "a ping (FIN + opcode 9) after the ping interval");
            assertEquals(0, in.read(), "with an empty payload");
            try {
                assertEquals(-1, in.read(), "then, without a pong, the server drops the connection");
            } catch (SocketException reset) {
                // dropped with a reset: as good
            }
        }
        console.await(l -> l.contains("1 dropped for a late pong"), 10);
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("connection closed during the handshake: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
