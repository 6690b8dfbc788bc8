package dev.leanws.client.conformance;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.DeflateConfig;
import dev.leanws.client.ClientConfig;
import dev.leanws.client.WebSocketClient;
import dev.leanws.event.EventFilter;
import dev.leanws.testing.conformance.DeflateCaseRunner;
import dev.leanws.testing.conformance.DeflateCases;
import dev.leanws.testing.conformance.DeflateCases.DeflateCase;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Autobahn sections 12 and 13 (permessage-deflate) against our client, modelled by
 * {@link DeflateCases}: a raw server reads the client's offer, answers the case's parameters,
 * then sends compressed messages that the client echoes, judged by an independent decoder
 * ({@link DeflateCaseRunner}). The client compresses every echo (threshold 0). All 216 cases
 * must pass.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class AutobahnDeflateClientTest {

    private ServerSocket listener;

    @BeforeAll
    void listen() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterAll
    void close() throws IOException {
        listener.close();
    }

    Stream<DeflateCase> cases() {
        return DeflateCases.all().stream();
    }

    /** What our client offers for a case's subsection: the same parameters as the case's offers. */
    static ClientConfig options(DeflateCase c) {
        DeflateConfig.Builder d = DeflateConfig.builder().threshold(0);
        List<String> more = List.of();
        switch (c.id().substring(0, c.id().lastIndexOf('.'))) {
            case "13.2", "13.6" -> d.serverNoContextTakeover(true).clientNoContextTakeover(true);
            case "13.3" -> d.serverMaxWindowBits(8).clientMaxWindowBits(8);
            case "13.5" -> d.serverNoContextTakeover(true).clientNoContextTakeover(true).serverMaxWindowBits(8)
                    .clientMaxWindowBits(8);
            case "13.7" -> {
                d.serverNoContextTakeover(true).serverMaxWindowBits(8);
                more = c.offers().subList(1, c.offers().size());
            }
            default -> { }
        }
        return ClientConfig.builder().deflate(d.build()).extensions(more)
                .config(EchoClient.CONFIG)
                .subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()))
                .subscribe(EventFilter.binaryMessages(), e -> e.connection().send(e.data()))
                .build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void section12And13(DeflateCase c) throws Exception {
        CompletableFuture<WebSocketClient> connected = new CompletableFuture<>();
        URI uri = URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/deflate");
        Thread.ofVirtual().name("deflate-client-connect").start(() -> {
            try {
                connected.complete(WebSocketClient.connect(uri, options(c)));
            } catch (Throwable t) {
                connected.completeExceptionally(t);
            }
        });
        listener.setSoTimeout(10_000);
        WebSocketClient ws = null;
        try (Socket socket = listener.accept()) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String head = readHead(in);
            String offered = head.lines().filter(l -> l.regionMatches(true, 0, "Sec-WebSocket-Extensions:", 0, 25))
                    .map(l -> l.substring(25).strip()).findFirst().orElse("");
            assertTrue(offered.startsWith("permessage-deflate"), head);
            String key = head.lines().filter(l -> l.regionMatches(true, 0, "Sec-WebSocket-Key:", 0, 18))
                    .map(l -> l.substring(18).strip()).findFirst().orElseThrow();
            String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept(key) + "\r\nSec-WebSocket-Extensions: " + c.answer() + "\r\n\r\n";
            socket.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
            ws = connected.get(10, TimeUnit.SECONDS);
            assertNull(new DeflateCaseRunner(in, socket.getOutputStream(), false, c.agreed()).run(c),
                    "offered: " + offered);
        } finally {
            if (ws != null && !ws.awaitClosed(Duration.ofSeconds(5))) {
                ws.abort();
            }
        }
    }

    private static String accept(String key) throws Exception {
        byte[] sha1 = MessageDigest.getInstance("SHA-1")
                .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1));
        return Base64.getEncoder().encodeToString(sha1);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream in the request head");
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
