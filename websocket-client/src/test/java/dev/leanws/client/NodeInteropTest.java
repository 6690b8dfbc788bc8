package dev.leanws.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leanws.ConnectionState;
import dev.leanws.event.BinaryEvent;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.EventManager;
import dev.leanws.event.OpenEvent;
import dev.leanws.event.PongEvent;
import dev.leanws.event.TextEvent;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * Interop with a server no one here wrote: Node's {@code ws} (pinned in
 * {@code src/test/node/package.json}, installed by {@code scripts/install-test-deps.sh}), run as
 * a child process. Skipped, with the reason, where node or the installed module is missing.
 */
@Timeout(60)
class NodeInteropTest {

    private static final Path NODE_DIR = Path.of(System.getProperty("basedir", "."), "src", "test", "node");
    private static Process node;
    private static URI base;
    private static final BlockingQueue<String> output = new LinkedBlockingQueue<>();

    private final EventManager events = new EventManager();
    private final EventRecorder recorder = new EventRecorder(events);

    /** Why the test cannot run here, or null when node and the ws module are both there. */
    private static String missing;

    @BeforeAll
    static void startNode() throws Exception {
        String executable = findNode();
        if (executable == null) {
            missing = "node not found on PATH; the Node ws interop test needs it";
        } else if (!Files.isDirectory(NODE_DIR.resolve("node_modules").resolve("ws"))) {
            missing = "Node's ws is not installed in " + NODE_DIR + "; run scripts/install-test-deps.sh";
        }
        if (missing != null) {
            System.err.println("NodeInteropTest skipped: " + missing);
            return;
        }
        node = new ProcessBuilder(executable, "echo.js", "0")
                .directory(NODE_DIR.toFile())
                .redirectErrorStream(true)
                .start();
        Thread.ofVirtual().name("node-output").start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException ended) {
                // the process is gone
            }
        });
        String first = output.poll(15, TimeUnit.SECONDS);   // deadline for node to start listening
        if (first == null || !first.startsWith("listening ")) {
            throw new AssertionError("node echo.js did not start listening within 15 s: " + first);
        }
        base = URI.create("ws://127.0.0.1:" + first.substring("listening ".length()).trim());
    }

    private static String findNode() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "node");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node == null) {
            return;
        }
        node.destroy();   // SIGTERM to its PID
        if (!node.waitFor(5, TimeUnit.SECONDS)) {
            node.destroyForcibly();
            node.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private String testCase;

    @BeforeEach
    void name(TestInfo info) {
        Assumptions.assumeTrue(missing == null, missing);
        testCase = info.getTestMethod().orElseThrow().getName();
    }

    @AfterEach
    void closeRecorder() {
        recorder.close();
    }

    private WebSocketClient connect(ClientConfig.Builder options) throws IOException {
        WebSocketClient ws = WebSocketClient.connect(base.resolve(path()), options.events(events).build());
        assertSame(ws, recorder.next(OpenEvent.class).connection());
        return ws;
    }

    private String path() {
        return "/interop?case=" + testCase;
    }

    /** What node printed when this test's connection ended: "CODE REASON". */
    private String nodeSawClose() throws InterruptedException {
        String prefix = "closed " + path() + " ";
        return nodeSays(prefix).substring(prefix.length());
    }

    /** The next line node printed that starts with {@code prefix}; lines of other tests are skipped. */
    private static String nodeSays(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            String line = output.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("node did not print \"" + prefix + "...\" within 10 s");
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    @Test
    void echoesTextBinaryAndLargeMessages() throws Exception {
        byte[] big = new byte[16 << 20];
        new Random(3).nextBytes(big);
        try (WebSocketClient ws = connect(ClientConfig.builder())) {
            ws.send("hello node");
            assertEquals("hello node", recorder.next(TextEvent.class).text());
            ws.send("κόσμε 𝄞");
            assertEquals("κόσμε 𝄞", recorder.next(TextEvent.class).text());
            ws.send(new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, recorder.next(BinaryEvent.class).bytes());
            ws.send(big);
            assertArrayEquals(big, recorder.next(BinaryEvent.class).bytes());
            for (int i = 0; i < 500; i++) {
                ws.send("n" + i);
            }
            for (int i = 0; i < 500; i++) {
                assertEquals("n" + i, recorder.next(TextEvent.class).text());
            }
        }
        assertEquals(1000, recorder.next(CloseEvent.class).code());
        assertEquals("1000 ", nodeSawClose());
    }

    @Test
    void negotiatesSubprotocolAndSendsHeadersPathAndQuery() throws Exception {
        ClientConfig.Builder options = ClientConfig.builder().subprotocols(List.of("chat.v2", "chat.v1"))
                .header("Authorization", "Bearer t0k3n").header("Origin", "http://localhost");
        try (WebSocketClient ws = connect(options)) {
            assertEquals("chat.v1", ws.subprotocol().orElseThrow());
            ws.send("!headers");
            String seen = recorder.next(TextEvent.class).text();
            assertTrue(seen.contains("\"url\":\"" + path() + "\""), seen);
            assertTrue(seen.contains("\"authorization\":\"Bearer t0k3n\""), seen);
            assertTrue(seen.contains("\"origin\":\"http://localhost\""), seen);
        }
    }

    @Test
    void pingGetsNodesPong() throws Exception {
        try (WebSocketClient ws = connect(ClientConfig.builder())) {
            ws.ping(ByteBuffer.wrap(new byte[] {42}));
            assertEquals(42, recorder.next(PongEvent.class).payload().get(0));
        }
    }

    @Test
    void closeStartedByNodeIsEchoed() throws Exception {
        WebSocketClient ws = connect(ClientConfig.builder());
        ws.send("!close 4002 node says bye");
        CloseEvent close = recorder.next(CloseEvent.class);
        assertEquals(4002, close.code());
        assertEquals("node says bye", close.reason());
        assertTrue(close.remote());
        assertTrue(ws.awaitClosed(Duration.ofSeconds(5)));
        assertEquals(ConnectionState.CLOSED, ws.state());
        assertEquals("4002 ", nodeSawClose(), "node saw our echo: its code, no reason");
    }

    @Test
    void closeStartedByTheClientCarriesItsCode() throws Exception {
        WebSocketClient ws = connect(ClientConfig.builder());
        ws.close(dev.leanws.CloseStatus.of(4100, "client done"));
        assertTrue(ws.awaitClosed(Duration.ofSeconds(5)));
        CloseEvent close = recorder.next(CloseEvent.class);
        assertEquals(4100, close.code());
        assertFalse(close.remote());
        assertEquals("4100 client done", nodeSawClose());
    }

    @Test
    void unsupportedSubprotocolIsOmittedByNode() throws Exception {
        try (WebSocketClient ws = connect(ClientConfig.builder().subprotocols(List.of("nope")))) {
            assertTrue(ws.subprotocol().isEmpty());
        }
    }

    @Test
    void extensionOfferIsDeclinedAndTheConnectionWorks() throws Exception {
        // ws leaves permessage-deflate off on servers by default, so it answers without the extension.
        ClientConfig.Builder options = ClientConfig.builder()
                .extensions(List.of("permessage-deflate; client_max_window_bits"));
        try (WebSocketClient ws = connect(options)) {
            assertEquals(List.of(), ws.extensions());
            ws.send("uncompressed");
            assertEquals("uncompressed", recorder.next(TextEvent.class).text());
        }
    }
}
