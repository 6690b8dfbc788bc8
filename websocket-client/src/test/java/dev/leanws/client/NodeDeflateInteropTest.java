package dev.leanws.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.leanws.DeflateConfig;
import dev.leanws.event.BinaryEvent;
import dev.leanws.event.CloseEvent;
import dev.leanws.event.EventManager;
import dev.leanws.event.OpenEvent;
import dev.leanws.event.TextEvent;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Compressed connections between our client and Node's {@code ws} server
 * ({@code src/test/node/deflate-echo.js}), over the parameter space: context takeover or not,
 * small windows asked by either side. ws's inflater is zlib with the window it announced, so a
 * match of ours reaching further back than the agreed {@code client_max_window_bits} fails the
 * connection there ("invalid distance too far back"). Skipped where node or ws is missing.
 */
@Timeout(60)
class NodeDeflateInteropTest {

    private static final Path NODE_DIR = Path.of(System.getProperty("basedir", "."), "src", "test", "node");

    private final EventManager events = new EventManager();
    private final EventRecorder recorder = new EventRecorder(events);
    private final BlockingQueue<String> output = new LinkedBlockingQueue<>();
    private Process node;

    @BeforeEach
    void requireNode() {
        Assumptions.assumeTrue(findNode() != null, "node not found on PATH");
        Assumptions.assumeTrue(Files.isDirectory(NODE_DIR.resolve("node_modules").resolve("ws")),
                "Node's ws is not installed; run scripts/install-test-deps.sh");
    }

    @AfterEach
    void stop() throws InterruptedException {
        recorder.close();
        if (node != null) {
            node.destroy();   // SIGTERM to the PID we started
            if (!node.waitFor(5, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        }
    }

    @ParameterizedTest(name = "[{index}] ws {0}, we offer {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"threshold":0}                                                   | defaults       | permessage-deflate
            {"threshold":0,"clientMaxWindowBits":9,"serverMaxWindowBits":10} | defaults       | permessage-deflate; client_max_window_bits=9; server_max_window_bits=10
            {"threshold":0,"clientMaxWindowBits":8}                           | defaults       | permessage-deflate; client_max_window_bits=8
            {"threshold":0,"serverNoContextTakeover":true,"clientNoContextTakeover":true} | defaults | permessage-deflate; server_no_context_takeover; client_no_context_takeover
            {"threshold":0}                                                   | small          | permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9; client_max_window_bits=10
            {"threshold":0}                                                   | disabled       | (none)
            """)
    void echoesOverACompressedConnection(String wsOptions, String ours, String agreed) throws Exception {
        URI uri = startNode(wsOptions);
        DeflateConfig deflate = switch (ours) {
            case "defaults" -> DeflateConfig.builder().threshold(0).build();
            case "small" -> DeflateConfig.builder().threshold(0).serverNoContextTakeover(true).clientNoContextTakeover(true)
                    .serverMaxWindowBits(9).clientMaxWindowBits(10).build();
            case "disabled" -> DeflateConfig.disabled();
            default -> throw new IllegalArgumentException(ours);
        };
        WebSocketClient ws = WebSocketClient.connect(uri, ClientConfig.builder().deflate(deflate).events(events).build());
        assertSame(ws, recorder.next(OpenEvent.class).connection());
        // ws reports the names it runs; our client the server's whole answer.
        String nodeSaw = nodeSays("extensions /x ");
        assertEquals(agreed.equals("(none)") ? "(none)" : "permessage-deflate", nodeSaw.substring("extensions /x ".length()));
        assertEquals(agreed.equals("(none)") ? List.of() : List.of(agreed), ws.extensions());

        Random random = new Random(5);
        for (int size : new int[] {0, 1, 200, 1500, 9000, 40000, 70000, 300000}) {
            String text = json(size);
            ws.send(text);
            assertEquals(text, recorder.next(TextEvent.class).text(), size + " chars");
            ws.send(text);   // again: with takeover, mostly references to the one before
            assertEquals(text, recorder.next(TextEvent.class).text(), size + " chars, again");
        }
        byte[] noise = new byte[50_000];
        random.nextBytes(noise);
        ws.send(noise);
        assertArrayEquals(noise, recorder.next(BinaryEvent.class).bytes());
        String unicode = "κόσμε 𝄞 ".repeat(2000);
        ws.send(unicode);
        assertEquals(unicode, recorder.next(TextEvent.class).text());
        ws.close();
        assertEquals(1000, recorder.next(CloseEvent.class).code());
        assertEquals("closed /x 1000", nodeSays("closed /x"));
    }

    static String json(int size) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < size; i++) {
            sb.append("{\"id\":").append(i % 997).append(",\"name\":\"user").append(i % 50).append("\",\"tags\":[\"a\",\"b\"]}");
        }
        return sb.substring(0, size);
    }

    private URI startNode(String options) throws IOException, InterruptedException {
        node = new ProcessBuilder(findNode(), "deflate-echo.js", options)
                .directory(NODE_DIR.toFile()).redirectErrorStream(true).start();
        Process started = node;
        Thread.ofVirtual().name("node-output").start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException ended) {
                // the process is gone
            }
        });
        String port = nodeSays("listening ").substring("listening ".length()).trim();
        return URI.create("ws://127.0.0.1:" + port + "/x");
    }

    /** The next line node printed that starts with {@code prefix}, within 15 s. */
    private String nodeSays(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            String line = output.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("node did not print \"" + prefix + "...\" within 15 s");
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
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
}
