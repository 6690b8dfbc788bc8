package dev.leanws.server.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.leanws.DeflateConfig;
import dev.leanws.event.EventFilter;
import dev.leanws.server.WebSocketServer;
import dev.leanws.testing.conformance.DeflateCaseRunner;
import dev.leanws.testing.conformance.DeflateCases;
import dev.leanws.testing.conformance.DeflateCases.DeflateCase;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Autobahn sections 12 and 13 (permessage-deflate) against our server, modelled by
 * {@link DeflateCases}: the suite offers the case's parameters, checks the server's answer
 * element, then echoes compressed messages judged by an independent decoder
 * ({@link DeflateCaseRunner}). The server compresses every echo (threshold 0), so its
 * compressor is judged as well as its inflater. All 216 cases must pass.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class AutobahnDeflateServerTest {

    private WebSocketServer server;

    @BeforeAll
    void start() throws IOException {
        server = WebSocketServer.builder().port(0).config(EchoServer.CONFIG)
                .deflate(DeflateConfig.builder().threshold(0).build()).build();
        server.events().subscribe(EventFilter.textMessages(), e -> e.connection().send(e.text()));
        server.events().subscribe(EventFilter.binaryMessages(), e -> e.connection().send(e.data()));
        server.start();
    }

    @AfterAll
    void stop() {
        server.stop(Duration.ofSeconds(5));
    }

    Stream<DeflateCase> cases() {
        return DeflateCases.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void section12And13(DeflateCase c) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String request = "GET /deflate HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Extensions: " + String.join(", ", c.offers()) + "\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String head = readHead(in);
            assertEquals(List.of(c.answer()), head.lines()
                    .filter(l -> l.regionMatches(true, 0, "Sec-WebSocket-Extensions:", 0, 25))
                    .map(l -> l.substring(25).strip()).toList(), head);
            assertNull(new DeflateCaseRunner(in, socket.getOutputStream(), true, c.agreed()).run(c));
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream in the response head");
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
