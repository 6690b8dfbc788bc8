package dev.leanws.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.event.BinaryEvent;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.EventManager;
import dev.leanws.event.OpenEvent;
import dev.leanws.event.TextEvent;

import dev.leanws.testing.TestPki;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our client against Node's {@code ws} behind Node's {@code https} server (OpenSSL): echo over
 * {@code wss://}, and the wrong-host and expired certificate failures. Skipped, with the reason,
 * where node or the ws module is missing (scripts/install-test-deps.sh installs it).
 */
@Timeout(60)
class NodeTlsInteropTest {

    private static final Path NODE_DIR = Path.of(System.getProperty("basedir", "."), "src", "test", "node");
    private final List<Process> nodes = new ArrayList<>();
    private final EventManager events = new EventManager();
    private final EventRecorder recorder = new EventRecorder(events);
    private TestPki pki;

    @BeforeEach
    void needsNode() {
        Assumptions.assumeTrue(node() != null, "node not found on PATH");
        Assumptions.assumeTrue(Files.isDirectory(NODE_DIR.resolve("node_modules").resolve("ws")),
                "Node's ws is not installed; run scripts/install-test-deps.sh");
        pki = TestPki.get();
    }

    @AfterEach
    void stopNode() throws InterruptedException {
        recorder.close();
        for (Process p : nodes) {
            p.destroy();   // SIGTERM to the PID we started
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** Starts node's wss echo server with {@code identity}; returns its port. */
    private int nodeServer(TestPki.Identity identity) throws Exception {
        Process p = new ProcessBuilder(node(), "echo.js", "0", "--tls-cert", identity.chain().toString(),
                "--tls-key", identity.key().toString()).directory(NODE_DIR.toFile()).redirectErrorStream(true).start();
        nodes.add(p);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ended) {
                // the process is gone
            }
        });
        String first = lines.poll(15, TimeUnit.SECONDS);
        if (first == null || !first.startsWith("listening ")) {
            throw new AssertionError("node echo.js did not start listening: " + first);
        }
        return Integer.parseInt(first.substring("listening ".length()).trim());
    }

    private static String node() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "node");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private ClientConfig.Builder trustingTheCa() {
        return ClientConfig.builder().tls(ClientTls.builder().trustPem(pki.caPem()).build()).events(events);
    }

    @Test
    void echoesOverWssWithNodesHttpsServer() throws Exception {
        int port = nodeServer(pki.server());
        byte[] big = new byte[2 << 20];
        new Random(5).nextBytes(big);
        try (WebSocketClient ws = WebSocketClient.connect(URI.create("wss://localhost:" + port + "/"), trustingTheCa().build())) {
            recorder.next(OpenEvent.class);
            ws.send("hello node over tls");
            assertEquals("hello node over tls", recorder.next(TextEvent.class).text());
            ws.send(big);
            assertArrayEquals(big, recorder.next(BinaryEvent.class).bytes());
        }
        assertEquals(1000, recorder.next(CloseEvent.class).code());
    }

    @Test
    void wrongHostAndExpiredCertificatesFailNamingTheCause() throws Exception {
        int wrong = nodeServer(pki.wrongHost());
        SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                () -> WebSocketClient.connect(URI.create("wss://localhost:" + wrong + "/"), trustingTheCa().build()));
        assertTrue(e.getMessage().contains("not valid for host name localhost"), e.getMessage());
        int expired = nodeServer(pki.expired());
        e = assertThrows(SSLHandshakeException.class,
                () -> WebSocketClient.connect(URI.create("wss://localhost:" + expired + "/"), trustingTheCa().build()));
        assertTrue(e.getMessage().contains("certificate has expired"), e.getMessage());
    }
}
